package logs

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/event"
)

// readString reads text as one input (any framing) and returns copies of
// its events and the report: the whole reader path, registry included.
func readString(t testing.TB, key, text string) ([]event.Event, *Report) {
	t.Helper()
	in := Input{Name: key, Key: key, Open: func(context.Context) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(text)), nil
	}}
	var evs []event.Event
	rep := &Report{}
	err := Read(context.Background(), in, rep, func(e *event.Event) error {
		c := *e
		if e.Detail != nil {
			c.Detail = map[string]string{}
			for k, v := range e.Detail {
				c.Detail[k] = v
			}
		}
		evs = append(evs, c)
		return nil
	})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return evs, rep
}

const kvRaw = `{"time":"2024-04-02T08:20:49.2681600Z","category":"AuditEvent","operationName":"SecretGet","resultType":"Success","resultDescription":"Caller is not authorized to perform action on resource.\nIf role assignments were recently changed, please wait several minutes for role assignments to become effective.","correlationId":"1b3aa393-f142-4329-8b1f-c5222119ae35","callerIpAddress":"147.161.0.0","identity":{"claim":{"oid":"0f0f","appid":"a1b2","upn":"john.doe@contoso.com","ipaddr":"147.161.0.0","xms_az_nwperimid":[]}},"properties":{"id":"https://keytestint.vault.azure.net/secrets/a","clientInfo":"x","httpStatusCode":403,"requestUri":"https://keytestint.vault.azure.net/secrets/a?api-version=7.0","isRbacAuthorized":false,"tlsVersion":"TLS1_3"},"resourceId":"/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KEYTESTINT","operationVersion":"7.0","resultSignature":"Forbidden","durationMs":"27"}`

func TestKeyVault(t *testing.T) {
	cases := []struct {
		name                   string
		rec                    string
		verdict                event.Verdict
		status                 int
		layer, kind, src, fqdn string
		caller                 string
	}{
		{"raw rbac denial, resultType Success", kvRaw, event.VerdictDeny, 403, KVLayerRBAC, "public", "147.161.0.0", "keytestint.vault.azure.net", "john.doe@contoso.com"},
		{"raw firewall denial from text",
			`{"time":"2026-11-25T10:00:01Z","category":"AuditEvent","operationName":"SecretGet","resultType":"Success","resultSignature":"Forbidden","resultDescription":"Client address is not authorized and caller is not a trusted service.\r\nClient address: 203.0.113.7","callerIpAddress":"203.0.113.7","properties":{"httpStatusCode":403,"requestUri":"https://kv1.vault.azure.net/secrets/db?api-version=7.4","isAddressAuthorized":false,"addrAuthType":"PublicIP"},"resourceId":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV1"}`,
			event.VerdictDeny, 403, KVLayerFirewall, "public", "203.0.113.7", "kv1.vault.azure.net", ""},
		{"firewall denial from the flag alone",
			`{"time":"2026-11-25T10:00:01Z","category":"AuditEvent","callerIpAddress":"198.51.100.9","properties":{"httpStatusCode":403,"isAddressAuthorized":false},"resourceId":"/x/VAULTS/KV1"}`,
			event.VerdictDeny, 403, KVLayerFirewall, "public", "198.51.100.9", "kv1.vault.azure.net", ""},
		{"private link only",
			`{"time":"2026-11-25T10:00:01Z","category":"AuditEvent","resultDescription":"Public network access is disabled and request is not from a trusted service nor via an approved private link. ForbiddenByConnection","callerIpAddress":"198.51.100.9","properties":{"httpStatusCode":403},"resourceId":"/x/VAULTS/KV1"}`,
			event.VerdictDeny, 403, KVLayerPrivateLink, "public", "198.51.100.9", "kv1.vault.azure.net", ""},
		{"access policy, AzureDiagnostics row",
			`{"TimeGenerated":"2026-11-25T10:00:02.5Z","Category":"AuditEvent","Type":"AzureDiagnostics","ResourceId":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV2","OperationName":"KeyPurge","ResultType":"Success","ResultSignature":"Forbidden","ResultDescription":"The user, group or application 'appid=1;oid=2' does not have keys purge permission on key vault 'kv2;location=westeurope'.","CallerIPAddress":"10.1.2.4","httpStatusCode_d":403,"requestUri_s":"https://kv2.vault.azure.net/keys/k?api-version=7.4","isAccessPolicyMatch_b":false,"identity_claim_upn_s":"ops@contoso.com"}`,
			event.VerdictDeny, 403, KVLayerAccessPolicy, "private", "10.1.2.4", "kv2.vault.azure.net", "ops@contoso.com"},
		{"AZKVAuditLogs row, served",
			`{"TimeGenerated":"2026-11-25T10:00:03Z","Type":"AZKVAuditLogs","_ResourceId":"/subscriptions/s/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv3","OperationName":"SecretGet","ResultSignature":"OK","HttpStatusCode":200,"CallerIpAddress":"10.0.0.5","RequestUri":"https://kv3.vault.azure.net/secrets/a","Identity":{"claim":{"http://schemas.microsoft.com/identity/claims/objectidentifier":"oid-9"}},"IsAddressAuthorized":true,"AddressAuthorizationType":"PrivateLink","DurationMs":12}`,
			event.VerdictAllow, 200, "", "private", "10.0.0.5", "kv3.vault.azure.net", "oid-9"},
		{"not found is an error",
			`{"time":"2026-11-25T10:00:04Z","category":"AuditEvent","resultSignature":"Not Found","callerIpAddress":"10.0.0.5","properties":{"httpStatusCode":404},"resourceId":"/x/VAULTS/KV1"}`,
			event.VerdictError, 404, "", "private", "10.0.0.5", "kv1.vault.azure.net", ""},
		{"status only from resultSignature, 401 challenge",
			`{"time":"2026-11-25T10:00:05Z","category":"AuditEvent","resultSignature":"Unauthorized","callerIpAddress":"20.1.1.1","resourceId":"/x/VAULTS/KV1"}`,
			event.VerdictDeny, 401, KVLayerAuthentication, "public", "20.1.1.1", "kv1.vault.azure.net", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			evs, rep := readString(t, "insights-logs-auditevent/x/PT1H.json", c.rec+"\n")
			if rep.Skipped() != 0 || len(evs) != 1 {
				t.Fatalf("events %d, skips %v", len(evs), rep.Skips())
			}
			e := evs[0]
			if e.Source != event.SourceKeyVault || e.Verdict != c.verdict || e.HTTPStatus != c.status ||
				e.Detail["denial_layer"] != c.layer || e.Detail["caller_address_kind"] != c.kind ||
				e.SrcIP.String() != c.src || e.FQDN != c.fqdn || e.DstPort != 443 || e.Caller != c.caller {
				b, _ := json.Marshal(e)
				t.Fatalf("got %s", b)
			}
			if c.layer != "" && !strings.HasPrefix(e.Rule.Reason, c.layer) {
				t.Errorf("Rule.Reason %q does not start with the layer %q", e.Rule.Reason, c.layer)
			}
			if e.Emitter == "" || strings.ToLower(e.Emitter) != e.Emitter {
				t.Errorf("Emitter %q", e.Emitter)
			}
		})
	}
}

func TestKeyVaultBadRecords(t *testing.T) {
	text := `{"time":"2026-11-25T10:00:01Z","category":"AuditEvent","callerIpAddress":"not-an-ip","properties":{"httpStatusCode":403},"resourceId":"/x/VAULTS/KV1"}
{"time":"","category":"AuditEvent","callerIpAddress":"10.0.0.1","resourceId":"/x/VAULTS/KV1"}
` + kvRaw + "\n" + kvRaw[:200]
	evs, rep := readString(t, "insights-logs-auditevent/bad/PT1H.json", text)
	if len(evs) != 1 {
		t.Fatalf("kept %d events, want 1", len(evs))
	}
	by := rep.SkipsByCode()
	if by[CodeBadRecord] != 1 || by[CodeBadTime] != 1 || by[CodeTruncated]+by[CodeBadJSON] != 1 {
		t.Errorf("skips %v", rep.Skips())
	}
}

func FuzzKeyVault(f *testing.F) {
	f.Add([]byte(kvRaw))
	f.Add([]byte(`{"TimeGenerated":"2026-11-25T10:00:03Z","Type":"AZKVAuditLogs","Identity":"{\"claim\":{\"upn\":\"a\"}}","HttpStatusCode":"403","CallerIpAddress":"[::1]:5"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(data, parseKeyVault, func(e *event.Event) {
			if e.Source != event.SourceKeyVault {
				t.Fatalf("source %q", e.Source)
			}
		})
	})
}
