package topology

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"
	"weak"
)

func init() {
	RegisterLoader("azure-json", sniffAzureJSON, loadAzureJSON)
}

// sniffAzureJSON claims any JSON document: az CLI, ARM, Resource Graph,
// Network Watcher outputs and terraform show -json.
func sniffAzureJSON(_ string, data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	t = bytes.TrimPrefix(t, []byte("\xef\xbb\xbf"))
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// azState is what the Azure loaders accumulated for one Network. Azure
// exports reference each other across files (a subnet listed on its own, a
// private endpoint's NIC, the public IP resources holding addresses, a
// policy's rule collection groups, Terraform's association resources), so
// every file adds to one azSet and the whole set is mapped again; the
// previous mapping is taken out of the Network first.
type azState struct {
	set    azSet
	notes  []Diag // per-file notes (skipped resources), kept across remaps
	nskips int    // resources and files skipped so far

	// What the last remap put into the Network and Diagnostics, taken out
	// again before the next one.
	added *Network
	errs  []Diag
	warns []Diag
	skips int
}

var (
	azStatesMu sync.Mutex
	azStates   = map[weak.Pointer[Network]]*azState{}
)

func azStateOf(net *Network) *azState {
	azStatesMu.Lock()
	defer azStatesMu.Unlock()
	k := weak.Make(net)
	st := azStates[k]
	if st == nil {
		st = &azState{}
		azStates[k] = st
		runtime.AddCleanup(net, func(k weak.Pointer[Network]) {
			azStatesMu.Lock()
			delete(azStates, k)
			azStatesMu.Unlock()
		}, k)
	}
	return st
}

// loadAzureJSON is the Loader of every JSON input.
func loadAzureJSON(path string, data []byte, net *Network, d *Diagnostics) error {
	st := azStateOf(net)
	if err := st.read(path, data); err != nil {
		return err
	}
	st.remap(net, d)
	return nil
}

// read decodes one file into the accumulated set. Notes about skipped
// resources are kept as warnings.
func (st *azState) read(path string, data []byte) error {
	doc, err := DecodeAzureJSON(data)
	if err != nil {
		return err
	}
	if doc.Dialect == DialectTerraform {
		tf, err := DecodeTerraformState(data)
		if err != nil {
			return err
		}
		notes := tf.into(&st.set, path)
		for _, n := range notes {
			st.notes = append(st.notes, Diag{Src: Source{File: path}, Message: n})
		}
		st.nskips += len(notes)
		return nil
	}
	if doc.Watcher != nil {
		st.notes = append(st.notes, Diag{Src: Source{File: path}, Message: fmt.Sprintf("Network Watcher %s output, not topology; skipped (pathproof computes this answer itself)", doc.Watcher.Kind)})
		st.nskips++
		return nil
	}
	for _, n := range doc.Notes {
		st.notes = append(st.notes, Diag{Src: Source{File: path}, Message: n})
		st.nskips++
	}
	for _, r := range doc.Resources {
		note, err := st.set.add(path, r)
		if err != nil {
			st.notes = append(st.notes, Diag{Src: Source{File: path, ID: r.ID.Raw}, Message: err.Error()})
		}
		if note != "" {
			st.notes = append(st.notes, Diag{Src: Source{File: path, ID: r.ID.Raw}, Message: note})
			st.nskips++
		}
	}
	if len(doc.Resources) == 0 && len(doc.Notes) == 0 {
		st.notes = append(st.notes, Diag{Src: Source{File: path}, Message: "no resources in this file"})
	}
	return nil
}

// remap takes the previous mapping out of net and d and adds a fresh one.
func (st *azState) remap(net *Network, d *Diagnostics) {
	if st.added != nil {
		removeAdded(net, st.added)
		d.Errors = removeDiags(d.Errors, st.errs)
		d.Warnings = removeDiags(d.Warnings, st.warns)
		d.Skipped -= st.skips
	}
	set := st.set.clone()
	mapped, notes, errs := set.toNetwork()
	st.errs, st.warns = nil, nil
	for _, e := range errs {
		st.errs = append(st.errs, toDiag(e))
	}
	st.warns = append(st.warns, st.notes...)
	for _, n := range notes {
		st.warns = append(st.warns, toDiag(n))
	}
	d.Errors = append(d.Errors, st.errs...)
	d.Warnings = append(d.Warnings, st.warns...)
	st.skips = st.nskips
	d.Skipped += st.skips
	net.Merge(mapped)
	st.added = mapped
}

func toDiag(e error) Diag {
	if p, ok := e.(*azProblem); ok {
		return Diag{Src: src(p.Src), Message: p.Msg}
	}
	return Diag{Message: e.Error()}
}

// removeDiags removes one occurrence of each of old from list.
func removeDiags(list, old []Diag) []Diag {
	left := map[Diag]int{}
	for _, o := range old {
		left[o]++
	}
	out := list[:0:0]
	for _, x := range list {
		if left[x] > 0 {
			left[x]--
			continue
		}
		out = append(out, x)
	}
	return out
}

// removeAdded removes from n every resource object that o holds.
func removeAdded(n, o *Network) {
	n.VNets = without(n.VNets, o.VNets)
	n.Peerings = without(n.Peerings, o.Peerings)
	n.RouteTables = without(n.RouteTables, o.RouteTables)
	n.NSGs = without(n.NSGs, o.NSGs)
	n.AdminRules = without(n.AdminRules, o.AdminRules)
	n.ASGs = without(n.ASGs, o.ASGs)
	n.NICs = without(n.NICs, o.NICs)
	n.PrivateEndpoints = without(n.PrivateEndpoints, o.PrivateEndpoints)
	n.Firewalls = without(n.Firewalls, o.Firewalls)
	n.FirewallPolicies = without(n.FirewallPolicies, o.FirewallPolicies)
	n.IPGroups = without(n.IPGroups, o.IPGroups)
	n.Gateways = without(n.Gateways, o.Gateways)
	n.Connections = without(n.Connections, o.Connections)
	n.OnPremSites = without(n.OnPremSites, o.OnPremSites)
	n.idx = nil
}

func without[T comparable](list, drop []T) []T {
	if len(drop) == 0 {
		return list
	}
	gone := make(map[T]bool, len(drop))
	for _, x := range drop {
		gone[x] = true
	}
	out := list[:0:0]
	for _, x := range list {
		if !gone[x] {
			out = append(out, x)
		}
	}
	return out
}

// clone copies the parts of s that mapping modifies (child lists and
// subnet associations), so the accumulated set can be mapped again.
func (s *azSet) clone() *azSet {
	c := *s
	c.VNets = make([]*azVNet, len(s.VNets))
	for i, v := range s.VNets {
		nv := *v
		nv.Subnets = make([]*azSubnet, len(v.Subnets))
		for j, sb := range v.Subnets {
			x := *sb
			nv.Subnets[j] = &x
		}
		nv.Peerings = append([]*azPeering(nil), v.Peerings...)
		c.VNets[i] = &nv
	}
	c.Subnets = make([]*azSubnet, len(s.Subnets))
	for i, sb := range s.Subnets {
		x := *sb
		c.Subnets[i] = &x
	}
	c.NSGs = make([]*azNSG, len(s.NSGs))
	for i, n := range s.NSGs {
		x := *n
		x.Rules = append([]*azNSGRule(nil), n.Rules...)
		c.NSGs[i] = &x
	}
	c.RouteTables = make([]*azRouteTable, len(s.RouteTables))
	for i, t := range s.RouteTables {
		x := *t
		x.Routes = append([]*azRoute(nil), t.Routes...)
		c.RouteTables[i] = &x
	}
	return &c
}
