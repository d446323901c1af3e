package cli

import (
	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/trace/diagram"
)

func init() { register("diagram", newDiagramCmd) }

func newDiagramCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "diagram --topology T",
		Short: "Draw the network as SVG: VNets and subnets, NICs, firewalls, private endpoints, gateways, peerings, sites",
		Long: `Draw the loaded topology as a standalone SVG picture (the web UI's Topology
page draws the same): one box per VNet with its subnets and what sits in
them (NICs, appliances, firewalls, private endpoints, gateways), peerings
between VNets, and the on-premises sites each gateway connection reaches.
For one flow's path, use 'pathproof trace -o svg'.`,
		Example: `  pathproof diagram --topology export/ > network.svg`,
		Args:    cobra.NoArgs,
	}
	tf := addTopoFlags(cmd, true)
	cmd.RunE = func(_ *cobra.Command, _ []string) error {
		if err := tf.validate(); err != nil {
			return err
		}
		net, err := tf.loadNetwork(env)
		if err != nil {
			return err
		}
		return diagram.TopologySVG(env.Stdout, net, nil)
	}
	return cmd
}
