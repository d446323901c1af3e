package safeyaml

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

// monitorLike has the shape that made goccy/go-yaml v1.19.2 dereference
// nil: a custom tag on a slice-typed mapping value followed by another key.
type monitorLike struct {
	Group struct {
		Ranges []string `yaml:"valid_status_code_ranges"`
		Next   string   `yaml:"next"`
	} `yaml:"group"`
}

func laughs(levels, width int) string {
	var b strings.Builder
	b.WriteString("l0: &l0 x\n")
	for i := 1; i <= levels; i++ {
		b.WriteString("l" + itoa(i) + ": &l" + itoa(i) + " [")
		for j := 0; j < width; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*l" + itoa(i-1))
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func itoa(i int) string { return strconv.Itoa(i) }

func blockNest(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	b.WriteString(strings.Repeat(" ", n) + "v")
	return b.String()
}

func TestUnmarshalRefuses(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		want     string
	}{
		{"custom tag then key (library panic)", "group:\n  valid_status_code_ranges: !x\n  next: a\n", 2, `tag "!x" is not supported`},
		{"deep flow nesting", "topology: " + strings.Repeat("[", 101) + strings.Repeat("]", 101), 1, "nested more than 100 levels deep"},
		{"deep flow mappings", strings.Repeat("{a: ", 150) + "1" + strings.Repeat("}", 150), 1, "nested more than 100 levels deep"},
		{"deep block nesting", blockNest(120), 101, "nested more than 100 levels deep"},
		{"deep sequence entries on one line", strings.Repeat("- ", 150) + "x\n", 1, "nested more than 100 levels deep"},
		{"too large", "a: " + strings.Repeat("x", MaxSize), 0, "more than the 4194304 bytes"},
		{"alias expansion", laughs(9, 10), 0, "aliases expand the document past"},
		{"too many tokens", "a: [" + strings.Repeat("x,", MaxTokens/2-5) + "x]\nb: [" + strings.Repeat("y,", 10) + "]", 2, "more than 50000 tokens"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var v monitorLike
			err := Unmarshal("cfg.yaml", []byte(tc.in), &v)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "cfg.yaml") {
				t.Fatalf("error %q, want it to name the file and say %q", err, tc.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T, want *Error", err)
			}
			if tc.line > 0 && e.Line != tc.line {
				t.Errorf("line %d, want %d", e.Line, tc.line)
			}
		})
	}
}

func TestUnmarshalAccepts(t *testing.T) {
	tests := []struct{ name, in string }{
		{"plain", "group:\n  valid_status_code_ranges: [\"200-299\"]\n  next: a\n"},
		{"standard tag", "group:\n  valid_status_code_ranges: !!seq [\"200\"]\n  next: !!str a\n"},
		{"anchors", "a: &x [\"1\"]\ngroup:\n  valid_status_code_ranges: *x\n"},
		{"many tokens within budget", "a: [" + strings.Repeat("x,", MaxTokens/2-10) + "x]"},
		{"100 levels", "x: " + strings.Repeat("[", 99) + strings.Repeat("]", 99)},
		{"deep but within", blockNest(90)},
		{"aliases within budget", laughs(3, 10)},
		{"empty standard tag", "group:\n  valid_status_code_ranges: !!seq\n  next: a\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var v map[string]any
			if err := Unmarshal("ok.yaml", []byte(tc.in), &v); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestUnmarshalKeepsLibraryErrors(t *testing.T) {
	var v struct {
		N int `yaml:"n"`
	}
	err := Unmarshal("f.yaml", []byte("n: [1]\n"), &v)
	if err == nil {
		t.Fatal("accepted a sequence as an int")
	}
	var e *Error
	if errors.As(err, &e) {
		t.Fatalf("a type error became a refusal: %v", err)
	}
	if got := FormatError(err); !strings.Contains(got, "[1:4]") {
		t.Errorf("FormatError = %q, want the position", got)
	}
}

// FuzzUnmarshal: no input may panic, whatever the library does.
func FuzzUnmarshal(f *testing.F) {
	f.Add([]byte("group:\n  valid_status_code_ranges: !x\n  next: a\n"))
	f.Add([]byte("a: &x [1]\nb: *x\n"))
	f.Add([]byte("- - - [ {a: 1} ]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var a monitorLike
		_ = Unmarshal("f.yaml", data, &a)
		var b any
		_ = Unmarshal("f.yaml", data, &b)
	})
}
