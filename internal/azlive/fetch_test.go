package azlive_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/azlive"
	"github.com/pathproof/pathproof/internal/azlive/azlivetest"
	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/testenv"
	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/load"
	"github.com/pathproof/pathproof/internal/topology/topotest"
)

// TestFetchSharedExamples replays the REST specification examples of
// every network type as Resource Graph rows, in three pages chained by
// the skip tokens of the shared first-page and next-page examples, and
// the policy's rule collection group through ARM: every page is asked
// for with the token the previous one gave, every row arrives, and the
// loader reads them (the examples reference resources outside
// themselves, so only the counts are checked, not validation).
func TestFetchSharedExamples(t *testing.T) {
	examples := []string{"VirtualNetworkGet", "NetworkInterfaceGet", "NetworkSecurityGroupGet", "RouteTableGet",
		"AzureFirewallGet", "FirewallPolicyGet", "PrivateEndpointGet", "PublicIpAddressGet", "VirtualNetworkGatewayGet",
		"LocalNetworkGatewayGet", "VirtualNetworkGatewayConnectionGet", "LoadBalancerGet", "NatGatewayGet",
		"PrivateZoneGet", "VirtualNetworkLinkGet", "VirtualHubGet", "IpGroupsGet", "ApplicationSecurityGroupGet"}
	var resources []map[string]any
	for _, e := range examples {
		resources = append(resources, azlivetest.Body(t, readShared(t, "arm/rest-examples/"+e+".json")))
	}
	first := azlivetest.Body(t, readShared(t, "arm/resource-graph/ResourcesFirstPageQuery.json"))
	next := azlivetest.Body(t, readShared(t, "arm/resource-graph/ResourcesNextPageQuery.json"))
	tokens := []string{first["$skipToken"].(string), next["$skipToken"].(string)}
	env, _ := json.Marshal(first)

	s := azlivetest.New(t)
	s.Graph(subA, azlivetest.Pages(t, env, azlivetest.Rows(t, resources...), 7, tokens...)...)
	rcg := azlivetest.Body(t, readShared(t, "arm/rest-examples/FirewallPolicyRuleCollectionGroupGet.json"))
	list, _ := json.Marshal(map[string]any{"value": []any{rcg}})
	s.Get("/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/firewallPolicies/firewallPolicy/ruleCollectionGroups", list)

	snap, err := azlive.Fetch(context.Background(), []azlive.Scope{{Subscription: subA}}, s.Options())
	if err != nil {
		t.Fatal(err)
	}
	r := snap.Scopes[0]
	if r.Pages != 3 || r.Rows != len(examples) || r.ARMCalls != 1 || r.Partial() {
		t.Fatalf("pages %d rows %d arm %d partial %v, want 3 %d 1 false: %v", r.Pages, r.Rows, r.ARMCalls, r.Partial(), len(examples), snap.Problems())
	}
	var graph []string
	for _, q := range s.Requests() {
		if strings.HasSuffix(q.Path, "/resources") {
			var body struct {
				Subscriptions []string
				Query         string
				Options       map[string]any
			}
			if err := json.Unmarshal([]byte(q.Body), &body); err != nil {
				t.Fatal(err)
			}
			tok, _ := body.Options["$skipToken"].(string)
			graph = append(graph, tok)
			if body.Options["resultFormat"] != "objectArray" || body.Options["$top"] != float64(1000) || !strings.Contains(body.Query, "'microsoft.network/virtualnetworks'") {
				t.Errorf("query request %s", q.Body)
			}
		}
	}
	if want := []string{"", tokens[0], tokens[1]}; strings.Join(graph, ",") != strings.Join(want, ",") {
		t.Errorf("skip tokens sent %q, want %q", graph, want)
	}
	if len(snap.Documents) != 4 {
		t.Fatalf("%d documents, want 3 pages and 1 ARM list", len(snap.Documents))
	}
	for _, d := range snap.Documents {
		if strings.Contains(string(d.Data), tokens[0]) {
			t.Errorf("%s keeps the skip token", d.Name)
		}
	}
	if snap.Types["microsoft.network/virtualnetworks"] != 1 || snap.Types["microsoft.network/firewallpolicies/rulecollectiongroups"] != 1 {
		t.Errorf("types %v", snap.Types)
	}
	l := load.New()
	for _, d := range snap.Documents {
		if err := l.Bytes(azlive.SourceName(d.Name), d.Data); err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
	}
	net, diags := l.Finish()
	// The same resources as one ARM list, loaded offline, give the same
	// network (the classic firewall's rules become a policy of their own
	// in both).
	offline, _ := json.Marshal(map[string]any{"value": append(anySlice(resources), rcg)})
	off := load.New()
	if err := off.Bytes("examples.json", offline); err != nil {
		t.Fatal(err)
	}
	offNet, offDiags := off.Finish()
	got, want := topotest.Counts(net), topotest.Counts(offNet)
	// Microsoft's examples are separate documents: the NIC, private
	// endpoint, firewall, gateway and connection name subnets and VNets the
	// examples lack, so they are left out as missing references, live and
	// offline alike.
	if got != want || !strings.HasPrefix(got, "vnet=1 subnet=1 peer=0 rt=1 route=1 nsg=1 rule=1 asg=1 nic=0 pe=0 fw=0 pol=2 rcg=2 ipg=1 gw=0 conn=0 site=1") {
		t.Errorf("loaded %s\noffline %s", got, want)
	}
	if lm, om := missingRefs(diags), missingRefs(offDiags); len(lm) == 0 || !slices.Equal(lm, om) {
		t.Errorf("missing references live:\n%s\noffline:\n%s", strings.Join(lm, "\n"), strings.Join(om, "\n"))
	}
	assertOnlyReads(t, s)
}

// TestLoadMatchesOffline loads the hub fixture live, in pages of four
// rows, and requires the same network and the same effective routes of
// every NIC as the offline load of its ARM export.
func TestLoadMatchesOffline(t *testing.T) {
	s := azlivetest.New(t)
	f := serveHub(t, s, subA, 4)
	live, d, snap, err := azlive.Load(context.Background(), s.Options(), "azure://"+subA)
	if err != nil {
		t.Fatalf("%v\n%s", err, topotest.DiagLines(d.Errors))
	}
	if want := (f.Resources - 2 + 3) / 4; snap.Scopes[0].Pages != want {
		t.Errorf("%d pages, want %d", snap.Scopes[0].Pages, want)
	}
	off, _, err := load.Load(f.ARMFile)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := topotest.Counts(live), topotest.Counts(off); a != b {
		t.Fatalf("live %s\noffline %s", a, b)
	}
	el, eo := azure.New(live, azure.Options{}), azure.New(off, azure.Options{})
	for _, nic := range off.NICs {
		a, b := routeLines(el.RoutesOfNIC(live.NIC(nic.Name))), routeLines(eo.RoutesOfNIC(nic))
		if a != b || a == "" {
			t.Errorf("%s: live routes\n%s\noffline\n%s", nic.Name, a, b)
		}
	}
	assertOnlyReads(t, s)
}

// TestLoadDeniedScope reads two subscriptions, one of which answers 403:
// the other is loaded, the failure names its scope and status, and no
// token shows.
func TestLoadDeniedScope(t *testing.T) {
	s := azlivetest.New(t)
	serveHub(t, s, subA, 100)
	s.Deny(subB, 403)
	net, _, snap, err := azlive.Load(context.Background(), s.Options(), "azure://"+subA, "azure://"+subB+"/rg-app")
	if err != nil {
		t.Fatal(err)
	}
	if len(net.NICs) != 3 || !snap.Partial() {
		t.Fatalf("%d NICs, partial %v", len(net.NICs), snap.Partial())
	}
	probs := snap.Problems()
	if len(probs) != 1 {
		t.Fatalf("problems %v", probs)
	}
	var se *azlive.ScopeError
	var ae *azlive.Error
	msg := probs[0].Error()
	if !errors.As(probs[0], &se) || se.Code() != azlive.CodeScopeUnreadable || !errors.As(probs[0], &ae) || !ae.Forbidden() ||
		!strings.Contains(msg, "azure://"+subB+"/rg-app not read: HTTP 403 AuthorizationFailed") || !strings.Contains(msg, "Reader role") {
		t.Errorf("problem %q", msg)
	}
	if strings.Contains(msg, azlivetest.Token) || strings.Contains(msg, "\n") {
		t.Errorf("problem %q holds the token or a line break", msg)
	}
	// The resource group scope filtered its query.
	found := false
	for _, q := range s.Requests() {
		if strings.Contains(q.Body, subB) {
			found = strings.Contains(q.Body, `resourceGroup =~ 'rg-app'`)
		}
	}
	if !found {
		t.Error("the resource group scope's query does not filter on it")
	}
	// Only failures: no scope read is an error.
	if _, _, _, err := azlive.Load(context.Background(), s.Options(), "azure://"+subB); err == nil || !strings.Contains(err.Error(), "HTTP 403") {
		t.Errorf("all scopes denied: %v", err)
	}
}

// assertOnlyReads fails unless every request the server saw was a GET or
// a query POST.
func assertOnlyReads(t *testing.T, s *azlivetest.Server) {
	t.Helper()
	if len(s.Requests()) == 0 {
		t.Fatal("no requests")
	}
	for _, q := range s.Requests() {
		p := strings.ToLower(q.Path)
		ok := q.Method == "GET" || q.Method == "POST" && (strings.HasSuffix(p, "/providers/microsoft.resourcegraph/resources") ||
			strings.HasSuffix(p, "/effectiveroutetable") || strings.HasSuffix(p, "/effectivenetworksecuritygroups"))
		if !ok {
			t.Errorf("%s %s is not a read", q.Method, q.Path)
		}
	}
}

func routeLines(rt *azure.RouteTable) string {
	if rt == nil {
		return ""
	}
	var b strings.Builder
	for _, r := range rt.Routes {
		b.WriteString(string(r.Source) + " " + r.State + " " + r.PrefixString() + " " + string(r.NextHopType) + "\n")
	}
	return b.String()
}

func readShared(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(testenv.Shared(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func anySlice(ms []map[string]any) []any {
	out := make([]any, len(ms))
	for i, m := range ms {
		out[i] = m
	}
	return out
}

// missingRefs lists the missing references of d by resource and message,
// sorted (the source file names differ between live and offline).
func missingRefs(d *topology.Diagnostics) []string {
	var out []string
	for _, m := range d.Missing {
		out = append(out, m.Resource+": "+m.Message)
	}
	slices.Sort(out)
	return out
}
