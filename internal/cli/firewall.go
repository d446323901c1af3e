package cli

import (
	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/render/nwrender"
	"github.com/pathproof/pathproof/internal/scenario"
)

func init() { register("firewall", newFirewallCmd) }

func newFirewallCmd(env *Env) *cobra.Command {
	var fwName, polName, proto, src, dst, fqdn, arrived string
	cmd := &cobra.Command{
		Use:   "firewall --topology T --firewall NAME --protocol P --src IP[:PORT] (--dst IP:PORT | --fqdn NAME:PORT)",
		Short: "Azure Firewall decision offline: the deciding rule (or default deny) and the DNAT/SNAT applied",
		Long: `Evaluates Azure Firewall policy rules in Azure's order: threat intelligence,
then DNAT, network and application collections (parent policy groups first,
then group and collection priority; rules are terminating), then the default
deny. Network rules SNAT outside the SNAT private ranges; application rules
always SNAT; DNAT also translates the source. FQDNs resolve through the
policy's dns_records.`,
		Example: `  pathproof firewall -t hub.yaml --firewall azfw --protocol TCP --src 10.1.1.4 --dst 10.2.1.4:443
  pathproof firewall -t hub.yaml --firewall azfw --protocol HTTPS --src 10.1.1.4 --fqdn www.contoso.com:443
  pathproof firewall -t hub.yaml --firewall azfw --protocol TCP --src 198.51.100.7:50000 --dst 20.0.0.10:3389 --arrived-on public`,
		Args: cobra.NoArgs,
	}
	tf := addTopoFlags(cmd, true)
	out := addOutputFlag(cmd, "json")
	cmd.Flags().StringVar(&fwName, "firewall", "", "Azure Firewall name or id")
	cmd.Flags().StringVar(&polName, "policy", "", "evaluate this firewall policy (without a firewall, or instead of the firewall's)")
	cmd.Flags().StringVar(&proto, "protocol", "", "TCP, UDP, ICMP, HTTP, HTTPS or MSSQL")
	cmd.Flags().StringVar(&src, "src", "", "source IP[:PORT]")
	cmd.Flags().StringVar(&dst, "dst", "", "destination IP:PORT")
	cmd.Flags().StringVar(&fqdn, "fqdn", "", "destination NAME:PORT (Host header / SNI)")
	cmd.Flags().StringVar(&arrived, "arrived-on", "internal", "internal, or public when the packet was addressed to a firewall public IP")
	cmd.RunE = func(_ *cobra.Command, _ []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		if err := tf.validate(); err != nil {
			return err
		}
		if fwName == "" && polName == "" {
			return Usagef("give --firewall (or --policy)")
		}
		q, err := scenario.FirewallQuestion{Protocol: proto, Src: src, Dst: dst, FQDN: fqdn, ArrivedOn: arrived}.Query()
		if err != nil {
			return argUsage(err)
		}
		e, err := tf.engine(env)
		if err != nil {
			return err
		}
		fw, pol, err := scenario.FirewallTarget(e.Net, fwName, polName)
		if err != nil {
			return err
		}
		d, err := e.FirewallDecide(fw, pol, q)
		if err != nil {
			return err
		}
		return nwrender.Firewall(env.Stdout, out.String(), d)
	}
	return cmd
}
