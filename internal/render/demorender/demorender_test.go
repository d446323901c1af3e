package demorender

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/demo"
)

// TestListHasTourBeforeItsFirstDemo: every demo is listed with its
// formats, and the tour row comes right before the tour's first demo.
func TestListHasTourBeforeItsFirstDemo(t *testing.T) {
	var b bytes.Buffer
	if err := List(&b, demo.Builtin()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != len(demo.Builtin())+2 {
		t.Fatalf("%d lines for %d demos:\n%s", len(lines), len(demo.Builtin()), b.String())
	}
	first := demo.Tour()[0].Name
	for i, l := range lines {
		if strings.HasPrefix(l, demo.TourName+" ") && !strings.HasPrefix(lines[i+1], first+" ") {
			t.Errorf("the tour row is followed by %q, not %s", lines[i+1], first)
		}
	}
}

func TestHeadingAndKeptIn(t *testing.T) {
	d := demo.Demo{Name: "pcap", Summary: "a capture"}
	var b bytes.Buffer
	_ = TourHeading(&b, 0, d)
	_ = TourHeading(&b, 1, d)
	want := "━━ demo pcap: a capture\n   (run it alone: pathproof demo pcap)\n\n"
	if b.String() != want+"\n"+want {
		t.Errorf("headings %q", b.String())
	}
	for _, c := range []struct{ dir, want string }{
		{"out/pcap", "\nThe demo's data stays in out/pcap: the commands above run as printed from the directory you ran the demo in.\n"},
		{"/tmp/x\x1b", "\nThe demo's data stays in /tmp/x\\x1b.\n"},
	} {
		b.Reset()
		if err := KeptIn(&b, c.dir); err != nil || b.String() != c.want {
			t.Errorf("KeptIn(%q) = %q, want %q", c.dir, b.String(), c.want)
		}
	}
}
