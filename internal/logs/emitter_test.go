package logs

import (
	"encoding/json"
	"testing"
)

// TestResourceEmitter: a table and a _ResourceId name the family and the
// emitter the parser gives the row's events, for every table push-down
// counts; Traffic Analytics and rows without a resource have none.
func TestResourceEmitter(t *testing.T) {
	const fw = "/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/AZUREFIREWALLS/AZFW-Hub"
	rows := []map[string]any{
		{"Type": "AZFWNetworkRule", "_ResourceId": fw, "TimeGenerated": "2026-02-03T14:21:00Z", "Protocol": "TCP", "SourceIp": "10.0.1.4", "SourcePort": 50123, "DestinationIp": "10.5.1.4", "DestinationPort": 443, "Action": "Deny"},
		{"Type": "AZFWApplicationRule", "_ResourceId": fw, "TimeGenerated": "2026-02-03T14:21:00Z", "Protocol": "HTTPS", "SourceIp": "10.0.1.4", "SourcePort": 50123, "DestinationPort": 443, "Fqdn": "api.contoso.com", "Action": "Allow"},
		{"Type": "AZFWDnsQuery", "_ResourceId": fw, "TimeGenerated": "2026-02-03T14:21:00Z", "SourceIp": "10.0.1.4", "SourcePort": 50123, "QueryName": "api.contoso.com.", "QueryType": "A", "ResponseCode": "NOERROR", "Protocol": "UDP"},
		{"Type": "AzureDiagnostics", "ResourceId": fw, "TimeGenerated": "2026-02-03T14:21:00Z", "Category": "AzureFirewallNetworkRule", "OperationName": "AzureFirewallNetworkRuleLog", "msg_s": "TCP request from 10.0.1.4:50123 to 10.5.1.4:443. Action: Deny."},
		{"Type": "AZKVAuditLogs", "_ResourceId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/KV-Pay", "TimeGenerated": "2026-02-03T14:21:00Z", "OperationName": "SecretGet", "ResultType": "Success", "CallerIpAddress": "10.0.1.4", "HttpStatusCode": 200, "Id": "https://kv-pay.vault.azure.net/secrets/x"},
		{"Type": "StorageBlobLogs", "_ResourceId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stPay/blobServices/default", "AccountName": "stpay", "TimeGenerated": "2026-02-03T14:21:00Z", "OperationName": "GetBlob", "StatusCode": 200, "StatusText": "Success", "CallerIpAddress": "10.0.1.4:50123", "Protocol": "HTTPS", "Uri": "https://stpay.blob.core.windows.net/c/b"},
	}
	for _, row := range rows {
		b, _ := json.Marshal(row)
		table := row["Type"].(string)
		t.Run(table, func(t *testing.T) {
			evs, rep := readString(t, table+".json", string(b))
			if rep.Skipped() > 0 || len(evs) == 0 {
				t.Fatalf("parse: %d events, skips %+v", len(evs), rep.Skips())
			}
			id, _ := row["_ResourceId"].(string)
			if id == "" {
				id, _ = row["ResourceId"].(string)
			}
			src, em, ok := ResourceEmitter(table, id)
			if !ok || src != evs[0].Source || em != evs[0].Emitter {
				t.Errorf("ResourceEmitter = %s %q %v; the parser says %s %q", src, em, ok, evs[0].Source, evs[0].Emitter)
			}
		})
	}
	for _, c := range [][2]string{{"NTANetAnalytics", fw}, {"AZFWNetworkRule", ""}, {"AzureDiagnostics", "/subscriptions/s/providers/Microsoft.Network/virtualNetworkGateways/gw"}, {"Heartbeat", fw}} {
		if _, _, ok := ResourceEmitter(c[0], c[1]); ok {
			t.Errorf("%s %q: an emitter", c[0], c[1])
		}
	}
}
