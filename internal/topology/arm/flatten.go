package arm

import (
	"strings"

	"github.com/pathproof/pathproof/internal/topology/jsonobj"
)

// Flatten merges every "properties" object of a decoded ARM resource into
// its parent, recursively, as az CLI prints resources. Keys already present
// in the parent win; the property they shadow stays readable as
// "properties.<key>". Nesting deeper than jsonobj.MaxDepth reads as null.
func Flatten(v any) any { return flatten(v, 0) }

// flatten merges every "properties" object into its parent, recursively,
// as az CLI does. Keys already present in the parent win; the property
// they shadow stays readable as "properties.<key>".
func flatten(v any, d int) any {
	if d > jsonobj.MaxDepth {
		return nil
	}
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			if k == "properties" {
				if _, ok := x.(map[string]any); ok {
					continue
				}
			}
			out[k] = flatten(x, d+1)
		}
		if p, ok := t["properties"].(map[string]any); ok {
			for k, x := range flatten(p, d+1).(map[string]any) {
				if _, exists := out[k]; !exists {
					out[k] = x
				} else {
					// Keep the shadowed value (a gateway NAT rule's own
					// "type" under a child resource "type").
					out["properties."+k] = x
				}
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = flatten(x, d+1)
		}
		return out
	default:
		return v
	}
}

// LastSegment returns the last segment of an ARM id (the resource's own
// name), or the whole string when it has no slash.
func LastSegment(id string) string {
	id = strings.TrimRight(id, "/")
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		return id[i+1:]
	}
	return id
}
