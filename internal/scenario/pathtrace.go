package scenario

import (
	"fmt"
	"slices"

	"github.com/pathproof/pathproof/internal/trace"
)

// path_trace queries (scenarios README): the trace package answers them;
// this file maps input and result to the scenario shape.

func init() {
	// hops stay unchecked: a hop token such as nic:a in a flow list reads
	// as a one-key mapping (fixTokens).
	leg := Keys{"result": nil, "hops": nil, "drop": {"at": nil, "reason": nil, "nsg": nil, "rule": nil}}
	Register("path_trace", runPathTrace,
		Keys{"from": nil, "destination_ip": nil, "protocol": nil, "destination_port": nil, "source_port": nil},
		Keys{"forward": leg, "return": leg,
			"nat":      {"at": nil, "source_to": nil, "source_to_prefix": nil, "destination_to": nil},
			"findings": nil})
}

func runPathTrace(c *Context, input map[string]any, expect any) (Outcome, error) {
	i := &in{m: input}
	q := trace.Query{
		From:     i.str("from", true),
		Dst:      i.addr("destination_ip", true),
		Protocol: i.str("protocol", false),
		DstPort:  uint16(i.port("destination_port")),
		SrcPort:  uint16(i.port("source_port")),
	}
	if i.err != nil {
		return Outcome{}, i.err
	}
	res, err := trace.TraceEngine(c.Engine, q)
	if err != nil {
		return Outcome{}, fmt.Errorf("path_trace: %w", err)
	}
	actual, _ := normalize(PathTraceJSON(res)).(map[string]any)
	em, _ := expect.(map[string]any)
	rest := map[string]any{}
	for k, v := range em {
		if k != "findings" {
			rest[k] = fixTokens(v)
		}
	}
	projected, diff := Compare(actual, rest)
	out := Outcome{Assumptions: res.Assumptions}
	pm, _ := projected.(map[string]any)
	if pm == nil {
		pm = map[string]any{}
	}
	if want, ok := em["findings"]; ok {
		pm["findings"] = actual["findings"]
		got := []string{}
		for _, f := range res.Findings {
			got = append(got, f.Code)
		}
		diff = append(diff, compareFindings(got, want)...)
	}
	out.Actual, out.Diff = pm, diff
	return out, nil
}

// PathTraceJSON renders a trace result in the scenario's expect shape:
// legs with hop tokens, NAT entries and the finding codes.
func PathTraceJSON(r *trace.Result) pathTraceJSON {
	leg := func(l trace.Leg) map[string]any {
		m := map[string]any{"result": l.Result, "hops": l.Tokens()}
		if l.Drop != nil {
			d := map[string]any{"at": l.Drop.At, "reason": l.Drop.Reason}
			if l.Drop.NSG != "" {
				d["nsg"] = l.Drop.NSG
			}
			if l.Drop.Rule != "" {
				d["rule"] = l.Drop.Rule
			}
			m["drop"] = d
		}
		return m
	}
	nat := make([]any, 0, len(r.NAT))
	for _, n := range r.NAT {
		e := map[string]any{"at": n.At}
		if n.SourceTo.IsValid() {
			e["source_to"] = n.SourceTo.String()
		}
		if n.SourceToPrefix != "" {
			e["source_to_prefix"] = n.SourceToPrefix
		}
		if n.DestinationTo.IsValid() {
			e["destination_to"] = n.DestinationTo.String()
		}
		nat = append(nat, e)
	}
	codes := []string{}
	for _, f := range r.Findings {
		if !slices.Contains(codes, f.Code) {
			codes = append(codes, f.Code)
		}
	}
	return pathTraceJSON{"forward": leg(r.Forward), "return": leg(r.Return), "nat": nat, "findings": codes}
}

// pathTraceJSON is a named map so normalize round-trips it through JSON
// into generic values.
type pathTraceJSON map[string]any

// compareFindings applies the findings rule: every listed code must be
// reported; an empty list means no path finding code may be.
func compareFindings(got []string, want any) []string {
	wl, _ := want.([]any)
	if len(wl) == 0 {
		var bad []string
		for _, g := range got {
			if slices.Contains(trace.PathFindingCodes, g) {
				bad = append(bad, g)
			}
		}
		if len(bad) > 0 {
			return []string{fmt.Sprintf("findings: want none, got %v", bad)}
		}
		return nil
	}
	var d []string
	for _, w := range wl {
		if !slices.Contains(got, fmt.Sprint(w)) {
			d = append(d, fmt.Sprintf("findings: want %v reported, got %v", w, got))
		}
	}
	return d
}

// fixTokens turns hop tokens that a YAML reader decoded as one-key maps
// (`[nic:a, pe:b]` inside a flow mapping reads as {nic: a}) back into
// "kind:name" strings, anywhere in the expectation.
func fixTokens(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			if m, ok := e.(map[string]any); ok && len(m) == 1 {
				for k, val := range m {
					if val == nil {
						out[i] = k
					} else {
						out[i] = k + ":" + fmt.Sprint(val)
					}
				}
				continue
			}
			out[i] = fixTokens(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = fixTokens(e)
		}
		return out
	}
	return v
}
