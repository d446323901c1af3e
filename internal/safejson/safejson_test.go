package safejson

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string // "" accepted
	}{
		{"plain", `{"a":[1,{"b":2}]}`, 0, ""},
		{"100 levels", strings.Repeat("[", 100) + strings.Repeat("]", 100), 0, ""},
		{"101 levels", strings.Repeat("[", 101) + strings.Repeat("]", 101), 0, "f.json:1 (byte 100): malformed JSON: nested more than 100 levels deep"},
		{"brackets in strings", `["` + strings.Repeat("[", 500) + `\"` + strings.Repeat("{", 500) + `"]`, 0, ""},
		{"deep on line 3", "{\n\"a\":\n" + strings.Repeat("{\"a\":", 200), 0, "f.json:3 "},
		{"too large", `"` + strings.Repeat("x", 100) + `"`, 64, "102 bytes, more than the 64 bytes allowed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Check("f.json", []byte(tc.in), tc.max)
			switch {
			case tc.want == "" && err != nil:
				t.Fatal(err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestTopKeys(t *testing.T) {
	for _, c := range []struct {
		in   string
		keys []string
		ok   bool
	}{
		{`{}`, nil, true},
		{" \n{\"a\": 1, \"b\" : {\"x\": [1, \"}\", {\"y\": null}]}, \"c\":\"q\\\"\"}", []string{"a", "b", "c"}, true},
		{`{"format_version":"1.0","values":{"root_module":{}}}`, []string{"format_version", "values"}, true},
		{`{"topo\u006cogy": {}, "a\/b": []}`, []string{"topology", "a/b"}, true},
		{`{"a": [1, 2}`, []string{"a"}, false},
		{`{"a": 1, "b": `, []string{"a", "b"}, false},
		{`{"a" 1}`, []string{"a"}, false},
		{`[{"a": 1}]`, nil, false},
		{`"{}"`, nil, false},
		{``, nil, false},
		{`{"a": "unterminated}`, []string{"a"}, false},
	} {
		keys, ok := TopKeys([]byte(c.in))
		if ok != c.ok || !slices.Equal(keys, c.keys) {
			t.Errorf("TopKeys(%q) = %q, %v; want %q, %v", c.in, keys, ok, c.keys, c.ok)
		}
	}
}

// FuzzTopKeys: on every document encoding/json accepts as an object,
// TopKeys agrees with its decoder on the keys, in order; on anything it
// never panics.
func FuzzTopKeys(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1,"b":[{"c":"}"}]}`, `{"a\u0062":"\"","c":null}`, `[1]`, `{"a":`, `{"format_version":"1.0","values":{}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, ok := TopKeys(data)
		if !json.Valid(data) {
			return
		}
		var want []string
		dec := json.NewDecoder(bytes.NewReader(data))
		if tok, _ := dec.Token(); tok != json.Delim('{') {
			if ok {
				t.Fatalf("TopKeys(%q) ok on a non-object", data)
			}
			return
		}
		for dec.More() {
			k, _ := dec.Token()
			want = append(want, k.(string))
			var skip json.RawMessage
			_ = dec.Decode(&skip)
		}
		if !ok || !slices.Equal(keys, want) {
			t.Fatalf("TopKeys(%q) = %q, %v; encoding/json reads %q", data, keys, ok, want)
		}
	})
}
