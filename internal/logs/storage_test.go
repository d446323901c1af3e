package logs

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/event"
)

const storageRaw = `{"time":"2026-11-25T10:05:00.1234567Z","resourceId":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stlogs01/blobServices/default","category":"StorageRead","operationName":"GetBlob","operationVersion":"2021-08-06","schemaVersion":"1.0","statusCode":403,"statusText":"IpAuthorizationError","durationMs":3,"callerIpAddress":"203.0.113.50:52311","correlationId":"c1","identity":{"type":"SAS","tokenHash":"x"},"location":"westeurope","properties":{"accountName":"stlogs01","serviceType":"blob","objectKey":"/stlogs01/data/a.csv"},"uri":"https://stlogs01.blob.core.windows.net/data/a.csv?sv=2022-11-02&sig=AbCdSecret%3D&se=2026","protocol":"HTTPS","resourceType":"Microsoft.Storage/storageAccounts/blobServices"}`

func TestStorage(t *testing.T) {
	cases := []struct {
		name, rec     string
		verdict       event.Verdict
		status        int
		layer, src    string
		port          uint16
		emitter, fqdn string
	}{
		{"raw firewall denial, port in caller", storageRaw, event.VerdictDeny, 403, StorageLayerFirewall, "203.0.113.50", 52311, "stlogs01", "stlogs01.blob.core.windows.net"},
		{"table row, RBAC, status as string",
			`{"TimeGenerated":"2026-11-25T10:06:00Z","Type":"StorageBlobLogs","AccountName":"stlogs01","Category":"StorageRead","OperationName":"GetBlob","StatusCode":"403","StatusText":"AuthorizationPermissionMismatch","CallerIpAddress":"10.2.0.4:50000","Uri":"https://stlogs01.blob.core.windows.net/data/b","Protocol":"HTTPS","AuthenticationType":"OAuth","RequesterUpn":"dev@contoso.com"}`,
			event.VerdictDeny, 403, StorageLayerRBAC, "10.2.0.4", 50000, "stlogs01", "stlogs01.blob.core.windows.net"},
		{"served",
			`{"time":"2026-11-25T10:07:00Z","category":"StorageWrite","operationName":"PutBlob","statusCode":201,"statusText":"Success","callerIpAddress":"[2001:db8::5]:443","uri":"https://a1.blob.core.windows.net/c/x","protocol":"HTTPS","resourceId":"/x/storageAccounts/a1/blobServices/default"}`,
			event.VerdictAllow, 201, "", "2001:db8::5", 443, "a1", "a1.blob.core.windows.net"},
		{"throttled is an error",
			`{"time":"2026-11-25T10:07:00Z","category":"StorageRead","statusCode":503,"statusText":"ThrottlingError","callerIpAddress":"10.0.0.1:1","uri":"https://a1.blob.core.windows.net/c/x","resourceId":"/x/storageAccounts/a1/blobServices/default"}`,
			event.VerdictError, 503, "", "10.0.0.1", 1, "a1", "a1.blob.core.windows.net"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			evs, rep := readString(t, "insights-logs-storageread/x/PT1H.json", c.rec+"\n")
			if rep.Skipped() != 0 || len(evs) != 1 {
				t.Fatalf("events %d, skips %v", len(evs), rep.Skips())
			}
			e := evs[0]
			if e.Verdict != c.verdict || e.HTTPStatus != c.status || e.Detail["denial_layer"] != c.layer ||
				e.SrcIP.String() != c.src || e.SrcPort != c.port || e.Emitter != c.emitter || e.FQDN != c.fqdn {
				b, _ := json.Marshal(e)
				t.Fatalf("got %s", b)
			}
			if strings.Contains(e.URL, "Secret") {
				t.Errorf("SAS signature kept in URL: %s", e.URL)
			}
		})
	}
}

// Classic lines follow the documented field order; the first is shaped like
// the page's own example (SAS request, quoted URL with an escaped quote).
const saLines = `1.0;2026-11-25T09:59:23.1967767Z;GetBlob;SASSuccess;200;18;10;sas;;stclassic;blob;"https://stclassic.blob.core.windows.net/thumb/a.jpg?sv=2014-02-14&amp;sr=c&amp;sig=XXSecretXX&amp;se=2026";"/stclassic/thumb/a.jpg";a84aa705-8a85-48c5-b064-b43bd22979c1;0;192.100.0.102:4362;2014-02-14;252;0;265;100;0;;;"0x8D15A2A52D40B56";Thursday, 19-Jun-14 22:59:07 GMT;;"WA-Storage/4.0.1 (.NET CLR 4.0.30319.34014; Win32NT 6.2.9200.0)";;"44dfd8f5-0fca-45d9-9d1c-9d9b5f5c7b0f"
1.0;2026-11-25T10:00:00.0000000Z;GetBlob;SASIpAuthorizationError;403;2;2;sas;;stclassic;blob;"https://stclassic.blob.core.windows.net/thumb/b.jpg";"/stclassic/thumb/b.jpg";b1;0;198.51.100.7:61000;2014-02-14;252;0;265;100;0;;;;;;"curl/8";;
1.0;not-a-time;GetBlob;Success;200
2.0;2026-11-25T10:01:00.0000000Z;ListBlobs;OAuthSuccess;200;5;5;oauth;;stclassic;blob;"https://stclassic.blob.core.windows.net/thumb?restype=container&amp;comp=list";"/stclassic/thumb";c1;0;10.0.0.9:443;2019-07-07;300;0;400;500;0;;;;;;"azcopy";;;oid;tid;appid;aud;iss;user@contoso.com;;
`

func TestStorageAnalyticsClassic(t *testing.T) {
	evs, rep := readString(t, "$logs/blob/2026/11/25/1000/000000.log", saLines)
	if len(evs) != 3 {
		t.Fatalf("events %d, want 3; skips %v", len(evs), rep.Skips())
	}
	if rep.SkipsByCode()[CodeBadRecord] != 1 {
		t.Errorf("skips %v", rep.Skips())
	}
	if evs[0].Verdict != event.VerdictAllow || evs[0].SrcIP.String() != "192.100.0.102" || evs[0].SrcPort != 4362 || evs[0].Emitter != "stclassic" {
		t.Errorf("line 0: %+v", evs[0])
	}
	if strings.Contains(evs[0].URL, "XXSecretXX") || !strings.Contains(evs[0].URL, "&sr=c") {
		t.Errorf("URL not decoded or not redacted: %s", evs[0].URL)
	}
	if evs[1].Verdict != event.VerdictDeny || evs[1].Detail["denial_layer"] != StorageLayerFirewall {
		t.Errorf("line 1: %+v", evs[1])
	}
	if evs[2].Caller != "user@contoso.com" || evs[2].Origin.Record != 3 {
		t.Errorf("line 3: caller %q record %d", evs[2].Caller, evs[2].Origin.Record)
	}
}

func FuzzStorage(f *testing.F) {
	f.Add([]byte(storageRaw))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(data, parseStorage, nil)
	})
}

func FuzzStorageAnalyticsLine(f *testing.F) {
	for _, l := range strings.Split(saLines, "\n") {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, line string) {
		e, err := parseSALine(line)
		if err == nil && e.Source != event.SourceStorage {
			t.Fatal("wrong source")
		}
	})
}
