package pcap

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/pcap/synth"
)

// sequential writes n short TCP connections one after the other, 100 ms
// apart, so only a few are live at any time: most close cleanly, every
// 7th is refused, every 11th unanswered and every 13th reset, so the
// report order mixes severities.
func sequential(t testing.TB, n int) *bytes.Buffer {
	t.Helper()
	var b bytes.Buffer
	c, err := synth.New(&b, t0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		cl := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 1, byte(i >> 16), byte(i >> 8)}), uint16(1024+i%50000))
		sv := netip.AddrPortFrom(server, uint16(443+i%3))
		k := c.NewConn(cl, sv, time.Millisecond)
		switch {
		case i%7 == 0:
			err = k.Refused()
		case i%11 == 0:
			err = k.Unanswered(1)
		case i%13 == 0:
			if err = k.Handshake(); err == nil {
				err = k.Reset()
			}
		default:
			if err = k.Handshake(); err == nil {
				err = k.Close()
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		c.Now = c.Now.Add(100 * time.Millisecond)
	}
	return &b
}

// TestStreamMemoryBounded analyses 50,000 sequential connections with
// Stream and the bounded report state (a Sorter that spills, a Top) and
// checks that what is held stays within the live connections and the
// fixed bounds, not the connections in the capture.
func TestStreamMemoryBounded(t *testing.T) {
	const n, runSize, top = 50_000, 512, 25
	capture := sequential(t, n)
	s := NewSorter(runSize, t.TempDir())
	defer s.Close()
	worst := NewTop(top)
	maxHeld := 0
	rep, err := Stream(capture, Options{}, func(c *Connection, seq int) {
		if err := s.Add(c, seq); err != nil {
			t.Error(err)
		}
		worst.Add(c, seq)
		maxHeld = max(maxHeld, len(s.mem)+worst.Len())
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stats.Connections != n || s.Len() != n {
		t.Fatalf("summarised %d, sorted %d connections, want %d", rep.Stats.Connections, s.Len(), n)
	}
	if rep.Connections != nil {
		t.Errorf("Stream kept %d connections", len(rep.Connections))
	}
	// Connections are 100 ms apart and linger closeLinger after closing;
	// an unanswered SYN stays live for the TCP idle timeout.
	maxLive := int(tcpIdle/(100*time.Millisecond)) + 1
	if rep.Stats.PeakLive > maxLive {
		t.Errorf("peak live connections %d, want at most %d", rep.Stats.PeakLive, maxLive)
	}
	if s.PeakInMemory() > runSize || maxHeld > runSize+top {
		t.Errorf("report state held %d connections (sorter peak %d), want at most %d", maxHeld, s.PeakInMemory(), runSize+top)
	}
	if s.Runs() < n/runSize {
		t.Errorf("%d runs spilled, want at least %d", s.Runs(), n/runSize)
	}
	// The merged output is in the report order: severity never rises and
	// within a severity first packets never go back.
	var prev *Connection
	k := 0
	err = s.Each(func(elem []byte) error {
		var c Connection
		if err := json.Unmarshal(elem, &c); err != nil {
			return err
		}
		sev := SeverityRank(worstSeverity(&c))
		if prev != nil {
			psev := SeverityRank(worstSeverity(prev))
			if sev > psev || (sev == psev && c.First.Before(prev.First)) {
				t.Fatalf("connection %d (%s %s) out of order after %s %s", k, c.Client, c.First, prev.Client, prev.First)
			}
		}
		prev = &c
		k++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if k != n {
		t.Errorf("merged %d connections, want %d", k, n)
	}
}

func worstSeverity(c *Connection) string {
	if len(c.Findings) == 0 {
		return ""
	}
	return c.Findings[0].Severity
}

// TestSorterMatchesAnalyze checks that the Sorter (with many small runs)
// and Top give exactly Analyze's order and JSON.
func TestSorterMatchesAnalyze(t *testing.T) {
	const n = 3000
	capture := sequential(t, n)
	data := capture.Bytes()
	rep, err := Analyze(bytes.NewReader(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := NewSorter(97, t.TempDir())
	defer s.Close()
	worst := NewTop(25)
	if _, err := Stream(bytes.NewReader(data), Options{}, func(c *Connection, seq int) {
		if err := s.Add(c, seq); err != nil {
			t.Error(err)
		}
		worst.Add(c, seq)
	}); err != nil {
		t.Fatal(err)
	}
	for pass := range 2 { // Each may be called again
		i := 0
		err := s.Each(func(elem []byte) error {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetIndent(elemIndent, "  ")
			if err := enc.Encode(&rep.Connections[i]); err != nil {
				return err
			}
			if !bytes.Equal(elem, bytes.TrimSuffix(want.Bytes(), []byte("\n"))) {
				t.Fatalf("pass %d: connection %d differs:\n%s\nwant\n%s", pass, i, elem, want.Bytes())
			}
			i++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if i != n {
			t.Fatalf("pass %d: %d connections, want %d", pass, i, n)
		}
	}
	got := worst.Sorted()
	if len(got) != 25 {
		t.Fatalf("Top kept %d, want 25", len(got))
	}
	for i := range got {
		if got[i].Client != rep.Connections[i].Client || !got[i].First.Equal(rep.Connections[i].First) {
			t.Errorf("Top #%d is %s at %s, want %s at %s", i, got[i].Client, got[i].First, rep.Connections[i].Client, rep.Connections[i].First)
		}
	}
}

// FuzzAppendIndented: for any valid JSON, compacted as json.Encoder writes
// it, appendIndented gives json.Indent's bytes (the -o json output must
// not change).
func FuzzAppendIndented(f *testing.F) {
	for _, s := range []string{
		`{"a":[],"b":{},"c":[{"d":"x]},{\"[","e":null}],"f":-1.5e+3,"g":"\u003cq\u003e\\"}`,
		`[1,[2,[3,[]]],{"":""}]`,
		`"just a string with , : { ["`,
		`{"tls":null,"dns":[{"q":"a.b.","answers":["10.0.0.1"]}],"findings":[]}`,
		`12`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !json.Valid([]byte(s)) {
			return
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, []byte(s)); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), elemIndent, "  "); err != nil {
			t.Fatal(err)
		}
		if got := appendIndented(nil, compact.Bytes(), elemIndent, "  "); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("%q:\ngot  %q\nwant %q", s, got, want.Bytes())
		}
	})
}

// TestUnansweredSYNFinishedAfterSynIdle: a connection that is only its
// client's SYNs leaves memory after synIdle without packets, not after the
// five minutes of an open connection, so a scan or a dead backend does not
// pile up state; a retry within synIdle still joins it.
func TestUnansweredSYNFinishedAfterSynIdle(t *testing.T) {
	for _, tc := range []struct {
		gap   time.Duration
		conns int
	}{
		{synIdle - 10*time.Second, 1},
		{synIdle + 10*time.Second, 2},
	} {
		var b bytes.Buffer
		c, err := synth.New(&b, t0)
		if err != nil {
			t.Fatal(err)
		}
		cl := netip.AddrPortFrom(netip.MustParseAddr("10.0.0.1"), 40000)
		sv := netip.AddrPortFrom(server, 443)
		if err := c.TCP(0, cl, sv, synth.SYN, 1000, 0, nil, 1460); err != nil {
			t.Fatal(err)
		}
		if err := c.TCP(tc.gap, cl, sv, synth.SYN, 1000, 0, nil, 1460); err != nil {
			t.Fatal(err)
		}
		rep, err := Analyze(bytes.NewReader(b.Bytes()), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Connections) != tc.conns {
			t.Errorf("retry after %s: %d connections, want %d", tc.gap, len(rep.Connections), tc.conns)
		}
		for _, conn := range rep.Connections {
			if conn.State != "S0" {
				t.Errorf("retry after %s: state %s, want S0", tc.gap, conn.State)
			}
		}
	}
}

// TestSorterWriteErrorReported: a run that cannot be written (its
// directory is missing) is reported by Err, Each and Summary.Err, after
// the writer goroutine met it.
func TestSorterWriteErrorReported(t *testing.T) {
	rep, err := Analyze(bytes.NewReader(sequential(t, 50).Bytes()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "missing")
	s := NewSorter(8, missing)
	for i := range rep.Connections {
		if err := s.Add(&rep.Connections[i], i); err != nil {
			t.Fatal(err) // the writer reports later
		}
	}
	if err := s.Err(); err == nil || !strings.Contains(err.Error(), "spilling sorted connections") {
		t.Fatalf("Err() = %v, want the spill error", err)
	}
	if err := s.Each(func([]byte) error { return nil }); err == nil {
		t.Fatal("Each merged runs that were never written")
	}
	if err := s.Close(); err == nil {
		t.Error("Close did not report the spill error")
	}
	sum := NewSummary(SummaryOptions{All: true})
	sum.sorter = NewSorter(8, missing)
	for i := range rep.Connections {
		sum.Add(&rep.Connections[i], i)
	}
	if sum.Err() == nil {
		t.Error("Summary.Err did not report the spill error")
	}
}
