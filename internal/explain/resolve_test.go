package explain

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/topology"
)

// TestExplainResolvesNameThroughPrivateDNS: with the topology's private
// DNS, a destination name resolves as the client's VNet would. The zone
// not linked to the client's VNet gives the public address and the vault
// firewall refuses; linked, the private endpoint's; a linked zone without
// the record, or a custom DNS server nobody declared, give no address: the
// verdict name-not-resolved. Each cites the topology in the reasoning.
func TestExplainResolvesNameThroughPrivateDNS(t *testing.T) {
	q := Query{From: "nic:vm-app-nic", To: "kv-payments.vault.azure.net:443"}
	withNet := func(f func(n *topology.Network)) *azure.Engine {
		eng := engine(t, "kvdns.yaml")
		n := eng.Net.Clone()
		f(n)
		n.Index()
		return azure.New(n, azure.Options{})
	}
	link := func(n *topology.Network) {
		z := n.PrivateDNSZone("privatelink.vaultcore.azure.net")
		z.Links = append(z.Links, &topology.PrivateDNSZoneLink{Name: "payments-link", VNet: "payments-vnet"})
	}
	// viaEndpoint: the flow reaches the private endpoint and the vault
	// answers 200.
	viaEndpoint := func() []event.Event {
		l := newLogs()
		l.tuple(at(5, 0), macApp, "10.0.1.4", 51514, "10.0.2.5", 443, event.DirOut, "B", "DefaultRule_AllowVnetOutBound", 0, 0)
		l.kv(at(5, 0).Add(300*time.Millisecond), "kv-payments", "10.0.1.4", 200, "")
		l.tuple(at(5, 1), macApp, "10.0.1.4", 51514, "10.0.2.5", 443, event.DirOut, "E", "DefaultRule_AllowVnetOutBound", 12, 10)
		return l.evs
	}
	for _, c := range []struct {
		name        string
		eng         *azure.Engine
		logs        func() []event.Event
		verdict     string
		dst         netip.Addr
		reasoning   []string
		steps       []string // in some later reasoning step
		fix         string   // in the finding's fix
		citesNIC    bool     // the resolution step cites the NIC's record
		finding     string
		answerLayer string
	}{
		{
			name: "zone not linked: public address, vault firewall 403", eng: engine(t, "kvdns.yaml"),
			logs: func() []event.Event {
				l := newLogs()
				l.background(macApp, "10.0.1.4", 0, 55)
				l.tuple(at(5, 12), macApp, "10.0.1.4", 51514, "52.174.33.140", 443, event.DirOut, "B", "DefaultRule_AllowInternetOutBound", 0, 0)
				l.kv(at(5, 12).Add(310*time.Millisecond), "kv-payments", "20.61.15.7", 403, "vault-firewall")
				l.tuple(at(5, 13), macApp, "10.0.1.4", 51514, "52.174.33.140", 443, event.DirOut, "E", "DefaultRule_AllowInternetOutBound", 11, 9)
				return l.evs
			},
			verdict: VerdictDelivered, dst: ip("52.174.33.140"), answerLayer: "vault-firewall",
			reasoning: []string{"resolves from VNet payments-vnet to 52.174.33.140 (public", "no private zone linked to VNet payments-vnet holds kv-payments.privatelink.vaultcore.azure.net"},
		},
		{
			name: "zone linked: the private endpoint", eng: withNet(link),
			logs:    viaEndpoint,
			verdict: VerdictDelivered, dst: ip("10.0.2.5"),
			reasoning: []string{"to 10.0.2.5 (private", "zone privatelink.vaultcore.azure.net is linked to VNet payments-vnet (link payments-link)"},
		},
		{
			name: "linked zone without the record: NXDOMAIN",
			eng: withNet(func(n *topology.Network) {
				link(n)
				n.PrivateDNSZone("privatelink.vaultcore.azure.net").ARecords = nil
			}),
			logs:    func() []event.Event { return newLogs().evs },
			verdict: VerdictNameNotResolved, finding: FindNameNotResolved,
			reasoning: []string{"to no address (nxdomain", "has no record kv-payments"},
		},
		{
			name: "custom DNS server nobody declared: unknown",
			eng: withNet(func(n *topology.Network) {
				n.VNet("payments-vnet").DNSServers = []netip.Addr{ip("10.9.0.4")}
			}),
			logs:    func() []event.Event { return newLogs().evs },
			verdict: VerdictNameNotResolved, finding: FindNameNotResolved,
			reasoning: []string{"to no address (unknown", "custom DNS server 10.9.0.4"},
		},
		{
			name: "the NIC's own custom DNS server wins over the VNet's Azure DNS",
			eng: withNet(func(n *topology.Network) {
				link(n)
				n.NIC("vm-app-nic").DNSServers = []netip.Addr{ip("10.9.0.4")}
			}),
			logs:    func() []event.Event { return newLogs().evs },
			verdict: VerdictNameNotResolved, finding: FindNameNotResolved,
			reasoning: []string{"to no address (unknown", "answered by 10.9.0.4 (custom DNS server), set on NIC vm-app-nic", "NIC vm-app-nic uses custom DNS server 10.9.0.4"},
			citesNIC:  true,
			steps:     []string{"DNS servers: NIC vm-app-nic sets its own DNS servers, which take precedence over its VNet's"},
			fix:       "set the NIC's DNS servers back to inherit from the virtual network",
		},
		{
			name: "the NIC's own Azure DNS wins over the VNet's custom server",
			eng: withNet(func(n *topology.Network) {
				link(n)
				n.VNet("payments-vnet").DNSServers = []netip.Addr{ip("10.9.0.4")}
				n.NIC("vm-app-nic").DNSServers = []netip.Addr{topology.AzureDNS}
			}),
			logs:    viaEndpoint,
			verdict: VerdictDelivered, dst: ip("10.0.2.5"),
			reasoning: []string{"to 10.0.2.5 (private", "answered by Azure DNS (168.63.129.16), set on NIC vm-app-nic"},
			steps:     []string{"DNS servers: NIC vm-app-nic sets its own DNS servers"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := explainWith(t, c.eng, q, c.logs(), Options{})
			if res.Verdict != c.verdict {
				t.Fatalf("verdict %s, want %s\n%s", res.Verdict, c.verdict, dump(res))
			}
			if c.dst.IsValid() && res.Query.DstIP != c.dst {
				t.Errorf("dst_ip %s, want %s", res.Query.DstIP, c.dst)
			}
			if c.answerLayer != "" && (res.Answer == nil || res.Answer.Layer != c.answerLayer) {
				t.Errorf("answer %+v, want layer %s", res.Answer, c.answerLayer)
			}
			if c.finding != "" && !hasFinding(res, c.finding) {
				t.Errorf("no finding %s\n%s", c.finding, dump(res))
			}
			if len(res.Reasoning) == 0 || !strings.HasPrefix(res.Reasoning[0].Text, "DNS (topology): kv-payments.vault.azure.net") {
				t.Fatalf("first reasoning step is not the resolution\n%s", dump(res))
			}
			first := res.Reasoning[0]
			for _, w := range c.reasoning {
				if !strings.Contains(first.Text, w) {
					t.Errorf("resolution step %q lacks %q", first.Text, w)
				}
			}
			var later []string
			for _, st := range res.Reasoning[1:] {
				later = append(later, st.Text)
			}
			for _, w := range c.steps {
				if !strings.Contains(strings.Join(later, "\n"), w) {
					t.Errorf("no reasoning step has %q\n%s", w, dump(res))
				}
			}
			if c.fix != "" {
				fixed := false
				for _, f := range res.Findings {
					fixed = fixed || (f.Code == c.finding && strings.Contains(f.Fix, c.fix))
				}
				if !fixed {
					t.Errorf("no %s finding whose fix has %q\n%s", c.finding, c.fix, dump(res))
				}
			}
			if c.citesNIC && len(first.Citations) == 1 {
				if got, want := res.Citations[first.Citations[0]].Record, c.eng.Net.NIC("vm-app-nic").Src.Line; got != want {
					t.Errorf("resolution step cites line %d, not the NIC's record (line %d)", got, want)
				}
			}
			if len(first.Citations) != 1 || res.Citations[first.Citations[0]].Kind != "topology" ||
				!strings.HasSuffix(res.Citations[first.Citations[0]].Origin, "kvdns.yaml") {
				t.Errorf("resolution step does not cite the topology file: %+v", first.Citations)
			}
		})
	}
}
