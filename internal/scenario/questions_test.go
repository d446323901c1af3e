package scenario

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pathproof/pathproof/internal/azure"
)

func TestIPFlowQuery(t *testing.T) {
	good := IPFlowQuery{Direction: "in", Protocol: "udp", Local: "10.0.0.4:53", Remote: "[2001:db8::1]:5353"}
	f, err := good.Flow()
	if err != nil {
		t.Fatal(err)
	}
	want := azure.Flow{Direction: azure.Inbound, Protocol: "UDP", LocalIP: netip.MustParseAddr("10.0.0.4"), LocalPort: 53,
		RemoteIP: netip.MustParseAddr("2001:db8::1"), RemotePort: 5353}
	if d := cmp.Diff(want, f, cmp.Comparer(func(a, b netip.Addr) bool { return a == b }), cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); d != "" {
		t.Errorf("flow (-want +got)\n%s", d)
	}
	for _, c := range []struct {
		q          IPFlowQuery
		field, msg string
	}{
		{IPFlowQuery{Direction: "sideways", Protocol: "TCP", Local: "10.0.0.4:1", Remote: "10.0.0.5:2"}, "direction", "must be Inbound or Outbound"},
		{IPFlowQuery{Direction: "Inbound", Protocol: "ICMP", Local: "10.0.0.4:1", Remote: "10.0.0.5:2"}, "protocol", "must be TCP or UDP (IP flow verify supports only those)"},
		{IPFlowQuery{Direction: "Inbound", Protocol: "TCP", Local: "10.0.0.4", Remote: "10.0.0.5:2"}, "local", `"10.0.0.4" is not IP:PORT`},
		{IPFlowQuery{Direction: "Outbound", Protocol: "TCP", Local: "10.0.0.4:1", Remote: "x:2"}, "remote", `"x:2" is not IP:PORT`},
	} {
		_, err := c.q.Flow()
		var ae *ArgError
		if !errors.As(err, &ae) || ae.Field != c.field || ae.Msg != c.msg || err.Error() != c.field+" "+c.msg {
			t.Errorf("%+v: %v, want %s %s", c.q, err, c.field, c.msg)
		}
	}
}

func TestNSGDiagQuery(t *testing.T) {
	f, err := NSGDiagQuery{Direction: "in", Protocol: "any", Source: "10.0.1.0/26", Destination: "10.0.0.4", Port: "*"}.Flow()
	if err != nil {
		t.Fatal(err)
	}
	want := azure.Flow{Direction: azure.Inbound, Protocol: "Any", LocalIP: netip.MustParseAddr("10.0.0.4"), RemotePrefix: netip.MustParsePrefix("10.0.1.0/26")}
	if d := cmp.Diff(want, f, cmp.Comparer(func(a, b netip.Addr) bool { return a == b }), cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); d != "" {
		t.Errorf("flow (-want +got)\n%s", d)
	}
	ok := NSGDiagQuery{Direction: "Inbound", Protocol: "TCP", Source: "10.0.1.4", Destination: "10.0.0.4", Port: "22"}
	for _, c := range []struct {
		edit func(*NSGDiagQuery)
		want string
	}{
		{func(q *NSGDiagQuery) { q.Direction = "up" }, "direction must be Inbound or Outbound"},
		{func(q *NSGDiagQuery) { q.Protocol = "http" }, "protocol must be TCP, UDP, ICMP or Any"},
		{func(q *NSGDiagQuery) { q.Port = "65536" }, `port "65536" is not a port or *`},
		{func(q *NSGDiagQuery) { q.Port = "" }, `port "" is not a port or *`},
		{func(q *NSGDiagQuery) { q.Destination = "" }, "source and destination are required"},
		{func(q *NSGDiagQuery) { q.Port, q.Source = "x", "" }, `port "x" is not a port or *`},
		{func(q *NSGDiagQuery) { q.Destination = "db" }, `destination "db" is not an IP address`},
	} {
		q := ok
		c.edit(&q)
		if _, err := q.Flow(); err == nil || err.Error() != c.want {
			t.Errorf("%+v: %v, want %s", q, err, c.want)
		}
	}
}

func TestFirewallQuestion(t *testing.T) {
	q, err := FirewallQuestion{Protocol: "https", Src: "10.1.1.4:50000", FQDN: "www.contoso.com:443", ArrivedOn: "internal"}.Query()
	if err != nil {
		t.Fatal(err)
	}
	want := azure.FirewallQuery{Protocol: "HTTPS", SrcIP: netip.MustParseAddr("10.1.1.4"), SrcPort: 50000, FQDN: "www.contoso.com", DstPort: 443, ArrivedOn: "internal"}
	if d := cmp.Diff(want, q, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); d != "" {
		t.Errorf("query (-want +got)\n%s", d)
	}
	ok := FirewallQuestion{Protocol: "TCP", Src: "10.1.1.4", Dst: "10.2.1.4:443", ArrivedOn: "public"}
	for _, c := range []struct {
		edit func(*FirewallQuestion)
		want string
	}{
		{func(q *FirewallQuestion) { q.Protocol = "" }, "protocol must be TCP, UDP, ICMP, HTTP, HTTPS or MSSQL"},
		{func(q *FirewallQuestion) { q.ArrivedOn = "Public" }, "arrived_on must be internal or public"},
		{func(q *FirewallQuestion) { q.FQDN = "a:1" }, "give exactly one of dst IP:PORT and fqdn NAME:PORT"},
		{func(q *FirewallQuestion) { q.Dst = "" }, "give exactly one of dst IP:PORT and fqdn NAME:PORT"},
		{func(q *FirewallQuestion) { q.Src = "vm1" }, `src "vm1" is not IP:PORT`},
		{func(q *FirewallQuestion) { q.Dst = "10.2.1.4" }, `dst "10.2.1.4" is not IP:PORT`},
		{func(q *FirewallQuestion) { q.Dst, q.FQDN = "", "a" }, `fqdn "a" is not NAME:PORT`},
		{func(q *FirewallQuestion) { q.Dst, q.FQDN = "", "a:99999" }, `fqdn "a:99999": bad port`},
	} {
		q := ok
		c.edit(&q)
		_, err := q.Query()
		var ae *ArgError
		var as *ArgsError
		if err == nil || err.Error() != c.want || !errors.As(err, &ae) && !errors.As(err, &as) {
			t.Errorf("%+v: %v, want %s", q, err, c.want)
		}
	}
}

func TestNextHopQuery(t *testing.T) {
	src, dst, err := NextHopQuery{From: "10.0.0.4", To: "2001:db8::1"}.Addrs()
	if err != nil || src != netip.MustParseAddr("10.0.0.4") || dst != netip.MustParseAddr("2001:db8::1") {
		t.Fatalf("%v %v %v", src, dst, err)
	}
	for _, q := range []NextHopQuery{{From: "vm1", To: "10.0.0.4"}, {From: "10.0.0.4", To: ""}, {From: "10.0.0.0/24", To: "10.0.0.4"}} {
		_, _, err := q.Addrs()
		var as *ArgsError
		if !errors.As(err, &as) || err.Error() != "from and to must be IP addresses" {
			t.Errorf("%+v: %v", q, err)
		}
	}
}

func TestRoutesQuery(t *testing.T) {
	one, oneExt := "give exactly one of nic, subnet, ip", "give exactly one of nic, subnet, ip, compare_effective, hub"
	cases := []struct {
		q       RoutesQuery
		want    SubnetSelector
		wantErr string
	}{
		{RoutesQuery{NIC: "vm1-nic"}, SubnetSelector{NIC: "vm1-nic"}, ""},
		{RoutesQuery{Subnet: "spoke/web"}, SubnetSelector{Subnet: "spoke/web"}, ""},
		{RoutesQuery{IP: "2001:db8::4"}, SubnetSelector{IP: netip.MustParseAddr("2001:db8::4")}, ""},
		{RoutesQuery{Hub: "hub1", RouteTable: "RT", Extended: true}, SubnetSelector{}, ""},
		{RoutesQuery{CompareEffective: "vm1-nic", Extended: true}, SubnetSelector{}, ""},
		{RoutesQuery{}, SubnetSelector{}, one},
		{RoutesQuery{NIC: "a", Subnet: "b"}, SubnetSelector{}, one},
		{RoutesQuery{Hub: "hub1"}, SubnetSelector{}, one},
		{RoutesQuery{Extended: true}, SubnetSelector{}, oneExt},
		{RoutesQuery{NIC: "a", Hub: "hub1", Extended: true}, SubnetSelector{}, oneExt},
		{RoutesQuery{IP: "x", RouteTable: "RT"}, SubnetSelector{}, "route_table and connection need hub"},
		{RoutesQuery{NIC: "a", Connection: "c"}, SubnetSelector{}, "route_table and connection need hub"},
		{RoutesQuery{Hub: "h", RouteTable: "RT", Connection: "c", Extended: true}, SubnetSelector{}, "give route_table or connection, not both"},
		{RoutesQuery{IP: "vm1"}, SubnetSelector{}, `ip "vm1" is not an IP address`},
		{RoutesQuery{IP: "10.0.0.0/24"}, SubnetSelector{}, `ip "10.0.0.0/24" is not an IP address`},
	}
	for _, c := range cases {
		sel, err := c.q.Selector()
		if c.wantErr == "" {
			if err != nil || sel != c.want {
				t.Errorf("%+v: %+v %v, want %+v", c.q, sel, err, c.want)
			}
			continue
		}
		var ae *ArgError
		var as *ArgsError
		if err == nil || err.Error() != c.wantErr || !errors.As(err, &ae) && !errors.As(err, &as) {
			t.Errorf("%+v: %v, want %s", c.q, err, c.wantErr)
		}
	}
}

func TestArgsErrorSay(t *testing.T) {
	flag := func(f string) string { return "--" + f }
	for _, c := range []struct {
		e    ArgsError
		want string
	}{
		{ArgsError{Fields: []string{"source", "destination"}}, "--source and --destination are required"},
		{ArgsError{Fields: []string{"nic", "subnet", "ip"}, OneOf: true}, "give exactly one of --nic, --subnet, --ip"},
		{ArgsError{Fields: []string{"dst", "fqdn"}, Forms: []string{"IP:PORT", "NAME:PORT"}, OneOf: true}, "give exactly one of --dst IP:PORT and --fqdn NAME:PORT"},
		{ArgsError{Fields: []string{"from", "to"}, Msg: "must be IP addresses"}, "--from and --to must be IP addresses"},
		{ArgsError{Fields: []string{"route_table", "connection"}, Need: "hub"}, "--route_table and --connection need --hub"},
		{ArgsError{Fields: []string{"route_table", "connection"}, NotBoth: true}, "give --route_table or --connection, not both"},
	} {
		if got := c.e.Say(flag); got != c.want {
			t.Errorf("%+v: %q, want %q", c.e, got, c.want)
		}
	}
}
