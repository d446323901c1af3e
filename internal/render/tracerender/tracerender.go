// Package tracerender prints a trace.Result: the human report (verdict,
// both legs hop by hop with their checks, NAT, findings with fixes,
// assumptions), JSON, and the diagrams of trace/diagram.
package tracerender

import (
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/trace"
	"github.com/pathproof/pathproof/internal/trace/diagram"
)

// Formats are the machine formats Write accepts besides the human "table".
var Formats = []string{"json", "mermaid", "dot", "svg"}

// Write writes res in format: one of Formats, or the human report for any
// other value ("table").
func Write(w io.Writer, format string, res *trace.Result) error {
	switch format {
	case "json":
		return render.JSON(w, res)
	case "mermaid":
		return diagram.Mermaid(w, res)
	case "dot":
		return diagram.DOT(w, res)
	case "svg":
		return diagram.SVG(w, res)
	}
	return Text(w, res)
}

// Verdict is the one-line answer the human report opens with: BLOCKED,
// BROKEN or UNCERTAIN when the flow does not work, WARNING when it works
// but a finding warns (a firewall bypassed, a reply path not guaranteed),
// OK otherwise.
func Verdict(res *trace.Result) string {
	switch {
	case res.Forward.Drop != nil:
		return fmt.Sprintf("BLOCKED: the request is dropped at %s (%s)", res.Forward.Drop.At, res.Forward.Drop.Reason)
	case res.Return.Drop != nil:
		return fmt.Sprintf("BROKEN: the request arrives, the reply is dropped at %s (%s)", res.Return.Drop.At, res.Return.Drop.Reason)
	case res.Return.Result == trace.ResultIndeterminate:
		return "UNCERTAIN: the request arrives; Azure does not guarantee the reply's path"
	case !res.Works():
		for _, f := range res.Findings {
			if f.Severity == "error" {
				return fmt.Sprintf("BROKEN: both legs are delivered, but %s (see FINDINGS)", f.Code)
			}
		}
	}
	var warnings []string
	for _, f := range res.Findings {
		if f.Severity == "warning" && !slices.Contains(warnings, f.Code) {
			warnings = append(warnings, f.Code)
		}
	}
	if len(warnings) > 0 {
		return fmt.Sprintf("WARNING: delivered both ways, but %s (see FINDINGS)", strings.Join(warnings, ", "))
	}
	return "OK: delivered both ways"
}

// Text writes the human report: the verdict, both legs hop by
// hop with their checks, NAT, findings with fixes, assumptions.
func Text(w io.Writer, res *trace.Result) error {
	var b strings.Builder
	q := res.Query
	fmt.Fprintf(&b, "%s\n", Verdict(res))
	fmt.Fprintf(&b, "flow: %s %s → %s from %s\n", q.Protocol, endpoint(q.Src, q.SrcPort, q.Protocol), endpoint(q.Dst, q.DstPort, q.Protocol), render.Escape(res.Source))
	if res.DNS != nil {
		writeDNS(&b, *res.DNS, "")
	}
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
