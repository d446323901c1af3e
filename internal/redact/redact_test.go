package redact

import (
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	key := "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
	cases := []struct{ in, want string }{
		{"GET https://a.blob.core.windows.net/c?restype=container&sv=2024&sig=SeCrEt%2Bsig\n", "GET https://a.blob.core.windows.net/c?REDACTED\n"},
		{`parse "http://127.0.0.1:1/devstoreaccount1/c?se=1&sig=SeCrEt": bad`, `parse "http://127.0.0.1:1/devstoreaccount1/c?REDACTED": bad`},
		{"azblob://acct/insights-logs-x?sv=1&sig=SeCrEt", "azblob://acct/insights-logs-x?REDACTED"},
		{"DefaultEndpointsProtocol=http;AccountName=x;AccountKey=" + key + ";BlobEndpoint=http://h/x;", "DefaultEndpointsProtocol=http;AccountName=x;AccountKey=REDACTED;BlobEndpoint=http://h/x;"},
		{"query se=2026&sp=rl&sig=SeCrEt&sv=1", "query se=2026&sp=rl&sig=REDACTED&sv=1"},
		{"Authorization: SharedKey devstoreaccount1:SeCrEtSig==", "Authorization: SharedKey REDACTED"},
		{"SharedAccessSignature=sv=1&sig=SeCrEt;BlobEndpoint=x", "SharedAccessSignature=REDACTED;BlobEndpoint=x"},
		{"BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=sv=2024&ss=b&srt=co&sp=rl&se=2026&sig=SeCrEt", "BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=REDACTED"},
		{"Authorization: Bearer eyJSeCrEt.abc", "Authorization: Bearer REDACTED"},
		{"https://user:SeCrEt@acct.blob.core.windows.net/c", "https://user:REDACTED@acct.blob.core.windows.net/c"},
		{"proxy http://u:SeCrEt@proxy:8080 refused", "proxy http://u:REDACTED@proxy:8080 refused"},
		{"https://user@host/c and http://host:8080/x", "https://user@host/c and http://host:8080/x"},
		{"./logs/insights-logs-flowlogflowevent", "./logs/insights-logs-flowlogflowevent"},
		{`GET https://acct.blob.core.windows.net/insights-logs-x/a.json?sv=2024&sig=SeCrEt: 403, then "https://b.example/x?sig=SeCrEt" failed`,
			`GET https://acct.blob.core.windows.net/insights-logs-x/a.json?REDACTED: 403, then "https://b.example/x?REDACTED" failed`},
	}
	for _, c := range cases {
		got := String(c.in)
		if got != c.want {
			t.Errorf("String(%q)\n = %q\nwant %q", c.in, got, c.want)
		}
		if strings.Contains(got, "SeCrEt") || strings.Contains(got, key) {
			t.Errorf("String(%q) = %q leaks", c.in, got)
		}
	}
}

// TestLocation: the forms of issue #18 that reached usage errors verbatim.
func TestLocation(t *testing.T) {
	for in, want := range map[string]string{
		"abfss://c@acct.dfs.core.windows.net/x?sv=1&sig=SeCrEt":    "abfss://c@acct.dfs.core.windows.net/x?REDACTED",
		"wasbs://c@acct.blob.core.windows.net/x?sv=1&token=SeCrEt": "wasbs://c@acct.blob.core.windows.net/x?REDACTED",
		"ftp://acct/x?sig=SeCrEt":                                  "ftp://acct/x?REDACTED",
		"https:/acct.blob.core.windows.net/c?sv=1&skt=SeCrEt":      "https:/acct.blob.core.windows.net/c?REDACTED",
		" https://acct.blob.core.windows.net/c?sv=1&sig=SeCrEt":    " https://acct.blob.core.windows.net/c?REDACTED",
		"https://acct.blob.core.windows.net/container;sig=SeCrEt":  "https://acct.blob.core.windows.net/container;sig=REDACTED",
		"http://user:SeCrEt@127.0.0.1:1/acct/c":                    "http://user:REDACTED@127.0.0.1:1/acct/c",
		"x.duckdb?sv=1&st=SeCrEt":                                  "x.duckdb?REDACTED",
		"./logs/insights-logs-x":                                   "./logs/insights-logs-x",
	} {
		if got := Location(in); got != want {
			t.Errorf("Location(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestArgs(t *testing.T) {
	args := []string{"events", "--db=x.duckdb?st=SeCrEt1", "--logs", "ftp://h/x?tok=SeCrEt2", "--logs", " y?z=SeCrEt3"}
	msg := `--db x.duckdb?st=SeCrEt1: no such file; --logs "ftp://h/x?tok=SeCrEt2": bad; --logs y?z=SeCrEt3: no such file`
	got := Args(msg, args)
	if strings.Contains(got, "SeCrEt") {
		t.Fatalf("Args leaks: %s", got)
	}
	if !strings.Contains(got, "x.duckdb?REDACTED") || !strings.Contains(got, "y?REDACTED") {
		t.Errorf("Args = %s, want the locations kept up to the query", got)
	}
}

func TestSignatures(t *testing.T) {
	for in, want := range map[string]string{
		"https://a.blob.core.windows.net/c/b?sv=1&sig=AbC%2B&se=2": "https://a.blob.core.windows.net/c/b?sv=1&sig=REDACTED&se=2",
		"https://a/c?SIG=x":      "https://a/c?SIG=REDACTED",
		"/c/b?se=1":              "/c/b?se=1",
		"\x80\x80 ?sig=zz\x80 x": "\x80\x80 ?sig=REDACTED x",
	} {
		if got := Signatures(in); got != want {
			t.Errorf("Signatures(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzString(f *testing.F) {
	f.Add("GET https://a.blob.core.windows.net/c?sig=SECRETVALUE&sv=1 ")
	f.Add("AccountKey=SECRETVALUE;x")
	f.Add("https://u:SECRETVALUE@h/x")
	f.Fuzz(func(t *testing.T, prefix string) {
		for _, tmpl := range []string{"%s?sig=SECRETVALUE", "%s sig=SECRETVALUE", "%s;AccountKey=SECRETVALUE;", "%s&sig=SECRETVALUE",
			"%s;SharedAccessSignature=SECRETVALUE", "%s https://u:SECRETVALUE@h/x"} {
			in := strings.Replace(tmpl, "%s", prefix, 1)
			if out := String(in); strings.Contains(out, "SECRETVALUE") && !strings.Contains(prefix, "SECRETVALUE") {
				t.Fatalf("String(%q) = %q", in, out)
			}
		}
	})
}
