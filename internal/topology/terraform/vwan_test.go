package terraform

import (
	"testing"

	"github.com/pathproof/pathproof/internal/topology/armset"
)

// tfVWANState is hand-written state: a hub's routing intent (private
// traffic and internet through the firewall, one destination per policy and
// both in one), and a hub connection with a static VNet route in the 3.x
// spelling (propagate_static_routes) and one bad prefix.
const tfVWANState = `{"format_version": "1.0", "values": {"root_module": {"resources": [
 {"address": "azurerm_virtual_hub_routing_intent.ri", "type": "azurerm_virtual_hub_routing_intent", "values": {"name": "ri",
  "virtual_hub_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualHubs/hub",
  "routing_policy": [{"name": "p", "destinations": ["privatetraffic"], "next_hop": "/fw/private"},
   {"name": "i", "destinations": ["Internet", "Other"], "next_hop": "/fw/inet"}]}},
 {"address": "azurerm_virtual_hub_connection.c", "type": "azurerm_virtual_hub_connection", "values": {"name": "c",
  "virtual_hub_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualHubs/hub",
  "remote_virtual_network_id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke",
  "routing": [{"associated_route_table_id": "/rt/default", "propagate_static_routes": false,
   "static_vnet_route": [{"name": "nva", "address_prefixes": [" 10.9.0.0/16", "bad"], "next_hop_ip_address": "10.1.0.4"}]}]}}
]}}}`

func TestTerraformVirtualWANIntentAndStaticRoutes(t *testing.T) {
	st, err := Decode([]byte(tfVWANState))
	if err != nil {
		t.Fatal(err)
	}
	var s armset.Set
	if notes := st.AddTo(&s, "vwan.json"); len(notes) > 0 {
		t.Errorf("notes: %q", notes)
	}
	w := s.VirtualWAN()
	if len(w.Intents) != 1 {
		t.Fatalf("intents: %d, want 1", len(w.Intents))
	}
	if ri := w.Intents[0]; ri.PrivateNextHop != "/fw/private" || ri.InetNextHop != "/fw/inet" {
		t.Errorf("intent next hops: private %q internet %q", ri.PrivateNextHop, ri.InetNextHop)
	}
	if len(w.Conns) != 1 {
		t.Fatalf("connections: %d, want 1", len(w.Conns))
	}
	c := w.Conns[0]
	if c.Associated != "/rt/default" || c.PropagateStatic == nil || *c.PropagateStatic {
		t.Errorf("routing: associated %q propagate static %v", c.Associated, c.PropagateStatic)
	}
	if len(c.StaticRoutes) != 1 {
		t.Fatalf("static routes: %d, want 1", len(c.StaticRoutes))
	}
	sr := c.StaticRoutes[0]
	if sr.Name != "nva" || len(sr.Prefixes) != 1 || sr.Prefixes[0].String() != "10.9.0.0/16" || sr.NextHopIP.String() != "10.1.0.4" {
		t.Errorf("static route: %+v", sr)
	}
}
