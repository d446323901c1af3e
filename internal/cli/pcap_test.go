package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/pcap"
	"github.com/pathproof/pathproof/internal/pcap/synth"
	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/render/pcaprender"
)

// pcapFile writes a synthetic capture for the CLI tests.
func pcapFile(t *testing.T, fn func(c *synth.Capture) error) string {
	t.Helper()
	var b bytes.Buffer
	c, err := synth.New(&b, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if err := fn(c); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "x.cap") // the name does not matter: the magic does
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPcapExitCodes(t *testing.T) {
	var demo bytes.Buffer
	if err := synth.Demo(&demo); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	full := filepath.Join(dir, "demo.pcap")
	cut := filepath.Join(dir, "cut.pcapng-but-really-pcap")
	junk := filepath.Join(dir, "junk.pcap")
	os.WriteFile(full, demo.Bytes(), 0o644)
	os.WriteFile(cut, demo.Bytes()[:demo.Len()-10], 0o644)
	os.WriteFile(junk, []byte("this is not a capture"), 0o644)
	cases := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"whole file", []string{"pcap", full}, ExitOK, ""},
		{"json", []string{"pcap", "-o", "json", full}, ExitOK, ""},
		{"truncated: partial", []string{"pcap", cut}, ExitPartial, "byte offset"},
		{"no file argument", []string{"pcap"}, ExitUsage, ""},
		{"unknown output", []string{"pcap", "-o", "yaml", full}, ExitUsage, "--output"},
		{"bad --ip", []string{"pcap", "--ip", "not-an-ip", full}, ExitUsage, "not-an-ip"},
		{"bad --proto", []string{"pcap", "--proto", "carrier-pigeon", full}, ExitUsage, "carrier-pigeon"},
		{"missing file", []string{"pcap", filepath.Join(dir, "nope.pcap")}, ExitUsage, "nope.pcap: no such file"},
		{"not a capture", []string{"pcap", junk}, ExitFailed, "not a capture"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := run(tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d stderr %q, want %d containing %q", code, stderr, tc.code, tc.stderr)
			}
		})
	}
}

// TestPcapJSONShape pins the keys of the JSON document the issue asks for.
func TestPcapJSONShape(t *testing.T) {
	var demo bytes.Buffer
	if err := synth.Demo(&demo); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "demo.pcap")
	os.WriteFile(p, demo.Bytes(), 0o644)
	code, out, _ := run("pcap", "--output", "json", p)
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"file", "packets", "connections", "skipped", "read_error"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("missing top-level key %q", k)
		}
	}
	var conns []map[string]json.RawMessage
	if err := json.Unmarshal(doc["connections"], &conns); err != nil || len(conns) != 7 {
		t.Fatalf("connections: %v (%d)", err, len(conns))
	}
	for _, c := range conns {
		for _, k := range []string{"protocol", "client", "server", "state", "history", "packets", "bytes", "rtt_ms", "tls", "dns", "http", "findings"} {
			if _, ok := c[k]; !ok {
				t.Errorf("connection lacks key %q", k)
			}
		}
		var fs []map[string]string
		json.Unmarshal(c["findings"], &fs)
		for _, f := range fs {
			if f["code"] == "" || f["severity"] == "" || f["message"] == "" {
				t.Errorf("finding %v", f)
			}
		}
	}
}

// TestPcapFilters applies --ip, --port and --proto as `events` does.
func TestPcapFilters(t *testing.T) {
	var demo bytes.Buffer
	if err := synth.Demo(&demo); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "demo.pcap")
	os.WriteFile(p, demo.Bytes(), 0o644)
	cases := []struct {
		args    []string
		servers []string
	}{
		{[]string{"--port", "443"}, []string{"10.2.0.7:443", "10.2.0.9:443"}},
		{[]string{"--port", "443", "--port", "8080"}, []string{"10.2.0.6:8080", "10.2.0.7:443", "10.2.0.9:443"}},
		{[]string{"--proto", "udp"}, []string{"168.63.129.16:53", "168.63.129.16:53"}},
		{[]string{"--ip", "10.2.0.4/31"}, []string{"10.2.0.5:1433"}},
		{[]string{"--ip", "10.2.0.0/24", "--port", "80"}, []string{"10.2.0.8:80"}},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, stderr := run(append([]string{"pcap", "-o", "json", p}, tc.args...)...)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var doc struct {
				Connections []struct{ Server string } `json:"connections"`
			}
			json.Unmarshal([]byte(out), &doc)
			var got []string
			for _, c := range doc.Connections {
				got = append(got, c.Server)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.servers) {
				t.Errorf("got %v, want %v", got, tc.servers)
			}
		})
	}
}

// TestPcapEscapes keeps terminal escapes in captured strings off the
// terminal.
func TestPcapEscapes(t *testing.T) {
	cli := netip.MustParseAddrPort("10.0.0.1:40000")
	srv := netip.MustParseAddrPort("10.0.0.2:80")
	p := pcapFile(t, func(c *synth.Capture) error {
		k := c.NewConn(cli, srv, time.Millisecond)
		if err := k.Handshake(); err != nil {
			return err
		}
		if err := k.ClientSend([]byte("GET /\x1b]0;pwned\x07 HTTP/1.1\r\nHost: evil\x1b[2J.example\r\n\r\n")); err != nil {
			return err
		}
		return k.ServerSend([]byte("HTTP/1.1 500 \x1b[31mboom\r\n\r\n"))
	})
	code, out, _ := run("pcap", p)
	if code != ExitOK || strings.ContainsRune(out, 0x1b) || strings.ContainsRune(out, 0x07) {
		t.Fatalf("exit %d, raw escape in output:\n%q", code, out)
	}
	if !strings.Contains(out, `evil\x1b[2J.example`) || !strings.Contains(out, "http.server-error") {
		t.Errorf("output:\n%s", out)
	}
}

// TestPcapDemoGolden pins the human report of the built-in demo.
func TestPcapDemoGolden(t *testing.T) {
	t.Chdir(t.TempDir())
	var o, e bytes.Buffer
	code := Main([]string{"demo", "pcap"}, strings.NewReader(""), &o, &e)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, e.String())
	}
	golden(t, "pcap_demo.txt", o.Bytes())
}

// TestPcapStreamedReport checks the report built as connections finish
// (a Sorter spilling runs for -o json and --all, bounded heaps for the
// default report) against the whole-capture Analyze on more connections
// than the Sorter keeps in memory.
func TestPcapStreamedReport(t *testing.T) {
	const n = pcap.DefaultRunSize + 1500
	p := pcapFile(t, func(c *synth.Capture) error {
		for i := range n {
			cl := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 9, byte(i >> 8), byte(i)}), uint16(2000+i%40000))
			sv := netip.MustParseAddrPort("10.0.0.2:443")
			if i%3 == 0 {
				sv = netip.MustParseAddrPort("10.0.0.2:444")
			}
			k := c.NewConn(cl, sv, time.Millisecond)
			var err error
			switch {
			case i%7 == 0:
				err = k.Refused()
			case i%11 == 0:
				err = k.Unanswered(1)
			default:
				if err = k.Handshake(); err == nil {
					err = k.Close()
				}
			}
			if err != nil {
				return err
			}
			c.Now = c.Now.Add(50 * time.Millisecond)
		}
		return nil
	})
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := pcap.Analyze(bytes.NewReader(data), pcap.Options{File: p})
	if err != nil {
		t.Fatal(err)
	}
	all := rep.Connections
	for _, port := range []string{"", "444", "1"} {
		args := []string{"pcap", "-o", "json", p}
		want := *rep
		want.Connections = all
		if port != "" {
			args = append(args, "--port", port)
			spec := filter.Spec{Port: []string{port}}
			f, err := filter.Parse(spec)
			if err != nil {
				t.Fatal(err)
			}
			want.Connections = []pcap.Connection{}
			for _, c := range all {
				if f.MatchEndpoints(c.Protocol, c.Client, c.Server) {
					want.Connections = append(want.Connections, c)
				}
			}
		}
		var wb bytes.Buffer
		if err := render.JSON(&wb, &want); err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := run(args...)
		if code != ExitOK || stdout != wb.String() {
			t.Errorf("port %q: exit %d, stderr %q, JSON differs from Analyze's (%d vs %d bytes)", port, code, stderr, len(stdout), wb.Len())
		}
	}
	// The default report's table is the first rows of --all's.
	fields := func(out string) []string {
		i := strings.LastIndex(out, "\nPROTO ")
		var rows []string
		for _, l := range strings.Split(out[i+1:], "\n") {
			if l != "" && !strings.HasPrefix(l, "...") {
				rows = append(rows, strings.Join(strings.Fields(l), " "))
			}
		}
		return rows
	}
	_, short, _ := run("pcap", p)
	_, long, _ := run("pcap", "--all", p)
	s, l := fields(short), fields(long)
	if len(s) != pcaprender.TableLimit+1 || len(l) != n+1 || !slices.Equal(s, l[:len(s)]) {
		t.Errorf("default table (%d rows) is not the head of --all's (%d rows)", len(s), len(l))
	}
	if !strings.Contains(short, fmt.Sprintf("%d connections, ", n)) || !strings.Contains(long, fmt.Sprintf("%d connections, ", n)) {
		t.Errorf("connection count missing")
	}
	// The detail blocks of the default report open --all's.
	head := func(out string) string { return out[:strings.Index(out, "\n...")] }
	if !strings.HasPrefix(long, head(short)) {
		t.Errorf("default report's details are not the head of --all's")
	}
}

// TestPcapJSONLines: -o jsonl prints one connection per line, the same
// connections -o json lists.
func TestPcapJSONLines(t *testing.T) {
	var demo bytes.Buffer
	if err := synth.Demo(&demo); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "demo.pcap")
	os.WriteFile(p, demo.Bytes(), 0o644)
	code, out, errs := run("pcap", "-o", "jsonl", p)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	_, doc, _ := run("pcap", "-o", "json", p)
	var whole struct {
		Connections []json.RawMessage `json:"connections"`
	}
	if err := json.Unmarshal([]byte(doc), &whole); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(whole.Connections) || len(lines) != 7 {
		t.Fatalf("%d lines, %d connections in -o json", len(lines), len(whole.Connections))
	}
	for i, l := range lines {
		var a, b any
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		json.Unmarshal(whole.Connections[i], &b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("line %d differs from -o json's connection %d", i, i)
		}
	}
}
