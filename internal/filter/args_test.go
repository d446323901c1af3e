package filter

import (
	"testing"

	"github.com/google/go-cmp/cmp"
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
