package trace

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology/load"
	"github.com/pathproof/pathproof/internal/topology/topogen"
)

func loadEngine(t testing.TB, name string) *azure.Engine {
	t.Helper()
	n, _, err := load.Load(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return azure.New(n, azure.Options{})
}

func TestResolveSource(t *testing.T) {
	n := loadEngine(t, "edges.yaml").Net
	cases := []struct {
		from, want, err string
	}{
		{from: "nic:app-nic", want: "nic:app-nic"},
		{from: "10.60.1.4", want: "nic:app-nic"},
		{from: "onprem:site-a/pc-a", want: "onprem:site-a/pc-a"},
		{from: "onprem:site-a/192.168.10.77", want: "onprem:site-a/192.168.10.77"},
		{from: "192.168.20.10", want: "onprem:site-b/pc-b"},
		{from: "internet:203.0.113.9", want: "internet:203.0.113.9"},
		{from: "203.0.113.9", want: "internet:203.0.113.9"},
		{from: "172.31.0.5", err: "inside sites site-a, site-b"},
		{from: "10.60.7.7", err: "inside VNet hub but no NIC owns it"},
		{from: "10.77.0.1", err: "private address no NIC"},
		{from: "10.60.1.200", err: "never initiates"},
		{from: "nic:nope", err: `no NIC "nope"`},
		{from: "onprem:site-a", err: "want onprem:SITE/HOST"},
		{from: "onprem:site-z/pc", err: "no on-premises site"},
		{from: "onprem:site-a/ghost", err: `no host "ghost"`},
		{from: "internet:not-an-ip", err: "want internet:IP"},
		{from: "vm:app", err: "want an IP, nic:NAME"},
	}
	for _, c := range cases {
		t.Run(c.from, func(t *testing.T) {
			e, err := ResolveSource(n, c.from)
			switch {
			case c.err != "":
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Errorf("err = %v, want it to contain %q", err, c.err)
				}
			case err != nil:
				t.Errorf("unexpected error %v", err)
			case e.String() != c.want:
				t.Errorf("got %s, want %s", e, c.want)
			}
		})
	}
}

// TestDrops traces flows that die at a known hop for a known reason.
func TestDrops(t *testing.T) {
	cases := []struct {
		name, file, from string
		dst              string
		port             uint16
		proto            string
		reason, at       string
		fixHas           string
	}{
		{"loop between two appliances", "loop.yaml", "nic:client-nic", "172.20.1.1", 443, "tcp", DropRoutingLoop, "nic:nva-a-nic", "route tables"},
		{"appliance IP owned by nothing", "edges.yaml", "nic:app-nic", "10.99.0.1", 443, "tcp", DropNextHopNotFound, "nic:app-nic", "route to-missing"},
		{"appliance without IP forwarding", "edges.yaml", "nic:app-nic", "10.98.0.1", 443, "tcp", DropIPForwarding, "nic:noforward-nic", "enable IP forwarding on NIC noforward-nic"},
		{"UDR None", "edges.yaml", "nic:app-nic", "198.51.100.7", 443, "tcp", DropRouteNone, "nic:app-nic", "remove route blackhole"},
		{"reserved None route", "edges.yaml", "nic:app-nic", "10.1.2.3", 22, "tcp", DropRouteNone, "nic:app-nic", "reserved system route 10.0.0.0/8"},
		{"VNet address nobody owns", "edges.yaml", "nic:app-nic", "10.60.9.9", 22, "udp", DropNoDestination, "nic:app-nic", "nothing owns 10.60.9.9"},
		{"pending private endpoint", "edges.yaml", "nic:app-nic", "10.60.1.200", 443, "tcp", DropPENotApproved, "pe:pe-pending", "approve"},
		{"site learned for a prefix it does not own", "edges.yaml", "nic:app-nic", "198.18.0.5", 443, "tcp", DropNoDestination, "onprem:site-a", "stop advertising"},
		{"Internet to an unknown public IP", "edges.yaml", "internet:203.0.113.9", "20.60.0.99", 443, "tcp", DropNoDestination, "internet", "not a public IP"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := TraceEngine(loadEngine(t, c.file), Query{From: c.from, Dst: netip.MustParseAddr(c.dst), DstPort: c.port, Protocol: c.proto})
			if err != nil {
				t.Fatal(err)
			}
			d := r.Forward.Drop
			if r.Forward.Result != ResultDropped || d == nil {
				t.Fatalf("forward %s, hops %v", r.Forward.Result, r.Forward.Tokens())
			}
			if d.Reason != c.reason || d.At != c.at {
				t.Errorf("drop %s at %s, want %s at %s (%s)", d.Reason, d.At, c.reason, c.at, d.Detail)
			}
			if !strings.Contains(d.Fix, c.fixHas) {
				t.Errorf("fix %q lacks %q", d.Fix, c.fixHas)
			}
			if r.Return.Result != ResultNotApplicable {
				t.Errorf("return %s, want not-applicable", r.Return.Result)
			}
		})
	}
}

// TestInternetBothWays: a NIC's public IP is translated in both directions.
func TestInternetBothWays(t *testing.T) {
	e := loadEngine(t, "edges.yaml")
	out, err := TraceEngine(e, Query{From: "nic:app-nic", Dst: netip.MustParseAddr("93.184.216.34"), DstPort: 443})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(out.Return.Tokens(), " "); out.Forward.Result != ResultDelivered || got != "internet nic:app-nic" {
		t.Errorf("forward %s, return %s %q", out.Forward.Result, out.Return.Result, got)
	}
	if len(out.NAT) != 1 || out.NAT[0].SourceTo != netip.MustParseAddr("20.60.0.4") {
		t.Errorf("nat = %+v", out.NAT)
	}
	in, err := TraceEngine(e, Query{From: "internet:203.0.113.9", Dst: netip.MustParseAddr("20.60.0.4"), DstPort: 443})
	if err != nil {
		t.Fatal(err)
	}
	// No NSG anywhere: the NIC translates its public IP to the private one
	// and the reply leaves through the same public IP.
	if in.Return.Result != ResultDelivered || len(in.NAT) != 1 || in.NAT[0].At != "nic:app-nic" || in.NAT[0].DestinationTo != netip.MustParseAddr("10.60.1.4") {
		t.Errorf("inbound: forward %v, nat %+v, return %s", in.Forward.Tokens(), in.NAT, in.Return.Result)
	}
	if r := in.Return.Hops[len(in.Return.Hops)-1]; r.Packet.Src != netip.MustParseAddr("20.60.0.4") {
		t.Errorf("reply reaches the Internet from %s, want the public IP", r.Packet.Src)
	}
}

// TestDeterministic traces the same flow twice and expects identical JSON.
func TestDeterministic(t *testing.T) {
	e := loadEngine(t, "loop.yaml")
	q := Query{From: "10.50.1.4", Dst: netip.MustParseAddr("172.20.1.1"), DstPort: 443}
	var first []byte
	for i := 0; i < 5; i++ {
		r, err := TraceEngine(e, q)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(r)
		if i == 0 {
			first = b
		} else if string(b) != string(first) {
			t.Fatalf("run %d differs:\n%s\n%s", i, b, first)
		}
	}
}

func TestQueryErrors(t *testing.T) {
	e := loadEngine(t, "edges.yaml")
	for _, q := range []Query{
		{From: "nic:app-nic", Dst: netip.MustParseAddr("10.60.1.5"), Protocol: "sctp"},
		{From: "nic:app-nic"},
		{From: "nic:ghost", Dst: netip.MustParseAddr("10.60.1.5")},
	} {
		if _, err := TraceEngine(e, q); err == nil {
			t.Errorf("%+v: want an error", q)
		}
	}
}

// TestFindingsWithoutDrops covers findings that leave the flow delivered.
func TestFindingsWithoutDrops(t *testing.T) {
	e := loadEngine(t, "findings.yaml")
	cases := []struct {
		name, from, dst string
		port            uint16
		code, fixHas    string
	}{
		{"0/0 UDR widens AllowVnetInBound", "internet:203.0.113.9", "20.70.0.4", 8080, FindVNetTagDefaultRoute, "NSG nsg-web"},
		{"NSG on GatewaySubnet", "onprem:office/pc", "10.70.1.4", 443, FindGatewaySubnetConfig, "remove NSG nsg-gw from vnet/GatewaySubnet"},
		{"reply of a public-IP flow leaves through an appliance", "internet:203.0.113.9", "20.70.0.4", 8080, FindAsymmetric, "instead of web-nic's public IP"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := TraceEngine(e, Query{From: c.from, Dst: netip.MustParseAddr(c.dst), DstPort: c.port})
			if err != nil {
				t.Fatal(err)
			}
			if r.Forward.Result != ResultDelivered {
				t.Fatalf("forward %s %v: %+v", r.Forward.Result, r.Forward.Tokens(), r.Forward.Drop)
			}
			for _, f := range r.Findings {
				if f.Code == c.code {
					if !strings.Contains(f.Fix, c.fixHas) {
						t.Errorf("fix %q lacks %q", f.Fix, c.fixHas)
					}
					return
				}
			}
			t.Errorf("no %s finding in %+v", c.code, r.Findings)
		})
	}
}

// TestToFirewallItself: a flow addressed to the firewall's private IP (its
// DNS proxy) ends at the firewall; it is not a loop.
func TestToFirewallItself(t *testing.T) {
	e := azure.New(benchNet(t, 3), azure.Options{})
	r, err := TraceEngine(e, Query{From: "nic:spoke0000-s00-nic000", Dst: topogen.FirewallIP, DstPort: 53, Protocol: "udp"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Forward.Result != ResultDelivered || r.Return.Result != ResultDelivered {
		t.Fatalf("forward %s %v %+v, return %s %v", r.Forward.Result, r.Forward.Tokens(), r.Forward.Drop, r.Return.Result, r.Return.Tokens())
	}
	if got := strings.Join(r.Return.Tokens(), " "); got != "firewall:fw-hub nic:spoke0000-s00-nic000" {
		t.Errorf("return %s", got)
	}
}

// FuzzResolveSource feeds arbitrary --from strings: resolution must return
// an endpoint or an error, never panic.
func FuzzResolveSource(f *testing.F) {
	n := loadEngine(f, "edges.yaml").Net
	for _, s := range []string{"nic:app-nic", "onprem:site-a/pc-a", "onprem:/", "internet:", "10.60.1.4", "::1", "nic:", "onprem:site-a/", ":", "internet:1.2.3.4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, from string) {
		e, err := ResolveSource(n, from)
		if err == nil && !e.IP.IsValid() {
			t.Errorf("%q resolved to %+v without an address", from, e)
		}
	})
}

// TestReplyThroughStatelessApplianceMeetsNSG: NSGs are stateful only where
// the request passed; an appliance only the reply crosses evaluates it as
// a new flow (semantics §9.4).
func TestReplyThroughStatelessApplianceMeetsNSG(t *testing.T) {
	r, err := TraceEngine(loadEngine(t, "reply-nsg.yaml"), Query{From: "nic:client-nic", Dst: netip.MustParseAddr("10.80.2.4"), DstPort: 443})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.Forward.Tokens(), " "); r.Forward.Result != ResultDelivered || got != "nic:client-nic nic:server-nic" {
		t.Fatalf("forward %s %s", r.Forward.Result, got)
	}
	d := r.Return.Drop
	if r.Return.Result != ResultDropped || d == nil || d.At != "nic:nva-nic" || d.Reason != DropNSGDeny || d.NSG != "nsg-nva" || d.Rule != "Deny-Servers" {
		t.Errorf("return %s %v drop %+v", r.Return.Result, r.Return.Tokens(), d)
	}
}

// TestTracerConcurrent shares one Tracer between goroutines (run with
// -race): results must equal the sequential ones.
func TestTracerConcurrent(t *testing.T) {
	net := benchNet(t, 10)
	tr := NewTracer(azure.New(net, azure.Options{}))
	qs := benchQueries(10, 30)
	want := make([]string, len(qs))
	for i, q := range qs {
		r, err := NewTracer(azure.New(net, azure.Options{})).Trace(q)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(r)
		want[i] = string(b)
	}
	errs := make(chan string, 4*len(qs))
	done := make(chan struct{})
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i, q := range qs {
				r, err := tr.Trace(q)
				if err != nil {
					errs <- err.Error()
					continue
				}
				if b, _ := json.Marshal(r); string(b) != want[i] {
					errs <- fmt.Sprintf("query %d differs", i)
				}
			}
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
