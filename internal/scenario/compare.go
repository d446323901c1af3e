package scenario

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Compare projects actual onto the shape of expect (keys expect does not
// have are dropped: "omitted fields are not checked") and lists the
// differences as "path: want X, got Y".
func Compare(actual, expect any) (projected any, diff []string) {
	a := normalize(actual)
	projected = project(a, expect)
	diff = compareAt("", projected, expect)
	return projected, diff
}

// normalize turns structs into maps through JSON so both sides are generic.
func normalize(v any) any {
	switch v.(type) {
	case nil, string, bool, int, int64, uint64, float64, map[string]any, []any:
		return v
	}
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return v
	}
	return out
}

func project(a, e any) any {
	switch ev := e.(type) {
	case map[string]any:
		am, ok := a.(map[string]any)
		if !ok {
			return a
		}
		out := map[string]any{}
		for k := range ev {
			if v, ok := am[k]; ok {
				out[k] = project(v, ev[k])
			} else {
				out[k] = nil
			}
		}
		return out
	case []any:
		al, ok := a.([]any)
		if !ok || len(ev) == 0 {
			return a
		}
		out := make([]any, len(al))
		for i, x := range al {
			if i < len(ev) {
				out[i] = project(x, ev[i])
			} else {
				out[i] = project(x, ev[0])
			}
		}
		return out
	}
	return a
}

func compareAt(path string, a, e any) []string {
	switch ev := e.(type) {
	case map[string]any:
		am, ok := a.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want %s, got %s", orRoot(path), show(e), show(a))}
		}
		var d []string
		for _, k := range slices.Sorted(maps.Keys(ev)) {
			d = append(d, compareAt(join(path, k), am[k], ev[k])...)
		}
		return d
	case []any:
		al, ok := a.([]any)
		if !ok || len(al) != len(ev) {
			return []string{fmt.Sprintf("%s: want %s, got %s", orRoot(path), show(e), show(a))}
		}
		var d []string
		for i := range ev {
			d = append(d, compareAt(fmt.Sprintf("%s[%d]", path, i), al[i], ev[i])...)
		}
		return d
	}
	if scalarEqual(a, e) {
		return nil
	}
	return []string{fmt.Sprintf("%s: want %s, got %s", orRoot(path), show(e), show(a))}
}

func orRoot(p string) string {
	if p == "" {
		return "answer"
	}
	return p
}

func join(p, k string) string {
	if p == "" {
		return k
	}
	return p + "." + k
}

// scalarEqual compares leaves: numbers by value, addresses and prefixes
// canonically, other strings exactly.
func scalarEqual(a, e any) bool {
	if a == nil || e == nil {
		return a == nil && e == nil
	}
	as, es := scalar(a), scalar(e)
	if as == es {
		return true
	}
	if x, err := netip.ParseAddr(as); err == nil {
		if y, err := netip.ParseAddr(es); err == nil {
			return x == y
		}
	}
	if x, err := strconv.ParseFloat(as, 64); err == nil {
		if y, err := strconv.ParseFloat(es, 64); err == nil {
			return x == y
		}
	}
	return false
}

func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func show(v any) string {
	if v == nil {
		return "null"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(b)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return strings.ReplaceAll(s, `"`, "")
}
