package filter

import (
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/pflag"
)

func TestSpecArgs(t *testing.T) {
	s := Spec{Src: []string{"10.0.0.0/24"}, Port: []string{"443", "80"}, Proto: []string{"tcp"}, Rule: []string{"Deny x"}, Since: "2h"}
	cases := []struct {
		except []string
		want   []string
	}{
		{nil, []string{"--src", "10.0.0.0/24", "--port", "443", "--port", "80", "--proto", "tcp", "--rule", "Deny x", "--since", "2h"}},
		{[]string{"port", "proto"}, []string{"--src", "10.0.0.0/24", "--rule", "Deny x", "--since", "2h"}},
		{[]string{"since", "src", "rule"}, []string{"--port", "443", "--port", "80", "--proto", "tcp"}},
	}
	for _, c := range cases {
		if d := cmp.Diff(c.want, s.Args(c.except...)); d != "" {
			t.Errorf("Args(%v) (-want +got):\n%s", c.except, d)
		}
	}
	// Every flag Args writes parses back to the same Spec.
	if _, err := Parse(s); err != nil {
		t.Fatal(err)
	}
}

// TestHelpForNamesOnlyRegisteredFlags: the filter help of a command names
// exactly the filter flags it registers.
func TestHelpForNamesOnlyRegisteredFlags(t *testing.T) {
	flagRE := regexp.MustCompile(`--[a-z][a-z-]*`)
	for _, names := range [][]string{nil, {"ip", "src", "dst", "port", "src-port", "proto"}, {"port"}, {"rule", "since"}, {"src-port", "reason", "until"}, {"verdict"}} {
		fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
		var s Spec
		AddFlags(fs, &s, names...)
		help := HelpFor(names...)
		for _, f := range flagRE.FindAllString(help, -1) {
			if fs.Lookup(f[2:]) == nil {
				t.Errorf("HelpFor(%v) mentions %s, which AddFlags(%v) does not register:\n%s", names, f, names, help)
			}
		}
	}
	if HelpFor() != Help {
		t.Error("Help is not HelpFor() of every flag")
	}
}
