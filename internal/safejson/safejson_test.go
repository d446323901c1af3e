package safejson

import (
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
