package render

import (
	"bytes"
	"testing"
)

func TestEscape(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain", "plain"},
		{"Zürich ok", "Zürich ok"},
		{"evil\x1b[31mred", `evil\x1b[31mred`},
		{"tab\there", `tab\there`},
		{"bad\xffbyte", `bad\xffbyte`},
		{"real \uFFFD stays", "real \uFFFD stays"},
		{"rtl\u202eoverride", `rtl\u202eoverride`},
	}
	for _, c := range cases {
		if got := Escape(c.in); got != c.want {
			t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTableAlignsAndEscapes(t *testing.T) {
	tb := Table{Header: []string{"NAME", "VALUE"}}
	tb.Add("a", "1")
	tb.Add("longer\x07", "22")
	var b bytes.Buffer
	if err := tb.Write(&b); err != nil {
		t.Fatal(err)
	}
	want := "NAME      VALUE\na         1\nlonger\\a  22\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}

// TestColumnsWriteWhatTableWrites: measuring then writing row by row gives
// the table Write gives, short rows and escapes included.
func TestColumnsWriteWhatTableWrites(t *testing.T) {
	tb := Table{Header: []string{"A", "LONGER HEADER", "C"}}
	tb.Add("x\x1b", "1", "trailing")
	tb.Add("wide cell here", "")
	tb.Add("", "22", "")
	var want bytes.Buffer
	if err := tb.Write(&want); err != nil {
		t.Fatal(err)
	}
	var cols Columns
	cols.Measure(tb.Header...)
	for _, r := range tb.Rows {
		cols.Measure(r...)
	}
	var got bytes.Buffer
	cols.WriteRow(&got, tb.Header...)
	for _, r := range tb.Rows {
		cols.WriteRow(&got, r...)
	}
	if got.String() != want.String() {
		t.Errorf("Columns wrote\n%q\nTable wrote\n%q", got.String(), want.String())
	}
	if want.String() != "A               LONGER HEADER  C\nx\\x1b           1              trailing\nwide cell here\n                22\n" {
		t.Errorf("table:\n%q", want.String())
	}
}
