package blob

import (
	"strings"
	"testing"
)

func FuzzParseSource(f *testing.F) {
	for _, s := range []string{
		"https://a1.blob.core.windows.net/insights-logs-x/p?sv=1&sig=SECRETVALUE",
		"http://127.0.0.1:10000/devstoreaccount1/c/p?sig=SECRETVALUE",
		"azblob://c/p", "azblob://", "https://x/?sig=SECRETVALUE",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		src, err := ParseSource(s)
		// A signature is secret in the query string. "sig=" elsewhere is
		// part of a path or container name the user typed, which messages
		// must keep ("http://0/0sig=SECRETVALUE" names container
		// "0sig=SECRETVALUE"; the old oracle flagged it, issue #18).
		if _, query, ok := strings.Cut(s, "?"); ok && strings.Contains(query, "sig=SECRETVALUE") {
			if err != nil && strings.Contains(err.Error(), "SECRETVALUE") {
				t.Fatalf("error leaks the signature: %v", err)
			}
			if strings.Contains(src.String(), "SECRETVALUE") {
				t.Fatalf("String leaks the signature: %s", src)
			}
		}
	})
}
