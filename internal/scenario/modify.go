package scenario

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/design"
)

// Apply performs a query's `modify` operations, in order, on n (a copy the
// caller owns) and re-indexes it.
func Apply(n *topology.Network, ops []map[string]any) error {
	for i, op := range ops {
		if err := applyOne(n, op); err != nil {
			return fmt.Errorf("modify[%d] (%v): %w", i, op["op"], err)
		}
		n.Index()
	}
	return nil
}

// opKeys are the keys of each modify operation (applyOne), the objects
// it adds having the shape of the topology's.
var opKeys = Keys{
	"add_nsg_rule":                 {"op": nil, "nsg": nil, "rule": KeysOf(reflect.TypeFor[topology.SecurityRule]())},
	"remove_nsg_rule":              {"op": nil, "nsg": nil, "name": nil},
	"add_route":                    {"op": nil, "route_table": nil, "route": KeysOf(reflect.TypeFor[topology.Route]())},
	"remove_route":                 {"op": nil, "route_table": nil, "name": nil},
	"add_route_table":              {"op": nil, "route_table": KeysOf(reflect.TypeFor[topology.RouteTable]())},
	"add_firewall_rule_collection": {"op": nil, "policy": nil, "rule_collection_group": nil, "rule_collection": KeysOf(reflect.TypeFor[topology.RuleCollection]())},
	"set":                          {"op": nil, "path": nil, "value": nil},
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func applyOne(n *topology.Network, op map[string]any) error {
	switch str(op, "op") {
	case "add_nsg_rule":
		g := n.NSG(str(op, "nsg"))
		if g == nil {
			return fmt.Errorf("NSG %q not found", str(op, "nsg"))
		}
		var r topology.SecurityRule
		if err := decodeInto(op["rule"], &r); err != nil {
			return err
		}
		g.Rules = append(g.Rules, &r)
	case "remove_nsg_rule":
		g := n.NSG(str(op, "nsg"))
		if g == nil {
			return fmt.Errorf("NSG %q not found", str(op, "nsg"))
		}
		before := len(g.Rules)
		g.Rules = removeNamed(g.Rules, str(op, "name"), func(r *topology.SecurityRule) string { return r.Name })
		if len(g.Rules) == before {
			return fmt.Errorf("NSG %s has no rule %q", g.Name, str(op, "name"))
		}
	case "add_route":
		rt := n.RouteTable(str(op, "route_table"))
		if rt == nil {
			return fmt.Errorf("route table %q not found", str(op, "route_table"))
		}
		var r topology.Route
		if err := decodeInto(op["route"], &r); err != nil {
			return err
		}
		rt.Routes = append(rt.Routes, &r)
	case "remove_route":
		rt := n.RouteTable(str(op, "route_table"))
		if rt == nil {
			return fmt.Errorf("route table %q not found", str(op, "route_table"))
		}
		before := len(rt.Routes)
		rt.Routes = removeNamed(rt.Routes, str(op, "name"), func(r *topology.Route) string { return r.Name })
		if len(rt.Routes) == before {
			return fmt.Errorf("route table %s has no route %q", rt.Name, str(op, "name"))
		}
	case "add_route_table":
		var rt topology.RouteTable
		if err := decodeInto(op["route_table"], &rt); err != nil {
			return err
		}
		n.RouteTables = append(n.RouteTables, &rt)
	case "add_firewall_rule_collection":
		p := n.FirewallPolicy(str(op, "policy"))
		if p == nil {
			return fmt.Errorf("firewall policy %q not found", str(op, "policy"))
		}
		var g *topology.RuleCollectionGroup
		for _, x := range p.RuleCollectionGroups {
			if strings.EqualFold(x.Name, str(op, "rule_collection_group")) {
				g = x
			}
		}
		if g == nil {
			g = &topology.RuleCollectionGroup{Name: str(op, "rule_collection_group")}
			p.RuleCollectionGroups = append(p.RuleCollectionGroups, g)
		}
		var rc topology.RuleCollection
		if err := decodeInto(op["rule_collection"], &rc); err != nil {
			return err
		}
		g.RuleCollections = append(g.RuleCollections, &rc)
	case "set":
		return Set(n, str(op, "path"), op["value"])
	default:
		return fmt.Errorf("unknown op %q", str(op, "op"))
	}
	return nil
}

func removeNamed[T any](list []T, name string, nameOf func(T) string) []T {
	out := list[:0:0]
	for _, x := range list {
		if !strings.EqualFold(nameOf(x), name) {
			out = append(out, x)
		}
	}
	return out
}

func decodeInto(v any, out any) error {
	b, err := yaml.Marshal(v)
	if err != nil {
		return err
	}
	return design.UnmarshalYAML(b, out)
}

// Set replaces the value at a dotted path such as
// `vnets[spoke].subnets[pe].private_endpoint_network_policies` or
// `peerings[spoke2->hub].allow_forwarded_traffic`; list items are selected
// by name (peerings by "<vnet>-><remote_vnet>").
func Set(n *topology.Network, path string, value any) error {
	segs, err := splitPath(path)
	if err != nil {
		return err
	}
	cur := reflect.ValueOf(n).Elem()
	for i, s := range segs {
		f, ok := fieldByTag(cur, s.field)
		if !ok {
			return fmt.Errorf("path %q: no field %q", path, s.field)
		}
		if s.sel == "" {
			if i < len(segs)-1 {
				cur = indirect(f)
				continue
			}
			nv := reflect.New(f.Type())
			if err := decodeInto(value, nv.Interface()); err != nil {
				return fmt.Errorf("path %q: %w", path, err)
			}
			f.Set(nv.Elem())
			return nil
		}
		if f.Kind() != reflect.Slice {
			return fmt.Errorf("path %q: %s is not a list", path, s.field)
		}
		var found reflect.Value
		for j := range f.Len() {
			if matchesSel(indirect(f.Index(j)), s.sel) {
				found = indirect(f.Index(j))
				break
			}
		}
		if !found.IsValid() {
			return fmt.Errorf("path %q: no %s item %q", path, s.field, s.sel)
		}
		if i == len(segs)-1 {
			return fmt.Errorf("path %q: cannot replace a whole list item", path)
		}
		cur = found
	}
	return nil
}

type seg struct{ field, sel string }

func splitPath(p string) ([]seg, error) {
	var out []seg
	for p != "" {
		end := strings.IndexAny(p, ".[")
		if end < 0 {
			out = append(out, seg{field: p})
			break
		}
		s := seg{field: p[:end]}
		p = p[end:]
		if p[0] == '[' {
			close := strings.IndexByte(p, ']')
			if close < 0 {
				return nil, fmt.Errorf("path: unclosed [")
			}
			s.sel, p = p[1:close], p[close+1:]
		}
		out = append(out, s)
		p = strings.TrimPrefix(p, ".")
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty path")
	}
	return out, nil
}

func indirect(v reflect.Value) reflect.Value {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		v = v.Elem()
	}
	return v
}

func fieldByTag(v reflect.Value, name string) (reflect.Value, bool) {
	if v.Kind() != reflect.Struct {
		return reflect.Value{}, false
	}
	t := v.Type()
	for i := range t.NumField() {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if tag == name && t.Field(i).IsExported() {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

func matchesSel(v reflect.Value, sel string) bool {
	if a, b, ok := strings.Cut(sel, "->"); ok {
		l, _ := fieldByTag(v, "vnet")
		r, _ := fieldByTag(v, "remote_vnet")
		return l.IsValid() && r.IsValid() && strings.EqualFold(l.String(), a) && strings.EqualFold(r.String(), b)
	}
	f, ok := fieldByTag(v, "name")
	return ok && strings.EqualFold(f.String(), sel)
}
