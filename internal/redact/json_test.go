package redact

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestJSON(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"a":1,"uri":"https://x.blob.core.windows.net/c/b?sv=1&sig=SECRET","n":[true,null,2.50]}`,
			`{"a":1,"uri":"https://x.blob.core.windows.net/c/b?REDACTED","n":[true,null,2.50]}`},
		{`{"msg":"x sig\u003dSECRET y"}`, `{"msg":"x sig=REDACTED y"}`},
		{`{"AccountKey=SECRET":{}}`, `{"AccountKey=REDACTED":{}}`},
		{`[ "a" , {"b" : [] } ]`, `["a",{"b":[]}]`},
	}
	for _, c := range cases {
		got, err := JSON([]byte(c.in))
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if string(got) != c.want {
			t.Errorf("JSON(%s)\n got %s\nwant %s", c.in, got, c.want)
		}
		if !json.Valid(got) || strings.Contains(string(got), "SECRET") {
			t.Errorf("JSON(%s) = %s: invalid or leaks", c.in, got)
		}
	}
	for _, bad := range []string{``, `{"a":`, `{} {}`, `{"a" 1}`} {
		if got, err := JSON([]byte(bad)); err == nil {
			t.Errorf("JSON(%q) = %s, want an error", bad, got)
		}
	}
}

func FuzzJSON(f *testing.F) {
	f.Add(`{"uri":"https://a/b?sig=S","k":[1,"x"]}`)
	f.Add(`["sig\u003dS"]`)
	f.Fuzz(func(t *testing.T, in string) {
		got, err := JSON([]byte(in))
		if err != nil {
			return
		}
		if !json.Valid(got) {
			t.Fatalf("JSON(%q) = %q: not valid JSON", in, got)
		}
	})
}
