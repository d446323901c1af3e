package monitor

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/testenv"
)

func TestParseValidConfig(t *testing.T) {
	data, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseConfig("valid.yaml", data, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(c, Options{ResultsDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if m.Tests() != 4 {
		t.Errorf("%d tests, want 2 destinations × 2 configurations = 4 (disabled group skipped)", m.Tests())
	}
	tc := c.TestGroups[0].TestConfigurations[0]
	if tc.frequency != 30*time.Second || tc.Checks != 3 || tc.HTTP.expect() != "200-299,3xx" || *tc.Thresholds.ChecksFailedPercent != 5 {
		t.Errorf("parsed %+v", tc)
	}
	if c.TestGroups[0].Destinations[1].Name != "10.1.0.4" {
		t.Errorf("destination without a name is not named by its address: %+v", c.TestGroups[0].Destinations[1])
	}
	if c.Alerts.Damping != 3 {
		t.Errorf("damping %d", c.Alerts.Damping)
	}
}

// TestInvalidConfigs checks every invalid file against its golden list of
// problems: each with its line, all of them at once.
func TestInvalidConfigs(t *testing.T) {
	files, _ := filepath.Glob("testdata/invalid/*.yaml")
	if len(files) == 0 {
		t.Fatal("no invalid configs")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, _ := os.ReadFile(f)
			_, err := ParseConfig(filepath.Base(f), data, DefaultLimits)
			ce, ok := err.(*ConfigError)
			if !ok {
				t.Fatalf("want a *ConfigError, got %v", err)
			}
			var b strings.Builder
			for _, i := range ce.Issues {
				if i.Line == 0 {
					t.Errorf("issue without a line: %s", i.Msg)
				}
				b.WriteString(":" + strconv.Itoa(i.Line) + ": " + i.Msg + "\n")
			}
			golden := strings.TrimSuffix(f, ".yaml") + ".err"
			testenv.Golden(t, golden, []byte(b.String()))
		})
	}
}

func FuzzParseConfig(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.yaml")
	more, _ := filepath.Glob("testdata/invalid/*.yaml")
	for _, s := range append(seeds, more...) {
		b, _ := os.ReadFile(s)
		f.Add(b)
	}
	f.Add([]byte("test_groups: [{name: a, destinations: [{address: x}], test_configurations: [{name: t, protocol: dns}]}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig("fuzz.yaml", data, DefaultLimits)
		if err != nil {
			if _, ok := err.(*ConfigError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		// Whatever parses must be runnable.
		for _, g := range c.TestGroups {
			for _, tc := range g.TestConfigurations {
				if tc.frequency < DefaultLimits.MinFrequency || tc.frequency > DefaultLimits.MaxFrequency || tc.Checks < 1 {
					t.Fatalf("accepted out-of-range test configuration %+v", tc)
				}
			}
		}
	})
}

// TestParseConfigRefusesHostile: nesting that cost the YAML library
// quadratic memory (32 KB took 7.6 s and 872 MB) is refused before it
// builds a tree, with the line (issue #18).
func TestParseConfigRefusesHostile(t *testing.T) {
	tests := []struct {
		name, in string
		want     string
	}{
		{"nested brackets", "test_groups: " + strings.Repeat("[", 16000) + strings.Repeat("]", 16000), ":1: malformed YAML: nested more than 100 levels deep"},
		{"nested braces", "results_dir: x\ntest_groups: " + strings.Repeat("{a: ", 5000) + "1" + strings.Repeat("}", 5000), ":2: malformed YAML: nested more than 100 levels deep"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig("hostile.yaml", []byte(tc.in), DefaultLimits)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}
