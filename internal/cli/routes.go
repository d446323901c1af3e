package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/render/nwrender"
	"github.com/pathproof/pathproof/internal/scenario"
)

func init() { register("routes", newRoutesCmd) }

func newRoutesCmd(env *Env) *cobra.Command {
	var nic, subnet, ip, compare, hub, table, conn string
	cmd := &cobra.Command{
		Use:   "routes --topology T (--nic NAME | --subnet VNET/SUBNET | --ip IP | --compare-effective NIC | --hub HUB [--route-table T | --connection C])",
		Short: "Effective routes of a NIC, subnet or Virtual WAN hub route table, computed offline with Azure's rules",
		Long: `Effective routes as Azure computes them (system, gateway and user routes, with
source, state Active/Invalid, next hop type and IP, route name): longest prefix
before route source, BGP never overriding VNet space, the reserved None routes,
private endpoint /32 routes and their invalidation by network policies.
With --hub: a virtual hub route table's effective routes (default:
defaultRouteTable), or with --connection what that connection learns, with
the contradictions found in it (two static routes, or two VNet connections,
with one prefix) as findings.`,
		Example: `  pathproof routes --topology hub.yaml --subnet spoke1/workload
  pathproof routes --topology export/ --nic vm1-nic -o json
  pathproof routes --topology azure://SUBSCRIPTION --compare-effective vm1-nic
  pathproof routes --topology vwan.yaml --hub hub1 --route-table RT_VNET`,
		Args: cobra.NoArgs,
	}
	tf := addTopoFlags(cmd, true)
	out := addOutputFlag(cmd, "json")
	cmd.Flags().StringVar(&nic, "nic", "", "NIC name or id")
	cmd.Flags().StringVar(&subnet, "subnet", "", "subnet as VNET/SUBNET or id")
	cmd.Flags().StringVar(&ip, "ip", "", "private IP of a NIC, private endpoint or firewall")
	cmd.Flags().StringVar(&compare, "compare-effective", "", fmt.Sprintf(compareHelp, "routes"))
	cmd.Flags().StringVar(&hub, "hub", "", "Virtual WAN hub name or id: its route table's effective routes")
	cmd.Flags().StringVar(&table, "route-table", "", "with --hub: route table name, HUB/TABLE or id (default defaultRouteTable)")
	cmd.Flags().StringVar(&conn, "connection", "", "with --hub: a connection of the hub, to show what it learns")
	cmd.RunE = func(_ *cobra.Command, _ []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		if err := tf.validate(); err != nil {
			return err
		}
		sel, err := scenario.RoutesQuery{NIC: nic, Subnet: subnet, IP: ip,
			CompareEffective: compare, Hub: hub, RouteTable: table, Connection: conn, Extended: true}.Selector()
		if err != nil {
			return argUsage(err)
		}
		e, err := tf.engine(env)
		if err != nil {
			return err
		}
		if compare != "" {
			return compareEffective(tf, env, e, compare, "routes", out.String())
		}
		if hub != "" {
			if m, ok := tf.missingRef(hub); ok && e.Net.VirtualHub(hub) == nil {
				return notInInputs("virtual hub", hub, m)
			}
			t, err := scenario.HubTableFor(e.Net, e, hub, table, conn)
			if err != nil {
				return Usagef("%v", err)
			}
			return nwrender.HubRoutes(env.Stdout, out.String(), scenario.HubRoutes(hub, conn, t))
		}
		ans, err := scenario.EffectiveRoutes(e, sel)
		if err != nil {
			return err
		}
		return nwrender.Routes(env.Stdout, out.String(), ans)
	}
	return cmd
}
