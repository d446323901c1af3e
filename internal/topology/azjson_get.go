package topology

import (
	"encoding/json"
	"strconv"
	"strings"
)

// field returns o[key], falling back to a case-insensitive match (exports
// are camelCase, but hand-edited files and some tools vary the casing).
func field(o map[string]any, key string) (any, bool) {
	if o == nil {
		return nil, false
	}
	if v, ok := o[key]; ok {
		return v, v != nil
	}
	for k, v := range o {
		if strings.EqualFold(k, key) {
			return v, v != nil
		}
	}
	return nil, false
}

// str returns a string field; numbers are formatted, anything else is "".
func str(o map[string]any, key string) string {
	v, _ := field(o, key)
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	}
	return ""
}

// boolean returns a bool field (also accepting "true"/"false" strings) and
// whether it was present.
func boolean(o map[string]any, key string) (bool, bool) {
	v, _ := field(o, key)
	switch t := v.(type) {
	case bool:
		return t, true
	case string:
		b, err := strconv.ParseBool(t)
		return b, err == nil
	}
	return false, false
}

// boolOr returns a bool field or def when absent or null.
func boolOr(o map[string]any, key string, def bool) bool {
	if b, ok := boolean(o, key); ok {
		return b
	}
	return def
}

// integer returns an integer field (number or numeric string).
func integer(o map[string]any, key string) (int, bool) {
	v, _ := field(o, key)
	var s string
	switch t := v.(type) {
	case json.Number:
		s = t.String()
	case float64:
		return int(t), t == float64(int(t))
	case string:
		s = t
	default:
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}

// obj returns an object field.
func obj(o map[string]any, key string) map[string]any {
	v, _ := field(o, key)
	m, _ := v.(map[string]any)
	return m
}

// objs returns the objects of an array field (non-objects are dropped).
func objs(o map[string]any, key string) []map[string]any {
	v, _ := field(o, key)
	a, _ := v.([]any)
	out := make([]map[string]any, 0, len(a))
	for _, x := range a {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// strs returns an array of strings; a single string becomes a one-element
// list. Empty strings are dropped.
func strs(o map[string]any, key string) []string {
	v, _ := field(o, key)
	switch t := v.(type) {
	case string:
		if t == "" {
			return nil
		}
		return []string{t}
	case []any:
		var out []string
		for _, x := range t {
			switch s := x.(type) {
			case string:
				if s != "" {
					out = append(out, s)
				}
			case json.Number:
				out = append(out, s.String())
			}
		}
		return out
	}
	return nil
}

// ref returns the id of a reference field: {"id": "..."} or a bare string.
func ref(o map[string]any, key string) string {
	v, _ := field(o, key)
	switch t := v.(type) {
	case string:
		return t
	case map[string]any:
		return str(t, "id")
	}
	return ""
}

// refs returns the ids of an array of references.
func refs(o map[string]any, key string) []string {
	v, _ := field(o, key)
	a, _ := v.([]any)
	var out []string
	for _, x := range a {
		switch t := x.(type) {
		case string:
			if t != "" {
				out = append(out, t)
			}
		case map[string]any:
			if id := str(t, "id"); id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}
