package export_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/scenario"
	"github.com/pathproof/pathproof/internal/testenv"
	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/export"
	"github.com/pathproof/pathproof/internal/topology/load"
)

// exportFormats are the ways one network is written out and read back.
type exportFormat struct {
	name, file string
	write      func(*topology.Network) ([]byte, []string, error)
}

var exportFormats = []exportFormat{
	{"arm", "network.arm.json", export.ARM},
	{"az-cli", "network.az.json", export.AZCLI},
	{"terraform", "network.tfstate.json", export.TerraformState},
}

// TestExportRoundTripScenarios writes every shared scenario's topology as
// ARM JSON, az CLI JSON and terraform show -json, loads each back and
// checks that the model is the same and that every query of the scenario,
// and the effective routes of every NIC, get identical answers.
func TestExportRoundTripScenarios(t *testing.T) {
	dir := testenv.Shared(t, "scenarios")
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no scenario files")
	}
	compared := 0
	for _, path := range files {
		f, err := scenario.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		compared += roundTrip(t, f, exportFormats)
	}
	t.Logf("%d query answers compared across %d scenarios and %d formats", compared, len(files), len(exportFormats))
}

// roundTrip writes f's topology in each format, loads it back and checks
// the model and every query answer (and every NIC's effective routes) are
// the design's. It returns the number of answers compared.
func roundTrip(t *testing.T, f *scenario.File, formats []exportFormat) int {
	t.Helper()
	compared := 0
	// Internet hosts have no exported form: the baseline is the design
	// without them.
	design := f.Topology.Clone()
	design.InternetHosts = nil
	design.Index()
	want := canonical(t, design)
	base := scenario.Run(f, scenario.RunOptions{Topology: design})
	for _, ef := range formats {
		t.Run(f.ID+"/"+ef.name, func(t *testing.T) {
			data, _, err := ef.write(design)
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(t.TempDir(), ef.file)
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			paths := []string{p}
			if side := dnsSideFile(t, design); side != "" {
				paths = append(paths, side)
			}
			got, d, err := load.Load(paths...)
			if err != nil {
				t.Fatalf("exported %s does not load: %v", ef.name, err)
			}
			for _, w := range d.Warnings {
				if !strings.Contains(w.Message, "no peering object") && !strings.Contains(w.Message, "terraform plan") {
					t.Errorf("warning: %s", w)
				}
			}
			if g := canonical(t, got); g != want {
				t.Errorf("model differs after %s round trip:\n%s", ef.name, lineDiff(want, g))
			}
			rep := scenario.Run(f, scenario.RunOptions{Topology: got})
			for i, r := range rep.Results {
				b := base.Results[i]
				if r.Pass != b.Pass || answerOf(t, r) != answerOf(t, b) || r.Error != b.Error {
					t.Errorf("query %s (%s): design answer %s (pass %v %s), %s answer %s (pass %v %s)",
						r.ID, r.Kind, jsonOf(t, b.Actual), b.Pass, b.Error, ef.name, jsonOf(t, r.Actual), r.Pass, r.Error)
				}
				compared++
			}
			opts := azure.Options{Profile: f.Profile["platform_none_routes"]}
			e1, e2 := azure.New(design, opts), azure.New(got, opts)
			for _, nic := range design.NICs {
				a := jsonOf(t, scenario.RoutesJSON(e1.RoutesOfNIC(nic)))
				b := jsonOf(t, scenario.RoutesJSON(e2.RoutesOfNIC(got.NIC(nic.Name))))
				if a != b {
					t.Errorf("effective routes of %s differ:\n%s", nic.Name, lineDiff(a, b))
				}
			}
		})
	}
	return compared
}

// model2RoundTrip are the project's own scenario files (#14) whose
// constructs every exporter writes; add a file here once its resources
// export to each format.
var model2RoundTrip = map[string][]string{
	"lb-ilb-ha-ports-nva.yaml":             {"arm", "az-cli", "terraform", "resource-graph"},
	"lb-public-inbound.yaml":               {"arm", "az-cli", "terraform", "resource-graph"},
	"lb-gateway-chain.yaml":                {"arm", "az-cli", "terraform", "resource-graph"},
	"nat-gateway-outbound-precedence.yaml": {"arm", "az-cli", "terraform", "resource-graph"},
	"dns-private-endpoint.yaml":            {"arm", "az-cli", "terraform", "resource-graph"},
	"vwan-isolating-vnets.yaml":            {"arm", "az-cli", "terraform"},
	"vwan-routing-intent.yaml":             {"arm", "az-cli", "terraform"},
	"vwan-hub-route-conflicts.yaml":        {"arm", "az-cli", "terraform"},
	// Terraform has no attribute for the routes a BGP peer advertises.
	"route-server-sdwan-nva.yaml": {"arm", "az-cli"},
}

// resourceGraphFormat writes the ARM export as Azure Resource Graph rows
// ({"data": [...]}, lower-case types, resourceGroup and subscriptionId
// beside each row), as `az graph query` or the REST API return them.
var resourceGraphFormat = exportFormat{"resource-graph", "network.graph.json", func(n *topology.Network) ([]byte, []string, error) {
	data, notes, err := export.ARM(n)
	if err != nil {
		return nil, nil, err
	}
	var list struct {
		Value []map[string]any `json:"value"`
	}
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, nil, err
	}
	rows := make([]any, 0, len(list.Value))
	for _, r := range list.Value {
		r["type"] = strings.ToLower(r["type"].(string))
		r["resourceGroup"] = strings.ToLower(export.ResourceGroup)
		r["subscriptionId"] = export.Subscription
		rows = append(rows, r)
	}
	b, err := json.Marshal(map[string]any{"totalRecords": len(rows), "count": len(rows), "data": rows})
	return b, notes, err
}}

// TestExportRoundTripModel2 is TestExportRoundTripScenarios for the
// project's scenario files: load balancers and NAT gateways written out and
// read back give the design's answers.
func TestExportRoundTripModel2(t *testing.T) {
	compared := 0
	for name, want := range model2RoundTrip {
		f, err := scenario.ReadFile(filepath.Join("..", "..", "scenario", "testdata", "model2", name))
		if err != nil {
			t.Fatal(err)
		}
		var formats []exportFormat
		for _, ef := range append(exportFormats, resourceGraphFormat) {
			if slices.Contains(want, ef.name) {
				formats = append(formats, ef)
			}
		}
		compared += roundTrip(t, f, formats)
	}
	if compared == 0 {
		t.Fatal("no answers compared")
	}
	t.Logf("%d query answers compared", compared)
}

// armRef matches a resource id in an answer: hub effective routes name
// next hops and origins by id, as Azure does, when the network has ids.
var armRef = regexp.MustCompile(`"/subscriptions/[^"]*/([^"/]+)"`)

// answerOf is a query's answer as JSON; a hub_effective_routes answer
// names resources by their last id segment, so a designed network (names)
// and its export (ids) compare.
func answerOf(t *testing.T, r scenario.Result) string {
	t.Helper()
	s := jsonOf(t, r.Actual)
	if r.Kind == "hub_effective_routes" {
		s = armRef.ReplaceAllString(s, `"$1"`)
	}
	return s
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// canonical renders n in the design format with every reference resolved
// to a name, ids dropped and defaults made explicit, so a designed network
// and the same network read back from an export compare equal.
func canonical(t *testing.T, n *topology.Network) string {
	t.Helper()
	c := n.Clone()
	name := func(ref string, find func(string) string) string {
		if ref == "" {
			return ""
		}
		if s := find(ref); s != "" {
			return s
		}
		return "DANGLING:" + ref
	}
	vnet := func(r string) string {
		if v := n.VNet(r); v != nil {
			return v.Name
		}
		return ""
	}
	subnet := func(r string) string {
		if s := n.Subnet(r); s != nil {
			return s.Key()
		}
		return ""
	}
	nsg := func(r string) string {
		if x := n.NSG(r); x != nil {
			return x.Name
		}
		return ""
	}
	rt := func(r string) string {
		if x := n.RouteTable(r); x != nil {
			return x.Name
		}
		return ""
	}
	asg := func(r string) string {
		if x := n.ASG(r); x != nil {
			return x.Name
		}
		return ""
	}
	pol := func(r string) string {
		if x := n.FirewallPolicy(r); x != nil {
			return x.Name
		}
		return ""
	}
	ipg := func(r string) string {
		if x := n.IPGroup(r); x != nil {
			return x.Name
		}
		return ""
	}
	gw := func(r string) string {
		if x := n.Gateway(r); x != nil {
			return x.Name
		}
		return ""
	}
	remote := func(r string) string {
		if x := n.OnPremSite(r); x != nil {
			return "site:" + x.Name
		}
		if x := n.Gateway(r); x != nil {
			return "gateway:" + x.Name
		}
		return ""
	}
	sides := func(list []string) []string {
		out := make([]string, len(list))
		for i, s := range list {
			if ref, ok := strings.CutPrefix(s, "asg:"); ok {
				s = "asg:" + name(ref, asg)
			}
			out[i] = s
		}
		return out
	}
	for _, v := range c.VNets {
		v.ID = ""
		for _, s := range v.Subnets {
			s.ID, s.NSG, s.RouteTable = "", name(s.NSG, nsg), name(s.RouteTable, rt)
			s.PrivateEndpointNetworkPolicies = s.PEPolicy()
		}
	}
	for _, p := range c.Peerings {
		p.ID, p.Name = "", ""
		p.VNet, p.RemoteVNet = name(p.VNet, vnet), name(p.RemoteVNet, vnet)
		if p.State == "" {
			p.State = "Connected"
		}
		access := p.VNetAccess()
		p.AllowVirtualNetworkAccess = &access
	}
	// Exports list peerings under their VNet: order is not meaningful.
	slices.SortStableFunc(c.Peerings, func(a, b *topology.Peering) int {
		return strings.Compare(a.VNet+"\x00"+a.RemoteVNet, b.VNet+"\x00"+b.RemoteVNet)
	})
	for _, x := range c.RouteTables {
		x.ID = ""
	}
	for _, x := range c.NSGs {
		x.ID = ""
		for _, r := range x.Rules {
			r.Source, r.Destination = sides(r.Source), sides(r.Destination)
			if len(r.SourcePorts) == 0 {
				r.SourcePorts = []string{"*"}
			}
			if len(r.DestinationPorts) == 0 {
				r.DestinationPorts = []string{"*"}
			}
		}
	}
	for _, x := range c.ASGs {
		x.ID = ""
	}
	for _, x := range c.NICs {
		x.ID, x.Subnet, x.NSG = "", name(x.Subnet, subnet), name(x.NSG, nsg)
		for i, a := range x.ASGs {
			x.ASGs[i] = name(a, asg)
		}
	}
	for _, x := range c.PrivateEndpoints {
		x.ID, x.Subnet = "", name(x.Subnet, subnet)
		if x.ConnectionState == "" {
			x.ConnectionState = "Approved"
		}
	}
	for _, x := range c.Firewalls {
		x.ID, x.Subnet, x.Policy = "", name(x.Subnet, subnet), name(x.Policy, pol)
		if p := n.FirewallPolicy(x.Policy); p != nil && p.Classic && x.ThreatIntelMode == "" {
			x.ThreatIntelMode = p.ThreatIntelMode
		}
	}
	for _, p := range c.FirewallPolicies {
		p.ID, p.Parent = "", name(p.Parent, pol)
		// Priorities order groups and collections; list order does not.
		slices.SortStableFunc(p.RuleCollectionGroups, func(a, b *topology.RuleCollectionGroup) int { return a.Priority - b.Priority })
		for _, g := range p.RuleCollectionGroups {
			g.ID = ""
			slices.SortStableFunc(g.RuleCollections, func(a, b *topology.RuleCollection) int { return a.Priority - b.Priority })
			for _, rc := range g.RuleCollections {
				for _, r := range rc.Rules {
					for i, x := range r.SourceIPGroups {
						r.SourceIPGroups[i] = name(x, ipg)
					}
					for i, x := range r.DestinationIPGroups {
						r.DestinationIPGroups[i] = name(x, ipg)
					}
				}
			}
		}
	}
	for _, x := range c.IPGroups {
		x.ID = ""
	}
	for _, g := range c.Gateways {
		g.ID, g.VNet = "", name(g.VNet, vnet)
		for _, r := range g.NATRules {
			r.ID = ""
		}
	}
	for _, x := range c.Connections {
		x.ID, x.Gateway, x.Remote = "", name(x.Gateway, gw), name(x.Remote, remote)
		slices.Sort(x.NATRules)
	}
	for _, x := range c.OnPremSites {
		x.ID = ""
	}
	for _, a := range c.AdminRules {
		a.ID = ""
		for i, v := range a.AppliesToVNets {
			a.AppliesToVNets[i] = name(v, vnet)
		}
		slices.Sort(a.AppliesToVNets)
	}
	slices.SortStableFunc(c.AdminRules, func(a, b *topology.AdminRule) int { return a.Priority - b.Priority })
	for _, l := range c.LoadBalancers {
		l.ID = ""
		if l.SKU == "" {
			l.SKU = topology.LBSKUStandard // the model's default; Terraform states always name it
		}
		for _, f := range l.Frontends {
			f.Subnet = name(f.Subnet, subnet)
		}
		for _, p := range l.BackendPools {
			p.VNet = name(p.VNet, vnet)
		}
	}
	for _, g := range c.NATGateways {
		g.ID = ""
		for i, x := range g.Subnets {
			g.Subnets[i] = name(x, subnet)
		}
	}
	canonicalVWAN(c, n)
	canonicalDNS(c, n)
	b, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// canonicalVWAN resolves the Virtual WAN and Route Server references of c
// (a clone of n) to names: hub, table, connection, firewall, VNet and site.
func canonicalVWAN(c, n *topology.Network) {
	for _, x := range c.VirtualWANs {
		x.ID = ""
		if x.Type == "" {
			x.Type = "Standard"
		}
	}
	for _, x := range c.Firewalls {
		if h := n.VirtualHub(x.Hub); h != nil {
			x.Hub = h.Name
		}
	}
	for i, h := range c.VirtualHubs {
		orig := n.VirtualHubs[i]
		hop := func(ref string) string {
			if f := n.Firewall(ref); f != nil {
				return "firewall:" + f.Name
			}
			if k := orig.Connection(ref); k != nil {
				return "connection:" + k.Name
			}
			for _, p := range orig.BGPPeers {
				if strings.EqualFold(p.Name, ref) || strings.EqualFold(p.ID, ref) {
					return "peer:" + p.Name
				}
			}
			return "DANGLING:" + ref
		}
		table := func(ref string) string {
			if t := n.HubRouteTable(orig, ref); t != nil && t.Hub() != nil {
				return t.Hub().Name + "/" + t.Name
			}
			return "DANGLING:" + ref
		}
		h.ID = ""
		if w := orig.WANRef(); w != nil {
			h.WAN = w.Name
		}
		for _, t := range h.RouteTables {
			t.ID = ""
			for _, r := range t.Routes {
				r.NextHop = hop(r.NextHop)
			}
		}
		for _, k := range h.Connections {
			k.ID, k.Type = "", k.Kind()
			if v := n.VNet(k.RemoteVNet); v != nil {
				k.RemoteVNet = v.Name
			}
			if s := n.OnPremSite(k.Site); s != nil {
				k.Site = s.Name
			}
			if k.AssociatedRouteTable != "" {
				k.AssociatedRouteTable = table(k.AssociatedRouteTable)
			}
			for j, t := range k.PropagatedRouteTables {
				k.PropagatedRouteTables[j] = table(t)
			}
		}
		// Connections are listed per kind (VNet, then gateways) in exports.
		slices.SortStableFunc(h.Connections, func(a, b *topology.HubConnection) int { return strings.Compare(a.Name, b.Name) })
		if ri := h.RoutingIntent; ri != nil {
			ri.ID = ""
			if ri.PrivateNextHop != "" {
				ri.PrivateNextHop = hop(ri.PrivateNextHop)
			}
			if ri.InternetNextHop != "" {
				ri.InternetNextHop = hop(ri.InternetNextHop)
			}
		}
		for _, p := range h.BGPPeers {
			p.ID = ""
			if k := orig.Connection(p.Connection); k != nil {
				p.Connection = k.Name
			}
		}
	}
	for _, r := range c.RouteServers {
		r.ID = ""
		if v := n.VNet(r.VNet); v != nil {
			r.VNet = v.Name
		}
		for _, p := range r.Peers {
			p.ID = ""
		}
	}
}

// canonicalDNS resolves the private DNS references of c (a clone of n) to
// names and makes Azure's defaults explicit: the apex record "@", the
// resolution policy Default.
func canonicalDNS(c, n *topology.Network) {
	for i, z := range c.PrivateDNSZones {
		z.ID = ""
		for _, r := range z.ARecords {
			r.ID, r.Name = "", recordName(r.Name)
		}
		for _, r := range z.CNAMERecords {
			r.ID, r.Name = "", recordName(r.Name)
		}
		for j, l := range z.Links {
			l.ID = ""
			if v := n.PrivateDNSZones[i].Links[j].VNetRef(); v != nil {
				l.VNet = v.Name
			}
			if l.ResolutionPolicy == "" {
				l.ResolutionPolicy = topology.DNSResolutionDefault
			}
		}
	}
}

func recordName(s string) string {
	if s == "" {
		return "@"
	}
	return s
}

// dnsSideFile writes the DNS facts no Azure export holds (public answers,
// declared forwarders) as a design file to load beside the export, as a
// user would; "" when n has none.
func dnsSideFile(t *testing.T, n *topology.Network) string {
	t.Helper()
	if len(n.PublicDNS) == 0 && len(n.DNSForwarders) == 0 {
		return ""
	}
	b, err := yaml.Marshal(&topology.Network{PublicDNS: n.PublicDNS, DNSForwarders: n.DNSForwarders})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "public-dns.yaml")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// lineDiff shows the lines of a and b that differ.
func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, "  line "+strconv.Itoa(i+1)+": want "+x+"\n           got  "+y)
		}
		if len(out) > 12 {
			out = append(out, "  ...")
			break
		}
	}
	return strings.Join(out, "\n")
}
