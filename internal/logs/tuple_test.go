package logs

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/testenv"
)

func TestParseTuple(t *testing.T) {
	cases := []struct {
		in      string
		ok      bool
		version int
		proto   string
		state   byte
		dec     byte
		verdict event.Verdict
		ctr     bool
	}{
		{"1663146003606,10.0.0.6,52.239.184.180,23956,443,6,O,E,NX,3,767,2,1580", true, 4, "tcp", 'E', 0, event.VerdictAllow, true},
		{"1688875131557,45.119.212.87,192.168.0.4,53018,3389,6,I,D,NX,0,0,0,0", true, 4, "tcp", 'D', 0, event.VerdictDeny, true},
		{"1688875131557,fe80::1,2001:db8::2,1,2,58,I,B,X,0,0,0,0", true, 4, "icmpv6", 'B', 0, event.VerdictAllow, true},
		{"1688875131557,10.0.0.1,10.0.0.2,1,2,17,O,C,NX_SW_NOT_READY,1,1,1,1", true, 4, "udp", 'C', 0, event.VerdictDrop, true},
		{"1688875131557,10.0.0.1,10.0.0.2,1,2,6,O,C,NX_HW_NOT_SUPPORTED,1,1,1,1", true, 4, "tcp", 'C', 0, event.VerdictAllow, true},
		{"1688875131,10.0.0.1,10.0.0.2,0,0,1,O,B,NX,,,,", true, 4, "icmp", 'B', 0, event.VerdictAllow, false},
		{"1542110402,94.102.49.190,10.5.16.4,28746,443,U,I,D,B,,,,", true, 2, "udp", 'B', 'D', event.VerdictDeny, false},
		{"1542110379,10.5.16.4,13.67.143.117,59932,443,T,O,A,E,1,66,1,66", true, 2, "tcp", 'E', 'A', event.VerdictAllow, true},
		{"1497646722,10.0.0.4,168.62.32.14,44904,443,T,O,A", true, 1, "tcp", 0, 'A', event.VerdictAllow, false},
		{"1,2", false, 0, "", 0, 0, "", false},
		{"", false, 0, "", 0, 0, "", false},
		{"1663146003606,10.0.0.6,52.239.184.180,23956,443,6,O,E,NX,3,767,2,1580,9", false, 0, "", 0, 0, "", false},
		{"x,10.0.0.6,52.239.184.180,23956,443,6,O,E,NX,3,767,2,1580", false, 0, "", 0, 0, "", false},
		{"1663146003606,10.0.0.256,52.239.184.180,23956,443,6,O,E,NX,3,767,2,1580", false, 0, "", 0, 0, "", false},
		{"1663146003606,010.0.0.6,52.239.184.180,23956,443,6,O,E,NX,3,767,2,1580", false, 0, "", 0, 0, "", false},
		{"1663146003606,10.0.0.6,52.239.184.180,65536,443,6,O,E,NX,3,767,2,1580", false, 0, "", 0, 0, "", false},
		{"1663146003606,10.0.0.6,52.239.184.180,1,443,256,O,E,NX,3,767,2,1580", false, 0, "", 0, 0, "", false},
		{"1663146003606,10.0.0.6,52.239.184.180,1,443,6,X,E,NX,3,767,2,1580", false, 0, "", 0, 0, "", false},
		{"1663146003606,10.0.0.6,52.239.184.180,1,443,6,O,Q,NX,3,767,2,1580", false, 0, "", 0, 0, "", false},
		{"1663146003606,10.0.0.6,52.239.184.180,1,443,6,O,E,NX,3,,2,1580", false, 0, "", 0, 0, "", false},
		{"1663146003606,10.0.0.6,52.239.184.180,1,443,6,O,E,NX,-3,1,2,1580", false, 0, "", 0, 0, "", false},
		{"1497646722,10.0.0.4,168.62.32.14,44904,443,T,O,X", false, 0, "", 0, 0, "", false},
	}
	for _, c := range cases {
		var tu Tuple
		err := ParseTuple([]byte(c.in), &tu)
		if (err == nil) != c.ok {
			t.Errorf("%q: err %v, want ok=%v", c.in, err, c.ok)
			continue
		}
		if !c.ok {
			continue
		}
		if tu.Version != c.version || tu.Protocol != c.proto || tu.State != c.state || tu.Decision != c.dec || tupleVerdict(&tu) != c.verdict || tu.HasCounters != c.ctr {
			t.Errorf("%q: got %+v verdict %s", c.in, tu, tupleVerdict(&tu))
		}
	}
	var tu Tuple
	ParseTuple([]byte("1542110379,1.2.3.4,5.6.7.8,1,2,T,O,A,E,1,66,1,66"), &tu)
	if !tu.Time.Equal(time.Unix(1542110379, 0)) {
		t.Errorf("seconds timestamp: %v", tu.Time)
	}
	ParseTuple([]byte("1663146003606,1.2.3.4,5.6.7.8,1,2,6,O,E,NX,1,2,3,4"), &tu)
	if !tu.Time.Equal(time.UnixMilli(1663146003606)) {
		t.Errorf("milliseconds timestamp: %v", tu.Time)
	}
}

func TestParseTupleNoAlloc(t *testing.T) {
	b := []byte("1663146003606,10.0.0.6,52.239.184.180,23956,443,6,O,E,NX,3,767,2,1580")
	var tu Tuple
	if n := testing.AllocsPerRun(100, func() { ParseTuple(b, &tu) }); n != 0 {
		t.Errorf("ParseTuple allocates %v times per IPv4 tuple", n)
	}
}

func TestParseTimeCornerCases(t *testing.T) {
	// §10.1: every spelling in Elastic's corner-case file parses, and they
	// all name 2007-01-09 09:41:00 UTC give or take the fraction.
	f, err := os.Open(testenv.Shared(t, "azure-logs/firewall/elastic/test-time-formats-corner-cases.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := time.Date(2007, 1, 9, 9, 41, 0, 0, time.UTC)
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		var rec struct{ Time string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		got, err := ParseTime(rec.Time)
		if err != nil {
			t.Errorf("%q: %v", rec.Time, err)
			continue
		}
		if got.Truncate(time.Second) != want {
			t.Errorf("%q = %v, want %v", rec.Time, got, want)
		}
		n++
	}
	if n != 11 {
		t.Errorf("%d times, want 11", n)
	}
	for in, want := range map[string]string{
		"2025-11-26T14:17:22.259698+00:00": "2025-11-26T14:17:22.259698Z",
		"2022-06-08T20:40:23.21Z":          "2022-06-08T20:40:23.21Z",
		"9/6/2023, 2:22:44.954 PM":         "2023-09-06T14:22:44.954Z",
		"2023-09-06 14:22:44":              "2023-09-06T14:22:44Z",
	} {
		got, err := ParseTime(in)
		if err != nil || got.Format(time.RFC3339Nano) != want {
			t.Errorf("ParseTime(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "yesterday", "13/45/2020 10:00:00", "2023-02-30T00:00:00Z"} {
		if got, err := ParseTime(bad); err == nil {
			t.Errorf("ParseTime(%q) = %v, want an error", bad, got)
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{"0022487bC205": "0022487BC205", "00-0D-3A-F8-78-56": "000D3AF87856", "00:0d:3a:f8:78:56": "000D3AF87856", "000D3AF87856": "000D3AF87856"} {
		if got := NormalizeMAC(in); got != want {
			t.Errorf("NormalizeMAC(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"Internet_4b9ac3d8-dc7b-4b9e-8702-9e9c25b52451": "Internet",
		"DefaultRule_DenyAllInBound":                    "DefaultRule_DenyAllInBound",
		"PlatformRule":                                  "PlatformRule",
		"x_4b9ac3d8-dc7b-4b9e-8702-9e9c25b5245z":        "x_4b9ac3d8-dc7b-4b9e-8702-9e9c25b5245z",
		"_4b9ac3d8-dc7b-4b9e-8702-9e9c25b52451":         "_4b9ac3d8-dc7b-4b9e-8702-9e9c25b52451",
	} {
		if got := NormalizeRule(in); got != want {
			t.Errorf("NormalizeRule(%q) = %q, want %q", in, got, want)
		}
	}
}
