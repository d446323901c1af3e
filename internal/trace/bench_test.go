package trace

import (
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/topogen"
)

// benchNet is the model benchmark's network (internal/topology/topogen):
// a hub with Azure Firewall, a VPN gateway with BGP and an on-premises
// site, and n spokes (10 subnets with 5 NICs each, an NSG, a route table
// sending 0.0.0.0/0 to the firewall, a private endpoint), peered through
// gateway transit; GatewaySubnet routes every spoke range to the firewall.
func benchNet(tb testing.TB, n int) *topology.Network {
	return benchNetSpec(tb, topogen.Spec{Spokes: n, SubnetsPerSpoke: 10, NICsPerSubnet: 5})
}

func benchNetSpec(tb testing.TB, spec topogen.Spec) *topology.Network {
	tb.Helper()
	net, err := topogen.Generate(spec)
	if err != nil {
		tb.Fatal(err)
	}
	var d topology.Diagnostics
	net.Finish(&d)
	return net
}

// benchQueries cycles through the flows of a hub-and-spoke network: two in
// three go spoke to spoke through the firewall (allowed, both legs cross
// it), one in three from the data centre to a spoke (the policy only admits
// 10.0.0.0/8 sources, so it dies at the firewall).
func benchQueries(spokes, n int) []Query {
	var qs []Query
	for i := 0; i < n; i++ {
		a, b := i%spokes, (i*7+3)%spokes
		if a == b {
			b = (b + 1) % spokes
		}
		src := fmt.Sprintf("nic:spoke%04d-s%02d-nic%03d", a, i%10, i%5)
		dst := topogen.NICIP(b, (i/10)%10, (i/3)%5)
		if i%3 == 2 {
			qs = append(qs, Query{From: "onprem:dc/dc-host", Dst: dst, DstPort: 443})
			continue
		}
		qs = append(qs, Query{From: src, Dst: dst, DstPort: 443})
	}
	return qs
}

func benchSpokes() int {
	if s := os.Getenv("PATHPROOF_BENCH_SPOKES"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
	}
	return 1000
}

// TestHubSpokeTraces checks the benchmark network answers as designed, so
// the benchmark measures real, firewall-inspected traces.
func TestHubSpokeTraces(t *testing.T) {
	net := benchNet(t, 20)
	e := azure.New(net, azure.Options{})
	for i, q := range benchQueries(20, 6) {
		r, err := TraceEngine(e, q)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(q.From, "onprem:") {
			if d := r.Forward.Drop; d == nil || d.At != "firewall:fw-hub" || d.Reason != DropFirewallDeny {
				t.Errorf("query %d %+v: want a firewall deny, got %s %v %+v", i, q, r.Forward.Result, r.Forward.Tokens(), d)
			}
			continue
		}
		if r.Forward.Result != ResultDelivered || r.Return.Result != ResultDelivered || len(r.Findings) != 0 {
			t.Errorf("query %d %+v: forward %s %v %+v, return %s %v, findings %+v", i, q, r.Forward.Result, r.Forward.Tokens(), r.Forward.Drop, r.Return.Result, r.Return.Tokens(), r.Findings)
		}
		if !contains(r.Forward.Tokens(), "firewall:fw-hub") || !contains(r.Return.Tokens(), "firewall:fw-hub") {
			t.Errorf("query %d: both legs must cross the firewall: %v / %v", i, r.Forward.Tokens(), r.Return.Tokens())
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// BenchmarkTrace traces flows on the model benchmark's hub-and-spoke
// network (PATHPROOF_BENCH_SPOKES spokes, default 1,000: 11,003 subnets,
// 50,001 NICs); the engine (effective routes) is built once, outside the
// timer. Reports CPU and wall µs per trace.
func BenchmarkTrace(b *testing.B) {
	n := benchSpokes()
	benchTraces(b, benchNet(b, n), benchQueries(n, 999), false)
}

// benchTraces builds the engine for net (timed apart as build-ms), traces
// every query once to reach steady state (the first trace through a subnet
// also builds its NSG tag set, cached by the engine), failing when
// wantDelivered and a leg is not delivered, then times traces over qs and
// reports CPU and wall µs per trace.
func benchTraces(b *testing.B, net *topology.Network, qs []Query, wantDelivered bool) {
	start := time.Now()
	e := azure.New(net, azure.Options{})
	build := time.Since(start)
	tr := NewTracer(e)
	for _, q := range qs {
		r, err := tr.Trace(q)
		if err != nil {
			b.Fatal(err)
		}
		if wantDelivered && (r.Forward.Result != ResultDelivered || r.Return.Result != ResultDelivered) {
			b.Fatalf("%+v: forward %s %v, return %s", q, r.Forward.Result, r.Forward.Tokens(), r.Return.Result)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := tr.Trace(qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/trace")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/trace")
	b.ReportMetric(float64(build.Milliseconds()), "build-ms")
}

// BenchmarkNextHopBaseline is the in-run peer of BenchmarkTrace: for the
// same flows, only the raw effective-route lookups a trace needs (both
// legs, every routing hop) through the azure engine, with no checks, NAT,
// state or findings. The ratio says what the hop model costs on top.
func BenchmarkNextHopBaseline(b *testing.B) {
	n := benchSpokes()
	net := benchNet(b, n)
	e := azure.New(net, azure.Options{})
	type lookup struct {
		sub *topology.Subnet
		dst netip.Addr
	}
	// Record the lookups the traces perform, then replay them.
	var per [][]lookup
	tr := NewTracer(e)
	for _, q := range benchQueries(n, 999) {
		r, err := tr.Trace(q)
		if err != nil {
			b.Fatal(err)
		}
		var ls []lookup
		for _, leg := range []Leg{r.Forward, r.Return} {
			for _, h := range leg.Hops {
				var sub *topology.Subnet
				switch h.Kind {
				case KindNIC:
					sub = net.NIC(h.Name).SubnetRef()
				case KindFirewall:
					sub = net.Firewall(h.Name).SubnetRef()
				case KindGateway:
					sub = net.Subnet("hub/GatewaySubnet")
				}
				if sub != nil {
					ls = append(ls, lookup{sub, h.Packet.Dst})
				}
			}
		}
		per = append(per, ls)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		for _, l := range per[i%len(per)] {
			if _, err := e.NextHopFromSubnet(l.sub, l.dst); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/trace")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/trace")
}
