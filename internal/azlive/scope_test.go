package azlive

import (
	"strings"
	"testing"
)

func TestParseScope(t *testing.T) {
	const sub = "0b1f6471-1bf0-4dda-aec3-cb9272f09590"
	cases := []struct {
		in, want, err string
	}{
		{"azure://" + sub, "azure://" + sub, ""},
		{"AZURE://" + strings.ToUpper(sub) + "/", "azure://" + sub, ""},
		{"azure://" + sub + "/rg-hub.prod(1)", "azure://" + sub + "/rg-hub.prod(1)", ""},
		{"azure://" + sub + "/rg-ünïcode", "azure://" + sub + "/rg-ünïcode", ""},
		{"azure://my-sub", "", "must be a subscription id"},
		{"azure://", "", "must be a subscription id"},
		{"azure://subscriptions/" + sub, "", "not an ARM id"},
		{"azure://" + sub + "/rg/extra", "", "not a resource group name"},
		{"azure://" + sub + "/rg'x", "", "not a resource group name"},
		{"azure://" + sub + "/rg.", "", "not a resource group name"},
		{"azure://" + sub + "/" + strings.Repeat("r", 91), "", "not a resource group name"},
		{"hub.yaml", "", "does not start with"},
	}
	for _, c := range cases {
		s, err := ParseScope(c.in)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%q: error %v, want %q", c.in, err, c.err)
		case c.err == "" && err != nil:
			t.Errorf("%q: %v", c.in, err)
		case c.err == "" && s.String() != c.want:
			t.Errorf("%q: %s, want %s", c.in, s, c.want)
		}
	}
}

func TestQueryFiltersResourceGroup(t *testing.T) {
	q := Query(Scope{Subscription: "s", ResourceGroup: "rg-a"})
	if !strings.Contains(q, "| where resourceGroup =~ 'rg-a'") || !strings.Contains(q, "project id,") || !strings.Contains(q, "order by id asc") {
		t.Errorf("query:\n%s", q)
	}
	if strings.Contains(Query(Scope{Subscription: "s"}), "resourceGroup =~") {
		t.Error("a subscription scope filters a resource group")
	}
}

// TestReadOnly: only GETs and the query POSTs pass the pipeline guard.
func TestReadOnly(t *testing.T) {
	cases := []struct {
		method, path string
		ok           bool
	}{
		{"GET", "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/firewallPolicies/p/ruleCollectionGroups", true},
		{"POST", "/providers/Microsoft.ResourceGraph/resources", true},
		{"POST", "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkInterfaces/n/effectiveRouteTable", true},
		{"POST", "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkInterfaces/n/effectiveNetworkSecurityGroups", true},
		{"POST", "/subscriptions/s/providers/Microsoft.Network/register", false},
		{"POST", "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/delete", false},
		{"PUT", "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v", false},
		{"PATCH", "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v", false},
		{"DELETE", "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v", false},
	}
	for _, c := range cases {
		if got := allowed(c.method, c.path); got != c.ok {
			t.Errorf("%s %s: allowed %v, want %v", c.method, c.path, got, c.ok)
		}
	}
}

// FuzzParseScope: any value parses or fails without panicking, and a
// parsed scope written back parses to itself.
func FuzzParseScope(f *testing.F) {
	for _, s := range []string{"azure://0b1f6471-1bf0-4dda-aec3-cb9272f09590", "azure://0b1f6471-1bf0-4dda-aec3-cb9272f09590/rg(1).a", "azure://x/y/z", "AZURE://", "azure://0b1f6471-1bf0-4dda-aec3-cb9272f09590/'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseScope(in)
		if err != nil {
			return
		}
		again, err := ParseScope(s.String())
		if err != nil || again != s {
			t.Fatalf("%q → %q → %v %v", in, s, again, err)
		}
		if strings.ContainsAny(Query(s), "\\") || strings.Count(Query(s), "'")%2 != 0 {
			t.Fatalf("query of %q unbalanced", in)
		}
	})
}
