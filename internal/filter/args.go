package filter

import "slices"

// Args repeats s as the filter flags of AddFlags, for a drill-down command
// line, leaving out the flags named in except (without "--"): a drill-down
// that sets one itself must not repeat the user's values, which would OR
// them with its narrower one.
func (s Spec) Args(except ...string) []string {
	var out []string
	add := func(flag string, vals []string) {
		if slices.Contains(except, flag) {
			return
		}
		for _, v := range vals {
			out = append(out, "--"+flag, v)
		}
	}
	add("src", s.Src)
	add("dst", s.Dst)
	add("ip", s.IP)
	add("port", s.Port)
	add("src-port", s.SrcPort)
	add("proto", s.Proto)
	add("verdict", s.Verdict)
	add("source", s.Source)
	add("direction", s.Direction)
	add("rule", s.Rule)
	add("reason", s.Reason)
	if s.Since != "" {
		add("since", []string{s.Since})
	}
	if s.Until != "" {
		add("until", []string{s.Until})
	}
	return out
}
