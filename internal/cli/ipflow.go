package cli

import (
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/render/nwrender"
	"github.com/pathproof/pathproof/internal/scenario"
)

func init() { register("ip-flow", newIPFlowCmd) }

func newIPFlowCmd(env *Env) *cobra.Command {
	var dir, proto, local, remote, nicName string
	cmd := &cobra.Command{
		Use:   "ip-flow --topology T --direction Inbound|Outbound --protocol TCP|UDP --local IP:PORT --remote IP:PORT",
		Short: "IP flow verify offline: which NSG rule allows or denies a flow at the NIC owning --local",
		Long: `IP flow verify as Network Watcher answers it: AVNM admin rules, then the subnet
and NIC NSGs in the order of the direction, default rules included. Rule names
are spelled securityRules/X or defaultSecurityRules/X; rule_name and nsg are
null when no NSG applies at either level.`,
		Example: `  pathproof ip-flow -t hub.yaml --direction Inbound --protocol TCP --local 10.0.0.4:22 --remote 10.0.1.4:50123`,
		Args:    cobra.NoArgs,
	}
	tf := addTopoFlags(cmd, true)
	out := addOutputFlag(cmd, "json")
	cmd.Flags().StringVar(&dir, "direction", "", "Inbound or Outbound (relative to the NIC)")
	cmd.Flags().StringVar(&proto, "protocol", "", "TCP or UDP")
	cmd.Flags().StringVar(&local, "local", "", "the NIC's IP:PORT")
	cmd.Flags().StringVar(&remote, "remote", "", "the other end's IP:PORT")
	cmd.Flags().StringVar(&nicName, "nic", "", "NIC name (default: the NIC owning the local IP)")
	cmd.RunE = func(_ *cobra.Command, _ []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		if err := tf.validate(); err != nil {
			return err
		}
		fl, err := scenario.IPFlowQuery{Direction: dir, Protocol: proto, Local: local, Remote: remote}.Flow()
		if err != nil {
			return argUsage(err)
		}
		e, err := tf.engine(env)
		if err != nil {
			return err
		}
		nic, err := scenario.NICFor(e.Net, nicName, fl.LocalIP)
		if err != nil {
			return err
		}
		r, err := e.IPFlowVerify(nic, fl)
		if err != nil {
			return err
		}
		return nwrender.IPFlow(env.Stdout, out.String(), r, nic.Name)
	}
	return cmd
}

// argUsage is the usage error for a question's arguments scenario refused
// (a *scenario.ArgError or *scenario.ArgsError), naming each field as its
// flag (arrived_on as --arrived-on).
func argUsage(err error) error {
	var ae *scenario.ArgError
	if errors.As(err, &ae) {
		return Usagef("%s %s", fieldFlag(ae.Field), ae.Msg)
	}
	var as *scenario.ArgsError
	if errors.As(err, &as) {
		return Usagef("%s", as.Say(fieldFlag))
	}
	return Usagef("%v", err)
}

// fieldFlag spells a question's field as its flag: arrived_on is --arrived-on.
func fieldFlag(field string) string { return "--" + strings.ReplaceAll(field, "_", "-") }
