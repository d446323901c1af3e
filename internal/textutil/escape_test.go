package textutil

import "testing"

func TestEscapeLines(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"one line", "one line"},
		{"invalid topology (2 problem(s)):\n  a.yaml:5: x\n  a.yaml:9: y", "invalid topology (2 problem(s)):\n  a.yaml:5: x\n  a.yaml:9: y"},
		{"crlf\r\nline", "crlf\nline"},
		{"esc \x1b[31m\nbell\a", `esc \x1b[31m` + "\n" + `bell\a`},
		{"tab\there\r", `tab\there`},
		{"mid\rline", `mid\rline`},
	} {
		if got := EscapeLines(tc.in); got != tc.want {
			t.Errorf("EscapeLines(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPlural(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0 connections"}, {1, "1 connection"}, {2, "2 connections"}} {
		if got := Plural(tc.n, "connection", "connections"); got != tc.want {
			t.Errorf("Plural(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestSize(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{{0, "0 bytes"}, {1, "1 byte"}, {999, "999 bytes"}, {1000, "1.0 kB"}, {45210, "45.2 kB"}, {3_260_000, "3.3 MB"}, {1_234_567_890, "1234.6 MB"}} {
		if got := Size(tc.n); got != tc.want {
			t.Errorf("Size(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
