// Package terraform reads `terraform show -json` output (a state or a
// plan, modules walked recursively) and adds its azurerm resources to an
// armset.Set, the intermediate form it shares with the Azure JSON loader.
package terraform

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
	"github.com/pathproof/pathproof/internal/topology/armset"
	"github.com/pathproof/pathproof/internal/topology/jsonobj"
)

// State is the part of `terraform show -json` output pathproof
// reads: every resource of the root module and its child modules.
type State struct {
	FormatVersion string
	// Plan is true when the input was a plan (planned_values); resources
	// to be created may lack their ids.
	Plan      bool
	Resources []Resource
}

// Resource is one resource instance of the state.
type Resource struct {
	Address string // e.g. module.hub.azurerm_subnet.app["a"]
	Mode    string // managed | data
	Type    string // e.g. azurerm_subnet
	Name    string
	Values  map[string]any
}

// maxModuleDepth bounds module nesting.
const maxModuleDepth = 32

// Decode decodes `terraform show -json` output: a state
// (values.root_module) or a plan (prior_state merged with planned_values,
// planned values winning). Modules are walked recursively.
func Decode(data []byte) (*State, error) {
	v, err := jsonobj.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("terraform show -json output: %w", err)
	}
	return DecodeValue(v)
}

// DecodeValue is Decode on a document already decoded by jsonobj.Decode
// (the topology loader decodes a JSON file once for every format).
func DecodeValue(v any) (*State, error) {
	doc, _ := v.(map[string]any)
	st := &State{FormatVersion: jsonobj.Str(doc, "format_version")}
	if st.FormatVersion == "" {
		return nil, fmt.Errorf("not terraform show -json output: no format_version")
	}
	byAddr := map[string]int{}
	add := func(root map[string]any) {
		walkModule(root, 0, func(r Resource) {
			if i, ok := byAddr[r.Address]; ok {
				// A plan's planned values win; attributes it does not know
				// yet (computed ids) keep their prior value.
				for k, v := range st.Resources[i].Values {
					if _, set := r.Values[k]; !set && r.Values != nil {
						r.Values[k] = v
					}
				}
				st.Resources[i] = r
				return
			}
			byAddr[r.Address] = len(st.Resources)
			st.Resources = append(st.Resources, r)
		})
	}
	if v := jsonobj.Obj(doc, "values"); v != nil {
		add(jsonobj.Obj(v, "root_module"))
	}
	if ps := jsonobj.Obj(doc, "prior_state"); ps != nil {
		add(jsonobj.Obj(jsonobj.Obj(ps, "values"), "root_module"))
	}
	if pv := jsonobj.Obj(doc, "planned_values"); pv != nil {
		st.Plan = true
		add(jsonobj.Obj(pv, "root_module"))
	}
	return st, nil
}

func walkModule(m map[string]any, depth int, f func(Resource)) {
	if m == nil || depth > maxModuleDepth {
		return
	}
	for _, r := range jsonobj.Objs(m, "resources") {
		mode := jsonobj.Str(r, "mode")
		if mode == "" {
			mode = "managed"
		}
		f(Resource{Address: jsonobj.Str(r, "address"), Mode: mode, Type: jsonobj.Str(r, "type"), Name: jsonobj.Str(r, "name"), Values: jsonobj.Obj(r, "values")})
	}
	for _, c := range jsonobj.Objs(m, "child_modules") {
		walkModule(c, depth+1, f)
	}
}

// tfSyntheticSub stands in for the subscription in ids pathproof has to
// build (plans, where ids of resources to be created are unknown).
const tfSyntheticSub = "00000000-0000-0000-0000-000000000000"

// tfChildID returns values.id, or parent/seg/name for a child resource
// (a record set of a zone, a connection of a hub) whose id the plan does
// not know yet.
func tfChildID(v map[string]any, parent, seg string) string {
	if id := jsonobj.Str(v, "id"); id != "" {
		return id
	}
	return parent + "/" + seg + "/" + jsonobj.Str(v, "name")
}

// tfID returns values.id, or an id built from the resource group and
// names when the plan does not know it yet.
func tfID(v map[string]any, typ string, names ...string) string {
	if id := jsonobj.Str(v, "id"); id != "" {
		return id
	}
	rg := jsonobj.Str(v, "resource_group_name")
	parts := []string{"/subscriptions/" + tfSyntheticSub + "/resourceGroups/" + rg + "/providers/Microsoft.Network"}
	segs := strings.Split(typ, "/")
	for i, s := range segs {
		if i < len(names) {
			parts = append(parts, s, names[i])
		}
	}
	return strings.Join(parts, "/")
}

// tfParentID is the id of the parent a child resource names (the virtual
// network of a subnet, the NSG of a rule, ...): the parent of the child's
// own id, else the id made from its resource group and nameField.
func tfParentID(v map[string]any, typ, nameField string) string {
	if id := jsonobj.Str(v, "id"); id != "" {
		return arm.ParseID(id).Parent().Raw
	}
	return tfID(map[string]any{"resource_group_name": jsonobj.Str(v, "resource_group_name")}, typ, jsonobj.Str(v, nameField))
}

// AddTo adds the state's azurerm resources to s and returns notes about
// what was skipped. Resources of s read from other files may be joined
// (a plan's new subnet in an existing VNet).
func (st *State) AddTo(s *armset.Set, file string) []string {
	var notes []string
	if s.SubnetNSG == nil {
		s.SubnetNSG, s.SubnetRT = map[string]string{}, map[string]string{}
	}
	j := &tfJoins{nicNSG: map[string]string{}, nicASG: map[string][]string{}, gwNAT: map[string][]armset.GatewayNATRule{}, classic: map[string][]*armset.RuleCollection{},
		hubRoutes: map[string][]*topology.HubRoute{}, lb: newLBJoins(), dns: newDNSJoins()}
	skipped := map[string]int{}
	seenID := map[string]bool{}
	// managed resources first, so a data source describing the same
	// resource is ignored.
	res := append([]Resource(nil), st.Resources...)
	sort.SliceStable(res, func(i, j int) bool { return res[i].Mode == "managed" && res[j].Mode != "managed" })
	for _, r := range res {
		v := r.Values
		if v == nil {
			continue
		}
		if id := jsonobj.Str(v, "id"); id != "" {
			if seenID[arm.IDKey(id)+"\x00"+r.Type] {
				continue
			}
			seenID[arm.IDKey(id)+"\x00"+r.Type] = true
		}
		a := armset.Src{File: file, Where: r.Address}
		if !tfRead(s, r, a, j) {
			skipped[r.Type]++
		}
	}
	for _, n := range s.NICs {
		if nsg, ok := j.nicNSG[arm.IDKey(n.ID)]; ok {
			n.NSGID = nsg
		}
		if asgs, ok := j.nicASG[arm.IDKey(n.ID)]; ok && len(n.IPConfigs) > 0 {
			n.IPConfigs[0].ASGIDs = arm.Union(n.IPConfigs[0].ASGIDs, asgs)
		}
	}
	for _, g := range s.Gateways {
		g.NATRules = append(g.NATRules, j.gwNAT[arm.IDKey(g.ID)]...)
	}
	for _, t := range s.VirtualWAN().Tables {
		t.Routes = append(t.Routes, j.hubRoutes[arm.IDKey(t.ID)]...)
	}
	j.lb.apply(s)
	j.dns.apply(s)
	fixSyntheticParents(s)
	for _, f := range s.Firewalls {
		cs := j.classic[arm.IDKey(f.ID)]
		sort.SliceStable(cs, func(a, b int) bool { return cs[a].Priority < cs[b].Priority })
		f.Classic = append(f.Classic, cs...)
	}
	types := make([]string, 0, len(skipped))
	for t := range skipped {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		notes = append(notes, fmt.Sprintf("%d %s resource(s) skipped: not a resource type pathproof models", skipped[t], t))
	}
	if st.Plan {
		notes = append(notes, "terraform plan: resources without an id yet got a made-up id with subscription "+tfSyntheticSub)
	}
	return notes
}

// fixSyntheticParents points children whose parent id had to be made up
// (a plan's new subnet in an existing VNet) at the parent with the same
// resource group and name, when there is one.
func fixSyntheticParents(s *armset.Set) {
	// Parents are indexed once by resource group, type and name (the first
	// id wins, as a scan would find it): a scan per child made a plan of
	// 10,000 subnets quadratic.
	type key struct{ rg, typ, name string }
	keyOf := func(id string) key {
		a := arm.ParseID(id)
		return key{strings.ToLower(a.ResourceGroup), a.Type(), strings.ToLower(a.Name())}
	}
	index := func(ids []string) map[key]string {
		m := make(map[key]string, len(ids))
		for _, id := range ids {
			if k := keyOf(id); m[k] == "" {
				m[k] = id
			}
		}
		return m
	}
	find := func(made string, parents map[key]string) string {
		if !strings.Contains(made, tfSyntheticSub) {
			return made
		}
		if id, ok := parents[keyOf(made)]; ok {
			return id
		}
		return made
	}
	var vnets, nsgs, rts []string
	for _, v := range s.VNets {
		vnets = append(vnets, v.ID)
	}
	for _, x := range s.NSGs {
		nsgs = append(nsgs, x.ID)
	}
	for _, x := range s.RouteTables {
		rts = append(rts, x.ID)
	}
	vnetIdx, nsgIdx, rtIdx := index(vnets), index(nsgs), index(rts)
	for _, sb := range s.Subnets {
		if p := find(sb.VNetID, vnetIdx); p != sb.VNetID {
			sb.ID = p + "/subnets/" + sb.Name
			sb.VNetID = p
		}
	}
	for _, p := range s.Peerings {
		p.VNetID = find(p.VNetID, vnetIdx)
	}
	for _, r := range s.NSGRules {
		r.NSGID = find(r.NSGID, nsgIdx)
	}
	for _, r := range s.Routes {
		r.RouteTableID = find(r.RouteTableID, rtIdx)
	}
}

// MaybeState reports, from the bytes alone and without decoding them,
// whether data can be terraform show -json output: a JSON object naming
// format_version. SniffValue decides on the decoded document.
func MaybeState(data []byte) bool {
	t := bytes.TrimSpace(data)
	return len(t) > 0 && t[0] == '{' && bytes.Contains(t, []byte(`"format_version"`))
}

// SniffValue claims terraform show -json output, decoded by
// jsonobj.Decode: an object with a format_version and the values of a
// state or a plan at the top level.
func SniffValue(v any) bool {
	doc, ok := v.(map[string]any)
	return ok && isState(doc)
}

// isState reports whether doc is a state or plan document.
func isState(doc map[string]any) bool {
	return doc["format_version"] != nil && (doc["values"] != nil || doc["planned_values"] != nil || doc["prior_state"] != nil)
}

// ReadValue adds the resources of one terraform show -json file, already
// decoded by jsonobj.Decode, to s. It returns notes about what it skipped
// (warnings naming the file); every note counts as skipped. The error is
// for a file that cannot be read.
func ReadValue(s *armset.Set, path string, v any) (notes []topology.Diag, skipped int, err error) {
	st, err := DecodeValue(v)
	if err != nil {
		return nil, 0, err
	}
	for _, n := range st.AddTo(s, path) {
		notes = append(notes, topology.Diag{Src: topology.Source{File: path}, Message: n})
	}
	return notes, len(notes), nil
}
