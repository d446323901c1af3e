package loggen

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"time"
)

// KVScenario describes what KeyVaultDenied wrote.
type KVScenario struct {
	Vault, VaultFQDN string
	// PrivateEndpoint is the vault's private endpoint address; VaultPublic
	// its public address (what public DNS answers).
	PrivateEndpoint, VaultPublic netip.Addr
	// App is the client whose DNS does not use the private endpoint; NAT the
	// public address its traffic leaves the VNet with (what the vault sees).
	App, NAT netip.Addr
	// Batch is a client that does use the private endpoint.
	Batch netip.Addr
	// Attempts is how many requests App made (all refused).
	Attempts int
	Files    []string
}

// KeyVaultDenied writes the "vault firewall refuses a client that skipped
// the private endpoint" story into out, in Azure's storage-account layout:
// VNet flow logs of two client NICs and the vault's AuditEvent log for the
// hour starting at start. vm-app resolves the vault to its public address
// (its VNet is not linked to the privatelink.vaultcore.azure.net zone), so
// its requests leave through the NAT gateway and the vault firewall, which
// admits only the private endpoint, answers 403 ForbiddenByFirewall.
// vm-batch resolves the private endpoint and is served.
func KeyVaultDenied(out string, start time.Time) (KVScenario, error) {
	start = start.UTC().Truncate(time.Hour)
	sc := KVScenario{
		Vault: "kv-payments", VaultFQDN: "kv-payments.vault.azure.net",
		PrivateEndpoint: netip.MustParseAddr("10.0.2.5"), VaultPublic: netip.MustParseAddr("52.174.33.140"),
		App: netip.MustParseAddr("10.0.1.4"), NAT: netip.MustParseAddr("20.61.15.7"),
		Batch: netip.MustParseAddr("10.0.1.5"), Attempts: 3,
	}
	g := &gen{opt: Options{Out: out, Subscription: "00000000-0000-0000-0000-000000000000", ResourceGroup: "payments-rg", Region: "westeurope", VNet: "payments-vnet"},
		rng: rand.New(rand.NewPCG(42, 42))}
	g.opt.Defaults()
	vaultID := g.armID("Microsoft.KeyVault", "vaults", sc.Vault)

	type tuple struct {
		at             time.Time
		src, dst       netip.Addr
		sport, dport   uint16
		state          string
		ps, bs, pr, br int64
		rule           string
	}
	var app, batch []tuple
	var kv []string
	for i := 0; i < sc.Attempts; i++ {
		t := start.Add(time.Duration(5+15*i)*time.Minute + 12*time.Second)
		sport := uint16(51514 + i)
		app = append(app,
			tuple{t, sc.App, sc.VaultPublic, sport, 443, "B", 0, 0, 0, 0, "DefaultRule_AllowInternetOutBound"},
			tuple{t.Add(900 * time.Millisecond), sc.App, sc.VaultPublic, sport, 443, "E", 11, 2210, 9, 6120, "DefaultRule_AllowInternetOutBound"})
		line, _ := kvLine(t.Add(310*time.Millisecond), vaultID, sc.Vault, sc.NAT, KVFirewallDenied, g.guid())
		kv = append(kv, string(line))
		bt := t.Add(40 * time.Second)
		bport := uint16(40022 + i)
		batch = append(batch,
			tuple{bt, sc.Batch, sc.PrivateEndpoint, bport, 443, "B", 0, 0, 0, 0, "DefaultRule_AllowVnetOutBound"},
			tuple{bt.Add(600 * time.Millisecond), sc.Batch, sc.PrivateEndpoint, bport, 443, "E", 12, 2301, 10, 7011, "DefaultRule_AllowVnetOutBound"})
		line, _ = kvLine(bt.Add(250*time.Millisecond), vaultID, sc.Vault, sc.Batch, KVServed, g.guid())
		kv = append(kv, string(line))
	}
	watcher := "NETWORKWATCHER_" + strings.ToUpper(g.opt.Region)
	flName := strings.ToUpper(g.opt.VNet + "-flowlog")
	flowLogID := "/SUBSCRIPTIONS/" + strings.ToUpper(g.opt.Subscription) + "/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/" + watcher + "/FLOWLOGS/" + flName
	target := "/subscriptions/" + g.opt.Subscription + "/resourceGroups/" + g.opt.ResourceGroup + "/providers/Microsoft.Network/virtualNetworks/" + g.opt.VNet
	nsg := "6f7e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
	writeNIC := func(mac string, ts []tuple) error {
		key := "insights-logs-flowlogflowevent/flowLogResourceID=/" + strings.ToUpper(g.opt.Subscription) + "_NETWORKWATCHERRG/" + watcher + "_" + flName +
			"/" + hourPath(start) + "/macAddress=" + mac + "/PT1H.json"
		var recs []map[string]any
		for _, t := range ts {
			tup := fmt.Sprintf("%d,%s,%s,%d,%d,6,O,%s,NX,%d,%d,%d,%d", t.at.UnixMilli(), t.src, t.dst, t.sport, t.dport, t.state, t.ps, t.bs, t.pr, t.br)
			recs = append(recs, map[string]any{
				"time": t.at.Add(48 * time.Second).Format(timeLayout), "flowLogVersion": 4,
				"flowLogGUID": "5e1d6c8a-0f3b-4b7e-9a41-2c6f0e9d7b13", "macAddress": mac, "category": "FlowLogFlowEvent",
				"flowLogResourceID": flowLogID, "targetResourceID": target, "operationName": "FlowLogFlowEvent",
				"flowRecords": map[string]any{"flows": []any{map[string]any{"aclID": nsg,
					"flowGroups": []any{map[string]any{"rule": t.rule, "flowTuples": []string{tup}}}}}},
			})
		}
		b, err := g.create(key)
		if err != nil {
			return err
		}
		data, _ := json.Marshal(map[string]any{"records": recs})
		b.write(data)
		return b.close()
	}
	if err := writeNIC("000D3A2B3C4D", app); err != nil {
		return sc, err
	}
	if err := writeNIC("000D3A2B3C4E", batch); err != nil {
		return sc, err
	}
	b, err := g.create("insights-logs-auditevent/resourceId=" + vaultID + "/" + hourPath(start) + "/PT1H.json")
	if err != nil {
		return sc, err
	}
	b.write([]byte(strings.Join(kv, "")))
	if err := b.close(); err != nil {
		return sc, err
	}
	sc.Files = g.res.Files
	return sc, nil
}
