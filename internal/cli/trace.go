package cli

import (
	"errors"
	"io"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/render/tracerender"
	"github.com/pathproof/pathproof/internal/trace"
)

func init() { register("trace", newTraceCmd) }

// traceFlags are the flags of one trace invocation.
type traceFlags struct {
	from     string
	to       string
	protocol string
	srcPort  int
}

func newTraceCmd(env *Env) *cobra.Command {
	var f traceFlags
	cmd := &cobra.Command{
		Use:   "trace --topology FILE --from SRC --to IP[:PORT]|NAME[:PORT]",
		Short: "Trace a flow hop by hop, forward and return, with NAT, asymmetry and fixes",
		Long: `Trace one flow through an Azure network from an exported or designed topology:
the forward leg from SRC to the destination and the reply's leg back, hop by
hop (NICs, Azure Firewall, appliances, gateways, private endpoints, sites),
with every decision on the way: NSGs, the effective route chosen, next-hop
resolution, firewall rules and NAT, peering forwarded-traffic, private
endpoint policies. A stateful device that sees only one direction is
reported as asymmetric-stateful, with the firewall log signature to expect.
Every finding names the resource to change.

SRC is an IP (pathproof works out whether a NIC, an on-premises host behind
a gateway connection or the Internet owns it), nic:NAME, onprem:SITE/HOST or
internet:IP.

A destination NAME (kv-contoso.vault.azure.net:443) is resolved first as a
VM in SRC's VNet would resolve it: the private DNS zones linked to the VNet,
the privatelink CNAME of a PaaS name, the VNet's custom DNS servers and what
they forward to; the report says which zone and link answered, or why the
answer is public. A name that resolves to no address (NXDOMAIN in a linked
zone, a custom DNS server whose forwarding the inputs do not say) prints the
resolution and exits 1.

Exit status: 0 when both legs are delivered and no error finding stands,
1 when the flow fails (a leg dropped or indeterminate, or an error finding),
2 for a bad command line.

Examples:
  pathproof trace --topology hub.yaml --from onprem:onprem/pc1 --to 10.101.1.4:443
  pathproof trace --topology export/ --from 10.2.1.4 --to 10.3.1.4:443 -o json
  pathproof trace --topology hub.yaml --from nic:app-nic --to 8.8.8.8:443 -o svg > path.svg
  pathproof trace --topology hub.yaml --from nic:app-nic --to kv-contoso.vault.azure.net:443
  pathproof demo --list                    # built-in examples from the field`,
		Args: cobra.NoArgs,
	}
	out := addOutputFlag(cmd, tracerender.Formats...)
	topo := addTopoFlags(cmd, true)
	cmd.Flags().StringVar(&f.from, "from", "", "source: IP, nic:NAME, onprem:SITE/HOST or internet:IP")
	cmd.Flags().StringVar(&f.to, "to", "", "destination IP[:PORT] or NAME[:PORT] as the client addresses it (a NAME is resolved as the source would: private zones linked to its VNet, custom DNS servers)")
	cmd.Flags().StringVarP(&f.protocol, "protocol", "p", "tcp", "tcp, udp or icmp")
	cmd.Flags().IntVar(&f.srcPort, "src-port", trace.DefaultSourcePort, "client source port")
	cmd.RunE = func(_ *cobra.Command, _ []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		if err := topo.validate(); err != nil {
			return err
		}
		q, err := f.query()
		if err != nil {
			return err
		}
		eng, err := topo.engine(env)
		if err != nil {
			return err
		}
		res, err := trace.TraceEngine(eng, q)
		var ne *trace.NameError
		if errors.As(err, &ne) {
			// The name resolves to no address: the answer says why.
			if err := tracerender.WriteDNS(env.Stdout, out.String(), ne.Answer); err != nil {
				return err
			}
			return Failed()
		}
		if err != nil {
			return Usagef("%v", err)
		}
		return writeTrace(env.Stdout, out.String(), res)
	}
	return cmd
}

// query checks the flags and builds the trace query (exit 2 on mistakes).
func (f *traceFlags) query() (trace.Query, error) {
	q, err := trace.ParseQuery(f.from, f.to, f.protocol, f.srcPort)
	if err != nil {
		return trace.Query{}, Usagef("%v", err)
	}
	return q, nil
}

// writeTrace renders res in format and returns the exit outcome: Failed
// unless the flow works.
func writeTrace(w io.Writer, format string, res *trace.Result) error {
	if err := tracerender.Write(w, format, res); err != nil {
		return err
	}
	if !res.Works() {
		return Failed()
	}
	return nil
}
