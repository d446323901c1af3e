package arm

import "testing"

func TestParseID(t *testing.T) {
	cases := []struct {
		id, typ, name, parent, rg string
		parsed                    bool
	}{
		{"/subscriptions/s/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/v1/subnets/a", "microsoft.network/virtualnetworks/subnets", "a",
			"/subscriptions/s/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/v1", "rg1", true},
		{"/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG1/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/NSG1", "microsoft.network/networksecuritygroups", "NSG1", "", "RG1", true},
		{"/subscriptions/subId/resourceGroups/rg1/provders/Microsoft.Network/networkInterfaces/x", "", "x", "", "rg1", false},
		{"/subscriptions/s/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks", "", "virtualNetworks", "", "rg1", false},
		{"not an id", "", "not an id", "", "", false},
		{"", "", "", "", "", false},
	}
	for _, c := range cases {
		a := ParseID(c.id)
		if a.Parsed != c.parsed || a.Type() != c.typ || a.Name() != c.name || a.Parent().Raw != c.parent || a.ResourceGroup != c.rg {
			t.Errorf("ParseID(%q) = parsed %v type %q name %q parent %q rg %q; want %v %q %q %q %q",
				c.id, a.Parsed, a.Type(), a.Name(), a.Parent().Raw, a.ResourceGroup, c.parsed, c.typ, c.name, c.parent, c.rg)
		}
	}
	if ParseID("/Subscriptions/S/x/").Key != "/subscriptions/s/x" {
		t.Errorf("key not lower-cased and trimmed")
	}
}
