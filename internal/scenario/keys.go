package scenario

import (
	"encoding"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// Keys is the shape of a YAML value in a scenario file: the keys a mapping
// may have, each with the Keys of its value. A list is checked item by
// item against the same Keys, and scalars always pass (their values are
// checked when the query runs). A nil Keys allows any value; an empty,
// non-nil Keys allows no key.
type Keys map[string]Keys

// KeysOf derives Keys from a Go type's `yaml` tags, following pointers,
// lists and nested structs. Maps and types that decode themselves (text
// or YAML unmarshalers, such as netip.Prefix) allow any value.
func KeysOf(t reflect.Type) Keys {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || decodesItself(t) {
		return nil
	}
	k := Keys{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		k[name] = KeysOf(f.Type)
	}
	return k
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	yamlUnmarshaler = reflect.TypeFor[interface{ UnmarshalYAML(func(any) error) error }]()
)

func decodesItself(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return p.Implements(textUnmarshaler) || p.Implements(yamlUnmarshaler)
}

// keyError is one unknown key or misplaced value, with its position.
type keyError struct {
	line, col int
	msg       string
}

// keyChecker walks a YAML syntax tree against Keys, collecting errors.
type keyChecker struct {
	errs []keyError
}

func (c *keyChecker) add(n ast.Node, format string, a ...any) {
	e := keyError{msg: fmt.Sprintf(format, a...)}
	if n != nil && n.GetToken() != nil {
		e.line, e.col = n.GetToken().Position.Line, n.GetToken().Position.Column
	}
	c.errs = append(c.errs, e)
}

// check walks n (found at where, e.g. "queries[2].input") against k.
func (c *keyChecker) check(n ast.Node, k Keys, where string) {
	if k == nil {
		return
	}
	switch v := unwrap(n).(type) {
	case *ast.SequenceNode:
		for i, item := range v.Values {
			c.check(item, k, fmt.Sprintf("%s[%d]", where, i))
		}
	case *ast.MappingNode, *ast.MappingValueNode:
		for _, mv := range entries(v) {
			name := keyName(mv)
			if name == "<<" {
				continue // a merge key; its mapping is checked where it is defined
			}
			sub, ok := k[name]
			if !ok {
				c.add(mv.Key, "unknown key %q in %s (known: %s)", name, orTop(where), known(k))
				continue
			}
			c.check(mv.Value, sub, join(where, name))
		}
	}
}

func orTop(where string) string {
	if where == "" {
		return "the top level"
	}
	return where
}

func known(k Keys) string {
	names := make([]string, 0, len(k))
	for n := range k {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// unwrap skips the tag, anchor and document wrappers around a value.
func unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.TagNode:
			n = v.Value
		case *ast.AnchorNode:
			n = v.Value
		case *ast.DocumentNode:
			n = v.Body
		default:
			return n
		}
	}
}

// entries returns the key/value pairs of a mapping node, in file order.
func entries(n ast.Node) []*ast.MappingValueNode {
	switch m := unwrap(n).(type) {
	case *ast.MappingNode:
		return m.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}
	}
	return nil
}

func keyName(mv *ast.MappingValueNode) string {
	if mv == nil || mv.Key == nil || mv.Key.GetToken() == nil {
		return ""
	}
	return mv.Key.GetToken().Value
}

// value returns the value of key in mapping n, or nil.
func value(n ast.Node, key string) ast.Node {
	for _, mv := range entries(n) {
		if keyName(mv) == key {
			return mv.Value
		}
	}
	return nil
}

// scalarText is the text of a scalar node ("" for anything else).
func scalarText(n ast.Node) string {
	switch v := unwrap(n).(type) {
	case *ast.StringNode:
		return v.Value
	case nil, *ast.NullNode, *ast.MappingNode, *ast.MappingValueNode, *ast.SequenceNode:
		return ""
	default:
		if v.GetToken() == nil {
			return ""
		}
		return v.GetToken().Value
	}
}
