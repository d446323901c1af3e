package pcap

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/pcap/synth"
	"github.com/pathproof/pathproof/internal/pcap/tlsparse"
	"github.com/pathproof/pathproof/internal/testenv"
)

// checkConnJSON fails when appendConnectionJSONIndented and
// json.MarshalIndent with the indentation of an element of
// Report.Connections disagree on c.
func checkConnJSON(t *testing.T, name string, c *Connection) {
	t.Helper()
	want, werr := json.MarshalIndent(c, elemIndent, "  ")
	got, gerr := appendConnectionJSONIndented([]byte("x"), c, elemBase)
	if (werr != nil) != (gerr != nil) {
		t.Fatalf("%s: encoding/json error %v, appendConnectionJSONIndented error %v", name, werr, gerr)
	}
	if werr == nil && !bytes.Equal(got[1:], want) {
		t.Errorf("%s, indented:\ngot  %s\nwant %s", name, got[1:], want)
	}
}

// TestConnectionJSONMatchesEncodingJSON: the hand-written encoder writes
// every field as encoding/json does: nil and empty slices, omitted zero
// counters, escaped strings, floats in both notations, times.
func TestConnectionJSONMatchesEncodingJSON(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	full := Connection{
		Protocol: "tcp", Client: "10.0.0.1:40000", Server: "[2001:db8::1]:443", State: "SF", History: "ShADadFf",
		Packets: 12, Bytes: 3456, RTTMs: f(1.25),
		TLS:      &tlsparse.Info{SNI: "a.example", ALPN: []string{"h2"}, Notes: []string{"<note> & more"}},
		DNS:      []DNSExchange{{ID: 7, Query: "x.example.", Type: "A", Rcode: "NOERROR", Answers: []string{"10.0.0.9"}}, {ID: 65535, Query: "y.", Type: "AAAA"}},
		HTTP:     []HTTPExchange{{Method: "GET", Host: "h", Path: "/a?b=<c>&d", Status: 200, Reason: "OK"}, {}, {Status: 503}},
		Findings: []Finding{{Code: "tcp.rejected", Severity: SevError, Message: "quote \" backslash \\ tab \t nul \x00 é ✓ \u2028 bad \xff"}},
		First:    time.Date(2026, 3, 2, 9, 0, 0, 123456000, time.UTC), Last: time.Date(2026, 3, 2, 9, 0, 1, 0, time.FixedZone("x", 3600)),
		Attempt: 2,
		FromClient: Direction{Packets: 6, Bytes: 600, PayloadBytes: 200, Retransmissions: 1, LostSegments: 2, OutOfOrder: 3,
			ZeroWindows: 4, Duplicates: 5, MSS: 1460, MaxSegment: 1448, SYNs: 3},
		Fragments: 4,
	}
	checkConnJSON(t, "every field", &full)
	empty := Connection{DNS: []DNSExchange{}, HTTP: []HTTPExchange{}, Findings: []Finding{}}
	checkConnJSON(t, "empty slices", &empty)
	checkConnJSON(t, "zero", &Connection{})
	for _, v := range []float64{0, 1e-7, 0.000001, 123456.789, 1e20, 1e21, 3.0e-300, -2.5} {
		c := full
		c.RTTMs = f(v)
		checkConnJSON(t, "rtt "+strconv.FormatFloat(v, 'g', -1, 64), &c)
	}
	c := full
	c.First = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	checkConnJSON(t, "year 10000", &c)
}

// TestConnectionJSONOnCaptures: on every connection of the demo capture,
// a capture of short connections and each shared capture, the
// hand-written encoder and encoding/json agree.
func TestConnectionJSONOnCaptures(t *testing.T) {
	var demo bytes.Buffer
	if err := synth.Demo(&demo); err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, name string, data []byte) int {
		rep, err := Analyze(bytes.NewReader(data), Options{})
		if err != nil && rep == nil {
			return 0 // damaged on purpose: what was read is checked elsewhere
		}
		for i := range rep.Connections {
			checkConnJSON(t, name, &rep.Connections[i])
		}
		return len(rep.Connections)
	}
	if n := check(t, "demo", demo.Bytes()) + check(t, "sequential", sequential(t, 500).Bytes()); n < 500 {
		t.Fatalf("only %d connections checked", n)
	}
	t.Run("shared", func(t *testing.T) {
		files, _ := filepath.Glob(filepath.Join(testenv.Shared(t, "pcap"), "*.pcap*"))
		n := 0
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			n += check(t, filepath.Base(f), data)
		}
		if len(files) < 10 || n < 50 {
			t.Fatalf("%d shared captures, %d connections: too few to check", len(files), n)
		}
	})
}

// TestRFC3339NanoUTC: the hand-written formatter writes what
// time.AppendFormat writes with time.RFC3339Nano, for whole seconds,
// fractions with and without trailing zeros, and years 0 to 9999.
func TestRFC3339NanoUTC(t *testing.T) {
	times := []time.Time{
		time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 2, 9, 0, 0, 50000, time.UTC),
		time.Date(2026, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(0, 1, 1, 0, 0, 0, 100000000, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 120000000, time.UTC),
		time.Unix(0, 0).UTC(),
		time.Unix(1772442000, 473000).UTC(),
	}
	r := uint64(0x9e3779b97f4a7c15)
	for range 2000 {
		r ^= r << 13
		r ^= r >> 7
		r ^= r << 17
		sec := int64(r%(253402300800+62135596800)) - 62135596800 // years 1..9999
		ns := int64(r>>40) % 1e9
		if r&3 == 0 {
			ns = ns / 1e6 * 1e6
		}
		times = append(times, time.Unix(sec, ns).UTC())
	}
	for _, tm := range times {
		want := tm.AppendFormat(nil, time.RFC3339Nano)
		if got := appendRFC3339NanoUTC(nil, tm); !bytes.Equal(got, want) {
			t.Errorf("%v: got %s, want %s", tm, got, want)
		}
	}
}
