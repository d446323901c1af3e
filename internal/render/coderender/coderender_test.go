package coderender

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/codes"
)

// TestListAndDetail: the table has one row per code under its header and
// ends with the hint; the detail has the advice and the docs section, and
// an untrusted-looking id is escaped.
func TestListAndDetail(t *testing.T) {
	list := []codes.Code{
		{ID: "a.one", Domain: "probe", Kind: "failure", Meaning: "first"},
		{ID: "b-two", Domain: "trace", Kind: "finding", Severity: "warning", Meaning: "second", Next: "look"},
	}
	var b bytes.Buffer
	if err := List(&b, list); err != nil {
		t.Fatal(err)
	}
	want := "CODE   DOMAIN  KIND     SEVERITY  MEANING\n" +
		"a.one  probe   failure            first\n" +
		"b-two  trace   finding  warning   second\n" +
		"\npathproof codes CODE shows what to check next for one code.\n"
	if b.String() != want {
		t.Errorf("list:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	c := list[1]
	c.ID = "b\x1b[2J"
	if err := Detail(&b, c); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, s := range []string{"(trace finding, warning)", "What to check next: look", "Docs: " + c.DocsPath()} {
		if !strings.Contains(got, s) {
			t.Errorf("detail lacks %q:\n%s", s, got)
		}
	}
	if strings.Contains(got, "\x1b") {
		t.Errorf("detail prints the id unescaped: %q", got)
	}
}
