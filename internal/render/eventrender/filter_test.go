package eventrender

import (
	"bytes"
	"testing"
)

func TestLoaded(t *testing.T) {
	for _, c := range []struct {
		added, dups       int64
		inputs, unchanged int
		want              string
	}{
		{5, 0, 2, 0, "loaded 5 new event(s) from 2 input(s)\n"},
		{0, 7, 1, 0, "loaded 0 new event(s) from 1 input(s), 7 already in the store\n"},
		{1, 2, 3, 4, "loaded 1 new event(s) from 3 input(s), 2 already in the store; 4 input(s) unchanged since loaded, not read again\n"},
	} {
		var b bytes.Buffer
		if err := Loaded(&b, c.added, c.dups, c.inputs, c.unchanged); err != nil || b.String() != c.want {
			t.Errorf("Loaded(%d, %d, %d, %d) = %q, want %q", c.added, c.dups, c.inputs, c.unchanged, b.String(), c.want)
		}
	}
}
