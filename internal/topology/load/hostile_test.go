package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHostileInputsRefused: nesting that cost the YAML library quadratic
// memory (a 64 KB `topology: [[[…]]]` took 9.8 s and 1.65 GB) and JSON
// nested as deep is refused before any tree is built, naming the file
// and line (issue #18).
func TestHostileInputsRefused(t *testing.T) {
	deepJSON := strings.Repeat("[", 30000) + strings.Repeat("]", 30000)
	tests := []struct {
		name, file, in string
		want           string
	}{
		{"nested YAML brackets", "d.yaml", "topology: " + strings.Repeat("[", 32000) + strings.Repeat("]", 32000), "d.yaml: line 1: malformed YAML: nested more than 100 levels deep"},
		{"nested YAML block", "d.yaml", "vnets:\n" + nestedBlock(150), "malformed YAML: nested more than 100 levels deep"},
		{"custom tag", "d.yaml", "vnets:\n  - name: !x\n    address_space: [10.0.0.0/16]\n", `d.yaml: line 2: malformed YAML: tag "!x" is not supported`},
		{"nested design JSON", "d.json", `{"vnets":` + deepJSON + `}`, "d.json: line 1 (byte 108): malformed JSON: nested more than 100 levels deep"},
		{"nested ARM JSON", "arm.json", `{"value":` + deepJSON + `}`, "malformed JSON: nested more than 100 levels deep"},
		{"nested Terraform JSON", "tf.json", `{"format_version":"1.0","values":` + deepJSON + `}`, "malformed JSON: nested more than 100 levels deep"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.file)
			if err := os.WriteFile(path, []byte(tc.in), 0o600); err != nil {
				t.Fatal(err)
			}
			_, _, err := Load(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if strings.Count(err.Error(), tc.file) != 1 {
				t.Errorf("the file is named %d times: %v", strings.Count(err.Error(), tc.file), err)
			}
		})
	}
}

func nestedBlock(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(strings.Repeat(" ", i+2) + "- k:\n")
	}
	return b.String()
}
