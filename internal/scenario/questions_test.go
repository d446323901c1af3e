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
