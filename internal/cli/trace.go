package cli

import (
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/trace"
	"github.com/pathproof/pathproof/internal/trace/diagram"
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
		Use:   "trace --topology FILE --from SRC --to IP[:PORT]",
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

Exit status: 0 when both legs are delivered and no error finding stands,
1 when the flow fails (a leg dropped or indeterminate, or an error finding),
2 for a bad command line.

Examples:
  pathproof trace --topology hub.yaml --from onprem:onprem/pc1 --to 10.101.1.4:443
  pathproof trace --topology export/ --from 10.2.1.4 --to 10.3.1.4:443 -o json
  pathproof trace --topology hub.yaml --from nic:app-nic --to 8.8.8.8:443 -o svg > path.svg
  pathproof demo --list                    # built-in examples from the field`,
		Args: cobra.NoArgs,
	}
	out := addOutputFlag(cmd, "json", "mermaid", "dot", "svg")
	topo := addTopoFlags(cmd, true)
	cmd.Flags().StringVar(&f.from, "from", "", "source: IP, nic:NAME, onprem:SITE/HOST or internet:IP")
	cmd.Flags().StringVar(&f.to, "to", "", "destination IP[:PORT] as the client addresses it")
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

// writeTrace renders res in format and returns the exit outcome.
func writeTrace(w io.Writer, format string, res *trace.Result) error {
	var err error
	switch format {
	case "json":
		err = render.JSON(w, res)
	case "mermaid":
		err = diagram.Mermaid(w, res)
	case "dot":
		err = diagram.DOT(w, res)
	case "svg":
		err = diagram.SVG(w, res)
	default:
		err = writeTraceText(w, res)
	}
	if err != nil {
		return err
	}
	if !traceWorks(res) {
		return Failed()
	}
	return nil
}

// traceWorks reports whether the flow works: both legs delivered and no
// error finding.
func traceWorks(res *trace.Result) bool {
	if res.Forward.Result != trace.ResultDelivered || res.Return.Result != trace.ResultDelivered {
		return false
	}
	for _, f := range res.Findings {
		if f.Severity == "error" {
			return false
		}
	}
	return true
}

// verdict is the one-line answer printed first.
func verdict(res *trace.Result) string {
	switch {
	case res.Forward.Drop != nil:
		return fmt.Sprintf("BLOCKED: the request is dropped at %s (%s)", res.Forward.Drop.At, res.Forward.Drop.Reason)
	case res.Return.Drop != nil:
		return fmt.Sprintf("BROKEN: the request arrives, the reply is dropped at %s (%s)", res.Return.Drop.At, res.Return.Drop.Reason)
	case res.Return.Result == trace.ResultIndeterminate:
		return "UNCERTAIN: the request arrives; Azure does not guarantee the reply's path"
	case !traceWorks(res):
		for _, f := range res.Findings {
			if f.Severity == "error" {
				return fmt.Sprintf("BROKEN: both legs are delivered, but %s (see FINDINGS)", f.Code)
			}
		}
	}
	return "OK: delivered both ways"
}

// writeTraceText prints the human report: the verdict, both legs hop by
// hop with their checks, NAT, findings with fixes, assumptions.
func writeTraceText(w io.Writer, res *trace.Result) error {
	var b strings.Builder
	q := res.Query
	fmt.Fprintf(&b, "%s\n", verdict(res))
	fmt.Fprintf(&b, "flow: %s %s → %s from %s\n", q.Protocol, endpoint(q.Src, q.SrcPort, q.Protocol), endpoint(q.Dst, q.DstPort, q.Protocol), render.Escape(res.Source))
	legs := []struct {
		name string
		leg  trace.Leg
	}{{"FORWARD", res.Forward}, {"RETURN", res.Return}}
	for _, l := range legs {
		fmt.Fprintf(&b, "\n%s  %s", l.name, l.leg.Result)
		if l.leg.Drop != nil {
			fmt.Fprintf(&b, " at %s: %s", render.Escape(l.leg.Drop.At), l.leg.Drop.Reason)
			if l.leg.Drop.NSG != "" {
				fmt.Fprintf(&b, " (NSG %s, rule %s)", render.Escape(l.leg.Drop.NSG), render.Escape(l.leg.Drop.Rule))
			} else if l.leg.Drop.Rule != "" {
				fmt.Fprintf(&b, " (rule %s)", render.Escape(l.leg.Drop.Rule))
			}
		}
		b.WriteString("\n")
		if l.leg.Note != "" {
			fmt.Fprintf(&b, "  %s\n", render.Escape(l.leg.Note))
		}
		if len(l.leg.Hops) > 0 {
			fmt.Fprintf(&b, "  %s\n", render.Escape(strings.Join(l.leg.Tokens(), " → ")))
		}
		for i, h := range l.leg.Hops {
			ip := ""
			if h.IP.IsValid() {
				ip = "  " + h.IP.String()
			}
			fmt.Fprintf(&b, "  %d. %s%s   packet %s → %s\n", i+1, render.Escape(h.Token()), ip, endpoint(h.Packet.Src, h.Packet.SrcPort, h.Packet.Protocol), endpoint(h.Packet.Dst, h.Packet.DstPort, h.Packet.Protocol))
			t := render.Table{}
			for _, c := range h.Checks {
				t.Add("      "+c.Check, c.Verdict, c.Detail)
			}
			var tb strings.Builder
			if err := t.Write(&tb); err != nil {
				return err
			}
			b.WriteString(tb.String())
		}
		if l.leg.Drop != nil && l.leg.Drop.Detail != "" {
			fmt.Fprintf(&b, "  ✖ %s\n", render.Escape(l.leg.Drop.Detail))
			if l.leg.Drop.Fix != "" {
				fmt.Fprintf(&b, "    fix: %s\n", render.Escape(l.leg.Drop.Fix))
			}
		}
	}
	if len(res.NAT) > 0 {
		b.WriteString("\nNAT (forward leg)\n")
		for _, n := range res.NAT {
			var parts []string
			if n.SourceTo.IsValid() {
				s := fmt.Sprintf("source %s → %s", n.SourceFrom, n.SourceTo)
				if n.SourceToPrefix != "" {
					s += " (an instance address in " + n.SourceToPrefix + ")"
				}
				parts = append(parts, s)
			}
			if n.DestinationTo.IsValid() {
				s := fmt.Sprintf("destination %s → %s", n.DestinationFrom, n.DestinationTo)
				if n.DestinationPort != 0 {
					s += ":" + strconv.Itoa(int(n.DestinationPort))
				}
				parts = append(parts, s)
			}
			fmt.Fprintf(&b, "  %s  %s  (%s)\n", render.Escape(n.At), strings.Join(parts, ", "), render.Escape(n.Why))
		}
	}
	if len(res.Findings) > 0 {
		b.WriteString("\nFINDINGS\n")
		for _, f := range res.Findings {
			fmt.Fprintf(&b, "  %s %s: %s\n", strings.ToUpper(f.Severity), f.Code, render.Escape(f.Message))
			fmt.Fprintf(&b, "    fix: %s\n", render.Escape(f.Fix))
			if f.Evidence != "" {
				fmt.Fprintf(&b, "    in the logs: %s\n", render.Escape(f.Evidence))
			}
		}
	}
	if len(res.Assumptions) > 0 {
		b.WriteString("\nASSUMPTIONS\n")
		for _, a := range res.Assumptions {
			fmt.Fprintf(&b, "  - %s\n", render.Escape(a))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func endpoint(ip netip.Addr, port uint16, proto string) string {
	if proto == "icmp" {
		return ip.String()
	}
	return netip.AddrPortFrom(ip, port).String()
}
