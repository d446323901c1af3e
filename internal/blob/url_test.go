package blob

import (
	"strings"
	"testing"
)

func TestParseSource(t *testing.T) {
	cases := []struct {
		in                                    string
		kind, endpoint, account, cont, prefix string
		sas                                   bool
		wantErr                               string
	}{
		{in: "https://acct1.blob.core.windows.net/insights-logs-auditevent?sv=2024&sig=abc%2F",
			kind: "url", endpoint: "https://acct1.blob.core.windows.net", account: "acct1", cont: "insights-logs-auditevent", sas: true},
		{in: "https://acct1.blob.core.windows.net/insights-logs-auditevent/resourceId=/SUBSCRIPTIONS/X/y=2026",
			kind: "url", endpoint: "https://acct1.blob.core.windows.net", account: "acct1", cont: "insights-logs-auditevent", prefix: "resourceId=/SUBSCRIPTIONS/X/y=2026"},
		{in: "https://acct1.blob.core.windows.net/?sv=1&sig=x",
			kind: "url", endpoint: "https://acct1.blob.core.windows.net", account: "acct1", sas: true},
		{in: "http://127.0.0.1:10000/devstoreaccount1/logs/a/b?sig=zz",
			kind: "url", endpoint: "http://127.0.0.1:10000/devstoreaccount1", account: "devstoreaccount1", cont: "logs", prefix: "a/b", sas: true},
		{in: "azblob://", kind: "azblob"},
		{in: "azblob://insights-logs-flowlogflowevent/flowLogResourceID=/",
			kind: "azblob", cont: "insights-logs-flowlogflowevent", prefix: "flowLogResourceID=/"},
		{in: "azblob://Bad_Name", wantErr: "not a valid container name"},
		{in: "azblob://c1?sig=secret", wantErr: "no query string"},
		{in: "http://127.0.0.1:10000/", wantErr: "account as its first path segment"},
		{in: "ftp://x/y", wantErr: "not a blob URL"},
	}
	for _, c := range cases {
		s, err := ParseSource(c.in)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("ParseSource(%q) error = %v, want %q", c.in, err, c.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("ParseSource(%q) error leaks the query: %v", c.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseSource(%q): %v", c.in, err)
			continue
		}
		if s.Kind != c.kind || s.Endpoint != c.endpoint || s.Account != c.account || s.Container != c.cont || s.Prefix != c.prefix || (s.sas != "") != c.sas {
			t.Errorf("ParseSource(%q) = %+v", c.in, s)
		}
		if strings.Contains(s.String(), "sig=") {
			t.Errorf("String() leaks the SAS: %s", s)
		}
	}
}

func TestIsURL(t *testing.T) {
	for in, want := range map[string]bool{
		"https://a.blob.core.windows.net/c": true, "HTTP://h:1/a/c": true, "azblob://": true,
		"./logs": false, "-": false, "/tmp/https://x": false,
	} {
		if IsURL(in) != want {
			t.Errorf("IsURL(%q) = %v", in, !want)
		}
	}
}

// TestSafeErrorf checks errors leave the package redacted.
func TestSafeErrorf(t *testing.T) {
	err := safeErrorf("listing %s: %v", "x", "https://a.blob.core.windows.net/c?sig=SeCrEt")
	if strings.Contains(err.Error(), "SeCrEt") {
		t.Errorf("safeErrorf leaks: %v", err)
	}
}
