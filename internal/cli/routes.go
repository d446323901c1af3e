package cli

import (
	"fmt"
	"net/netip"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/render/nwrender"
	"github.com/pathproof/pathproof/internal/scenario"
)

func init() { register("routes", newRoutesCmd) }

func newRoutesCmd(env *Env) *cobra.Command {
	var nic, subnet, ip, compare string
	cmd := &cobra.Command{
		Use:   "routes --topology T (--nic NAME | --subnet VNET/SUBNET | --ip IP | --compare-effective NIC)",
		Short: "Effective routes of a NIC or subnet, computed offline with Azure's rules",
		Long: `Effective routes as Azure computes them (system, gateway and user routes, with
source, state Active/Invalid, next hop type and IP, route name): longest prefix
before route source, BGP never overriding VNet space, the reserved None routes,
private endpoint /32 routes and their invalidation by network policies.`,
		Example: `  pathproof routes --topology hub.yaml --subnet spoke1/workload
  pathproof routes --topology export/ --nic vm1-nic -o json
  pathproof routes --topology azure://SUBSCRIPTION --compare-effective vm1-nic`,
		Args: cobra.NoArgs,
	}
	tf := addTopoFlags(cmd, true)
	out := addOutputFlag(cmd, "json")
	cmd.Flags().StringVar(&nic, "nic", "", "NIC name or id")
	cmd.Flags().StringVar(&subnet, "subnet", "", "subnet as VNET/SUBNET or id")
	cmd.Flags().StringVar(&ip, "ip", "", "private IP of a NIC, private endpoint or firewall")
	cmd.Flags().StringVar(&compare, "compare-effective", "", fmt.Sprintf(compareHelp, "routes"))
	cmd.RunE = func(_ *cobra.Command, _ []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		if err := tf.validate(); err != nil {
			return err
		}
		if n := countSet(nic, subnet, ip, compare); n != 1 {
			return Usagef("give exactly one of --nic, --subnet, --ip, --compare-effective")
		}
		var addr netip.Addr
		if ip != "" {
			a, err := netip.ParseAddr(ip)
			if err != nil {
				return Usagef("--ip %q is not an IP address", ip)
			}
			addr = a
		}
		e, err := tf.engine(env)
		if err != nil {
			return err
		}
		if compare != "" {
			return compareEffective(tf, env, e, compare, "routes", out.String())
		}
		ans, err := scenario.EffectiveRoutes(e, scenario.SubnetSelector{NIC: nic, Subnet: subnet, IP: addr})
		if err != nil {
			return err
		}
		return nwrender.Routes(env.Stdout, out.String(), ans)
	}
	return cmd
}

func countSet(vals ...string) int {
	n := 0
	for _, v := range vals {
		if v != "" {
			n++
		}
	}
	return n
}
