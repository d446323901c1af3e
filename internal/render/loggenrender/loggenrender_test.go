package loggenrender

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pathproof/pathproof/internal/loggen"
)

// TestHumanAndJSON: the table rounds bytes to tenths of a megabyte and
// lists the files first only when asked; JSON has the paths only when
// asked.
func TestHumanAndJSON(t *testing.T) {
	res := loggen.Result{Files: []string{"a/PT1H.json", "b/PT1H.json"}, Bytes: 1_250_000, Tuples: 300, Events: 345}
	var b bytes.Buffer
	if err := Human(&b, "out", res, false); err != nil {
		t.Fatal(err)
	}
	want := "OUT  FILES  MB   TUPLES  EVENTS\nout  2      1.2  300     345\n"
	if b.String() != want {
		t.Errorf("table:\n%q\nwant\n%q", b.String(), want)
	}
	b.Reset()
	if err := Human(&b, "out", res, true); err != nil {
		t.Fatal(err)
	}
	if want := "a/PT1H.json\nb/PT1H.json\n" + want; b.String() != want {
		t.Errorf("table with --list:\n%q\nwant\n%q", b.String(), want)
	}
	for _, list := range []bool{false, true} {
		b.Reset()
		if err := JSON(&b, "out", res, list); err != nil {
			t.Fatal(err)
		}
		var got ResultJSON
		if err := json.Unmarshal(b.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		want := ResultJSON{Out: "out", Files: 2, Bytes: 1_250_000, Tuples: 300, Events: 345}
		if list {
			want.Paths = res.Files
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("list %v: (-want +got)\n%s", list, d)
		}
	}
}
