package topology

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// TerraformState is the part of `terraform show -json` output pathproof
// reads: every resource of the root module and its child modules.
type TerraformState struct {
	FormatVersion string
	// Plan is true when the input was a plan (planned_values); resources
	// to be created may lack their ids.
	Plan      bool
	Resources []TerraformResource
}

// TerraformResource is one resource instance of the state.
type TerraformResource struct {
	Address string // e.g. module.hub.azurerm_subnet.app["a"]
	Mode    string // managed | data
	Type    string // e.g. azurerm_subnet
	Name    string
	Values  map[string]any
}

// maxModuleDepth bounds module nesting.
const maxModuleDepth = 32

// DecodeTerraformState decodes `terraform show -json` output: a state
// (values.root_module) or a plan (prior_state merged with planned_values,
// planned values winning). Modules are walked recursively.
func DecodeTerraformState(data []byte) (*TerraformState, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("terraform show -json output: %w", jsonError(data, err))
	}
	st := &TerraformState{FormatVersion: str(doc, "format_version")}
	if st.FormatVersion == "" {
		return nil, fmt.Errorf("not terraform show -json output: no format_version")
	}
	byAddr := map[string]int{}
	add := func(root map[string]any) {
		walkModule(root, 0, func(r TerraformResource) {
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
	if v := obj(doc, "values"); v != nil {
		add(obj(v, "root_module"))
	}
	if ps := obj(doc, "prior_state"); ps != nil {
		add(obj(obj(ps, "values"), "root_module"))
	}
	if pv := obj(doc, "planned_values"); pv != nil {
		st.Plan = true
		add(obj(pv, "root_module"))
	}
	return st, nil
}

func walkModule(m map[string]any, depth int, f func(TerraformResource)) {
	if m == nil || depth > maxModuleDepth {
		return
	}
	for _, r := range objs(m, "resources") {
		mode := str(r, "mode")
		if mode == "" {
			mode = "managed"
		}
		f(TerraformResource{Address: str(r, "address"), Mode: mode, Type: str(r, "type"), Name: str(r, "name"), Values: obj(r, "values")})
	}
	for _, c := range objs(m, "child_modules") {
		walkModule(c, depth+1, f)
	}
}

// tfSyntheticSub stands in for the subscription in ids pathproof has to
// build (plans, where ids of resources to be created are unknown).
const tfSyntheticSub = "00000000-0000-0000-0000-000000000000"

// tfID returns values.id, or an id built from the resource group and
// names when the plan does not know it yet.
func tfID(v map[string]any, typ string, names ...string) string {
	if id := str(v, "id"); id != "" {
		return id
	}
	rg := str(v, "resource_group_name")
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
	if id := str(v, "id"); id != "" {
		return ParseAzureID(id).Parent().Raw
	}
	return tfID(map[string]any{"resource_group_name": str(v, "resource_group_name")}, typ, str(v, nameField))
}

// into adds the state's azurerm resources to s and returns notes about
// what was skipped.
func (st *TerraformState) into(s *azSet, file string) []string {
	var notes []string
	if s.SubnetNSG == nil {
		s.SubnetNSG, s.SubnetRT = map[string]string{}, map[string]string{}
	}
	j := &tfJoins{nicNSG: map[string]string{}, nicASG: map[string][]string{}, gwNAT: map[string][]azGwNATRule{}, classic: map[string][]*azRuleCollection{}}
	skipped := map[string]int{}
	seenID := map[string]bool{}
	// managed resources first, so a data source describing the same
	// resource is ignored.
	res := append([]TerraformResource(nil), st.Resources...)
	sort.SliceStable(res, func(i, j int) bool { return res[i].Mode == "managed" && res[j].Mode != "managed" })
	for _, r := range res {
		v := r.Values
		if v == nil {
			continue
		}
		if id := str(v, "id"); id != "" {
			if seenID[azIDKey(id)+"\x00"+r.Type] {
				continue
			}
			seenID[azIDKey(id)+"\x00"+r.Type] = true
		}
		a := azSrc{File: file, Where: r.Address}
		if !tfRead(s, r, a, j) {
			skipped[r.Type]++
		}
	}
	for _, n := range s.NICs {
		if nsg, ok := j.nicNSG[azIDKey(n.ID)]; ok {
			n.NSGID = nsg
		}
		if asgs, ok := j.nicASG[azIDKey(n.ID)]; ok && len(n.IPConfigs) > 0 {
			n.IPConfigs[0].ASGIDs = union(n.IPConfigs[0].ASGIDs, asgs)
		}
	}
	for _, g := range s.Gateways {
		g.NATRules = append(g.NATRules, j.gwNAT[azIDKey(g.ID)]...)
	}
	s.fixSyntheticParents()
	for _, f := range s.Firewalls {
		cs := j.classic[azIDKey(f.ID)]
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
func (s *azSet) fixSyntheticParents() {
	find := func(made string, ids []string) string {
		if !strings.Contains(made, tfSyntheticSub) {
			return made
		}
		want := ParseAzureID(made)
		for _, id := range ids {
			a := ParseAzureID(id)
			if strings.EqualFold(a.ResourceGroup, want.ResourceGroup) && a.Type() == want.Type() && strings.EqualFold(a.Name(), want.Name()) {
				return id
			}
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
	for _, sb := range s.Subnets {
		if p := find(sb.VNetID, vnets); p != sb.VNetID {
			sb.ID = p + "/subnets/" + sb.Name
			sb.VNetID = p
		}
	}
	for _, p := range s.Peerings {
		p.VNetID = find(p.VNetID, vnets)
	}
	for _, r := range s.NSGRules {
		r.NSGID = find(r.NSGID, nsgs)
	}
	for _, r := range s.Routes {
		r.RouteTableID = find(r.RouteTableID, rts)
	}
}
