package event

import "testing"

func TestShortKey(t *testing.T) {
	for _, tc := range []struct{ key, want string }{
		{"insights-logs-flowlogflowevent/flowLogResourceID=/00000000-0000-0000-0000-000000000000_NETWORKWATCHERRG/NETWORKWATCHER_EASTUS_DEMO-VNET-DEMO-RG-FLOWLOG/y=2026/m=01/d=15/h=09/m=00/macAddress=000D3A100001/PT1H.json",
			"flowlogflowevent/000D3A100001/2026-01-15T09:00/PT1H.json"},
		{"insights-logs-azfwnetworkrule/resourceId=/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/DEMO-RG/PROVIDERS/MICROSOFT.NETWORK/AZUREFIREWALLS/DEMO-FW/y=2026/m=01/d=15/h=09/m=00/PT1H.json",
			"azfwnetworkrule/DEMO-FW/2026-01-15T09:00/PT1H.json"},
		{"insights-logs-auditevent/resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV1/y=2026/m=03/d=01/PT1H.json",
			"auditevent/KV1/2026-03-01/PT1H.json"},
		{"insights-logs-flowlogflowevent/c/PT1H.json", "insights-logs-flowlogflowevent/c/PT1H.json"},
		{"/home/someone/cases/ticket-4711/exported-logs/firewall/fw.json", "…/firewall/fw.json"},
		{"/tmp/fw.json", "/tmp/fw.json"},
		{"-", "-"},
	} {
		if got := ShortKey(tc.key); got != tc.want {
			t.Errorf("ShortKey(%q) = %q, want %q", tc.key, got, tc.want)
		}
	}
}

func TestFindShortKey(t *testing.T) {
	a := "insights-logs-azfwnetworkrule/resourceId=/SUBSCRIPTIONS/A/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/AZUREFIREWALLS/FW/y=2026/m=01/d=15/h=09/m=00/PT1H.json"
	b := "insights-logs-azfwnetworkrule/resourceId=/SUBSCRIPTIONS/B/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/AZUREFIREWALLS/FW/y=2026/m=01/d=15/h=09/m=00/PT1H.json"
	c := "insights-logs-azfwnetworkrule/resourceId=/SUBSCRIPTIONS/A/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/AZUREFIREWALLS/FW/y=2026/m=01/d=15/h=10/m=00/PT1H.json"
	keys := []string{a, b, c}
	if k, _, ok := FindShortKey(a, keys); !ok || k != a {
		t.Errorf("full key: %q %v", k, ok)
	}
	if k, _, ok := FindShortKey(ShortKey(c), keys); !ok || k != c {
		t.Errorf("short key of c: %q %v", k, ok)
	}
	if _, amb, ok := FindShortKey(ShortKey(a), keys); ok || len(amb) != 2 {
		t.Errorf("a and b share a short key: ok %v, ambiguous %v", ok, amb)
	}
	if _, amb, ok := FindShortKey("nope", keys); ok || len(amb) != 0 {
		t.Errorf("unknown: %v %v", ok, amb)
	}
}
