package topology

import (
	"path/filepath"
	"testing"

	"github.com/pathproof/pathproof/internal/testenv"
)

// TestExportGolden pins the exported shapes of a small design that uses
// every resource kind (testdata/export/*.json; -update rewrites them) and
// checks each export loads back without errors or warnings.
func TestExportGolden(t *testing.T) {
	n, err := ParseDesign("design.yaml", []byte(fuzzDesign))
	if err != nil {
		t.Fatal(err)
	}
	n.Finish(&Diagnostics{})
	var d Diagnostics
	n.Validate(&d)
	if len(d.Errors) > 0 || len(d.Warnings) > 0 {
		t.Fatalf("design is not clean:\n%s%s", diagLines(d.Errors), diagLines(d.Warnings))
	}
	for _, c := range []struct {
		file  string
		write func(*Network) ([]byte, []string, error)
	}{
		{"design.arm.json", ExportARM},
		{"design.az.json", ExportAZCLI},
		{"design.tfstate.json", ExportTerraformState},
	} {
		t.Run(c.file, func(t *testing.T) {
			got, notes, err := c.write(n)
			if err != nil {
				t.Fatal(err)
			}
			if len(notes) > 0 {
				t.Errorf("notes: %q", notes)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "export", c.file)
			testenv.Golden(t, path, got)
			back, d, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Warnings) > 0 {
				t.Errorf("warnings:\n%s", diagLines(d.Warnings))
			}
			if counts(back) != counts(n) {
				t.Errorf("read back %s\n      want %s", counts(back), counts(n))
			}
		})
	}
}
