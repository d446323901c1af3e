package blob

import (
	"strings"
	"testing"
)

func TestProgressEndsItsLine(t *testing.T) {
	var b strings.Builder
	p := NewProgress(&b)
	p.listed(2)
	p.done(1000)
	p.done(2_000_000)
	p.Finish()
	out := b.String()
	if !strings.HasSuffix(out, "blobs: 2/2 read, 2.0 MB \n") || strings.Count(out, "\n") != 1 {
		t.Errorf("progress output %q", out)
	}
	var nilp *Progress
	nilp.listed(1)
	nilp.done(1)
	nilp.Finish()
}
