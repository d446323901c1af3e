package cli

import (
	"errors"
	"net/netip"
	"strconv"
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

// argUsage is the usage error for a question's argument scenario refused
// (a *scenario.ArgError), naming the field as its flag.
func argUsage(err error) error {
	var ae *scenario.ArgError
	if errors.As(err, &ae) {
		return Usagef("--%s %s", ae.Field, ae.Msg)
	}
	return Usagef("%v", err)
}

// parseIPPort parses IP:PORT (port required).
func parseIPPort(s, flag string) (netip.Addr, int, error) {
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return netip.Addr{}, 0, Usagef("%s %q is not IP:PORT", flag, s)
	}
	return ap.Addr(), int(ap.Port()), nil
}

// parseIPOptPort parses IP or IP:PORT (port 0 when absent).
func parseIPOptPort(s, flag string) (netip.Addr, int, error) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a, 0, nil
	}
	return parseIPPort(s, flag)
}

// parseNamePort parses NAME:PORT.
func parseNamePort(s, flag string) (string, int, error) {
	i := strings.LastIndexByte(s, ':')
	if i <= 0 {
		return "", 0, Usagef("%s %q is not NAME:PORT", flag, s)
	}
	p, err := strconv.Atoi(s[i+1:])
	if err != nil || p < 0 || p > 65535 {
		return "", 0, Usagef("%s %q: bad port", flag, s)
	}
	return s[:i], p, nil
}
