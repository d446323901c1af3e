package cli

import (
	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/render/nwrender"
	"github.com/pathproof/pathproof/internal/scenario"
)

func init() { register("next-hop", newNextHopCmd) }

func newNextHopCmd(env *Env) *cobra.Command {
	var from, to string
	cmd := &cobra.Command{
		Use:   "next-hop --topology T --from IP --to IP",
		Short: "Next hop of a packet leaving the NIC that owns --from (Network Watcher next hop, offline)",
		Example: `  pathproof next-hop --topology hub.yaml --from 10.1.1.4 --to 10.2.1.4
  pathproof next-hop -t export/ --from 10.0.0.4 --to 8.8.8.8 -o json`,
		Args: cobra.NoArgs,
	}
	tf := addTopoFlags(cmd, true)
	out := addOutputFlag(cmd, "json")
	cmd.Flags().StringVar(&from, "from", "", "source IP (a NIC, private endpoint or firewall in the topology)")
	cmd.Flags().StringVar(&to, "to", "", "destination IP")
	cmd.RunE = func(_ *cobra.Command, _ []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		if err := tf.validate(); err != nil {
			return err
		}
		src, dst, err := scenario.NextHopQuery{From: from, To: to}.Addrs()
		if err != nil {
			return argUsage(err)
		}
		e, err := tf.engine(env)
		if err != nil {
			return err
		}
		r, err := e.NextHop(src, dst)
		if err != nil {
			return err
		}
		return nwrender.NextHop(env.Stdout, out.String(), r)
	}
	return cmd
}
