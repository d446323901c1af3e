package diagram

import (
	"bytes"
	"encoding/xml"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/topology/load"
)

// TestTopologySVG: the picture is well-formed XML naming every VNet,
// subnet, NIC, firewall, gateway and site of a design, NICs are links when
// a Link is given, and a hostile name is escaped.
func TestTopologySVG(t *testing.T) {
	n, _, err := load.Load(filepath.Join("..", "..", "demo", "data", "trace", "https-fails-asymmetric.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	n.NICs[0].Name = `app-vm-nic<script>`
	var b bytes.Buffer
	link := func(kind, name string) string {
		if kind == "nic" {
			return "/topology/nic?name=" + name
		}
		return ""
	}
	if err := TopologySVG(&b, n, link); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	d := xml.NewDecoder(strings.NewReader(out))
	for {
		if _, err := d.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("not well-formed: %v\n%s", err, out)
			}
			break
		}
	}
	for _, want := range []string{"VNet hub", "VNet spoke", "GatewaySubnet", "AzureFirewallSubnet", "firewall azfw", "gateway gw-hub", "on-premises onprem", "user-pc", "peering hub ↔ spoke",
		`<a href="/topology/nic?name=app-vm-nic&lt;script&gt;" class="node node-nic"`} {
		if !strings.Contains(out, want) {
			t.Errorf("picture lacks %q", want)
		}
	}
	if strings.Contains(out, "<script>") {
		t.Error("a name is not escaped")
	}
}
