package cli

import (
	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/render/nwrender"
	"github.com/pathproof/pathproof/internal/scenario"
)

func init() { register("nsg-diag", newNSGDiagCmd) }

func newNSGDiagCmd(env *Env) *cobra.Command {
	var nicName, dir, proto, src, dst, port string
	cmd := &cobra.Command{
		Use:   "nsg-diag --topology T --direction D --protocol P --source IP|CIDR|TAG --destination IP [--port N|*]",
		Short: "NSG diagnostics offline: every evaluated group in order (admin rules, subnet, NIC) and the verdict",
		Long: `NSG diagnostics as Network Watcher answers it: the evaluated groups in order
(AVNM admin rules, then subnet and NIC NSGs; inbound subnet first, outbound NIC
first), the rule each matched (UserRule_X, DefaultRule_X) and the verdict. The
NIC is the one owning --destination (inbound) or --source (outbound) unless
--nic is given.`,
		Example: `  pathproof nsg-diag -t hub.yaml --direction Inbound --protocol TCP --source 10.0.1.0/26 --destination 10.0.0.4 --port 22`,
		Args:    cobra.NoArgs,
	}
	tf := addTopoFlags(cmd, true)
	out := addOutputFlag(cmd, "json")
	cmd.Flags().StringVar(&nicName, "nic", "", "NIC name (default: the NIC owning the local address)")
	cmd.Flags().StringVar(&dir, "direction", "", "Inbound or Outbound")
	cmd.Flags().StringVar(&proto, "protocol", "Any", "TCP, UDP, ICMP or Any")
	cmd.Flags().StringVar(&src, "source", "", "source IP, CIDR or service tag")
	cmd.Flags().StringVar(&dst, "destination", "", "destination IP")
	cmd.Flags().StringVar(&port, "port", "*", "destination port or *")
	cmd.RunE = func(_ *cobra.Command, _ []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		if err := tf.validate(); err != nil {
			return err
		}
		f, err := scenario.NSGDiagQuery{Direction: dir, Protocol: proto, Source: src, Destination: dst, Port: port}.Flow()
		if err != nil {
			return argUsage(err)
		}
		e, err := tf.engine(env)
		if err != nil {
			return err
		}
		nic, err := scenario.NICFor(e.Net, nicName, f.LocalIP)
		if err != nil {
			return err
		}
		dec := e.EvaluateNSG(azure.Target{NIC: nic}, f)
		return nwrender.NSGDiag(env.Stdout, out.String(), dec, nic.Name)
	}
	return cmd
}
