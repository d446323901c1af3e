package logs

import (
	"context"
	"io"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pathproof/pathproof/internal/event"
)

func FuzzParseTuple(f *testing.F) {
	for _, s := range []string{
		"1663146003606,10.0.0.6,52.239.184.180,23956,443,6,O,E,NX,3,767,2,1580",
		"1542110402,94.102.49.190,10.5.16.4,28746,443,U,I,D,B,,,,",
		"1497646722,10.0.0.4,168.62.32.14,44904,443,T,O,A",
		"1688875131557,fe80::1,2001:db8::2,1,2,58,I,B,X,0,0,0,0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var tu, slow Tuple
		fast := parseTupleFast([]byte(s), &tu)
		serr := parseTupleSlow([]byte(s), &slow)
		if fast && (serr != nil || !cmp.Equal(tu, slow, cmpAddrs)) {
			t.Fatalf("%q: fast and slow path differ (%v; -fast +slow):\n%s", s, serr, cmp.Diff(tu, slow, cmpAddrs))
		}
		if ParseTuple([]byte(s), &tu) == nil {
			if !tu.Src.IsValid() || !tu.Dst.IsValid() || tu.Protocol == "" || tu.Direction == "" {
				t.Fatalf("accepted %q with missing fields: %+v", s, tu)
			}
		}
	})
}

func FuzzFirewallMsg(f *testing.F) {
	for _, s := range []string{
		"TCP request from 192.168.0.2:50306 to 89.160.20.156:3389 was DNAT'ed to 10.0.0.2:3389. Policy: p. Rule Collection Group: g. Rule Collection: c. Rule: r",
		"ICMP request from 192.168.0.2: to 175.16.199.1:. Action: alert. Signature: 2100366. IDS: ICMP_INFO PING *NIX. Priority: 3. Classification: Misc activity",
		"HTTP  request from 10.0.0.1:50776 to ocsp.msocsp.com:80. Url: ocsp.msocsp.com/MFQ=. Action: Allow. Rule: a, b",
		"HTTPS request from 10.0.0.1:6065. Action: Deny. Reason: SNI TLS extension was missing.",
		"HTTPS request from 10.0.2.4:56029 to x.net:443. Action: Deny. No rule matched. Proceeding with default action",
		"TCP request from [fd00::1]:5 to fd00::2. Action: Allow",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseFirewallMsg(s)
		if err == nil && (m.Protocol == "" || m.SrcHost == "" || (m.Action == "" && m.NATHost == "")) {
			t.Fatalf("accepted %q without protocol, source or outcome: %+v", s, m)
		}
		var e event.Event
		if err == nil {
			_ = m.fill(&e)
		}
	})
}

func FuzzDNSProxyMsg(f *testing.F) {
	f.Add("DNS Request: 10.0.2.4:61248 - 6513 A IN wpad.example.com. udp 43 false 512 NXDOMAIN qr,rd,ra 145 0.002846368s")
	f.Add(" Error: 2 time.windows.com.reddog.microsoft.com. A: read udp 10.0.1.5:49126->168.63.129.160:53: i/o timeout")
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = ParseDNSProxyMsg(s)
	})
}

// FuzzRead drives the whole reader (framing, JSON, CSV, every parser) with
// arbitrary input: it must not panic, must not return an error (input
// problems are skips), and every event must cite a record.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		fwLine + "\n" + fwLine,
		`{"records":[` + vnetRec + `,` + vnetRec[:120],
		`[` + fwLine + `]`,
		"TimeGenerated [UTC],Category,msg_s\n\"9/6/2023, 2:22:44.954 PM\",AzureFirewallNetworkRule,\"TCP request from 1.2.3.4:1 to 5.6.7.8:2. Action: Deny\"\n",
		`{"category":"NetworkSecurityGroupFlowEvent","time":"2018-11-13T12:00:35Z","properties":{"Version":2,"flows":[{"rule":"r","flows":[{"mac":"000D3AF87856","flowTuples":["1542110379,1.128.0.0,1.128.0.1,59932,443,T,O,A,E,1,66,1,66"]}]}]}}`,
		`{"category":"AzureFirewallDnsProxy","time":"2022-06-08T20:40:04Z","properties":{"msg":"DNS Request: 10.0.2.4:61248 - 6513 A IN wpad.example.com. udp 43 false 512 NXDOMAIN qr,rd,ra 145 0.002846368s"}}`,
		"{\n\"records\": [\n{\"a\":\n{\"category\":1}",
		`{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated"},{"name":"Type"},{"name":"SourceIp"}],"rows":[["2023-09-06T14:22:45Z","AZFWNetworkRule","10.0.0.4"],[1,{"a":[]},null]]}]}`,
		dnsRaw + "\n" + fdAccessRaw + "\n" + erRaw,
		`[` + ngfwRow + `,` + dnsRow + `]`,
		ngfwCSVHeader + "\n" + ngfwCSVRow + "\n",
		panTraffic("deny", "deny", "policy-deny", "2026-01-15T10:40:00.250+01:00") + "\n" + panTraffic("allow", "end", "tcp-fin", ""),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var rep Report
		err := Read(context.Background(), StdinInput(strings.NewReader(s)), &rep, func(e *event.Event) error {
			if e.Origin.Record < 0 || e.Origin.Key != "-" {
				t.Fatalf("bad origin %+v", e.Origin)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Read returned %v", err)
		}
	})
}

// FuzzCSV drives the Log Analytics CSV path with a fixed header.
func FuzzCSV(f *testing.F) {
	f.Add("\"9/6/2023, 2:22:44.954 PM\",AzureFirewallNetworkRule,\"TCP request from 1.2.3.4:1 to 5.6.7.8:2. Action: Deny\"\n")
	f.Add("2023-09-06T14:22:44Z,AZFWNetworkRule,x\n\"unterminated")
	f.Fuzz(func(t *testing.T, rows string) {
		var rep Report
		data := "TimeGenerated [UTC],Category,msg_s,SourceIp,DestinationIp,Action,Type\n" + rows
		if err := Read(context.Background(), StdinInput(strings.NewReader(data)), &rep, func(*event.Event) error { return nil }); err != nil {
			t.Fatalf("Read returned %v", err)
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2022-06-08T20:40:23.2140990Z", "2025-11-26T14:17:22.259698+00:00", "1/9/2007 10:41:00 AM +01:00", "9/6/2023, 2:22:44.954 PM", "2007-01-09T09:41:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if tm, err := ParseTime(s); err == nil && tm.Location() != time.UTC {
			t.Fatalf("ParseTime(%q) = %v, not UTC", s, tm)
		}
	})
}

// FuzzRawRecords: reading records again agrees with the read that made the
// events: every record an event cites is returned, and a flow event's
// tuple is picked out of it and parses to the event's addresses.
func FuzzRawRecords(f *testing.F) {
	for _, s := range []string{
		`{"records":[` + vnetRec + `,` + vnetRec + `]}`,
		fwLine + "\n" + fwLine,
		`{"category":"NetworkSecurityGroupFlowEvent","time":"2018-11-13T12:00:35Z","properties":{"Version":2,"flows":[{"rule":"r","flows":[{"mac":"000D3AF87856","flowTuples":["1542110379,1.128.0.0,1.128.0.1,59932,443,T,O,A,E,1,66,1,66","bad"]},{"mac":"000D3AF87857","flowTuples":["1542110380,1.128.0.2,1.128.0.3,59933,443,T,O,A,E,1,66,1,66"]}]}]}}`,
		"1.0;2026-11-25T10:00:00.0000000Z;GetBlob;SASIpAuthorizationError;403;2;2;sas;;stclassic;blob;\"https://stclassic.blob.core.windows.net/thumb/b.jpg\";\"/stclassic/thumb/b.jpg\";b1;0;198.51.100.7:61000;2014-02-14;252;0;265;100;0;;;;;;\"curl/8\";;\n\n1.0;x\n",
		"TimeGenerated [UTC],Category,msg_s\n\"9/6/2023, 2:22:44.954 PM\",AzureFirewallNetworkRule,\"TCP request from 1.2.3.4:1 to 5.6.7.8:2. Action: Deny\"\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in := Input{Name: "fuzz", Key: "fuzz", Open: func(context.Context) (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader(s)), nil
		}}
		type cited struct {
			record, tuple int
			flow          bool
			src, dst      netip.Addr
		}
		var evs []cited
		want := map[int][]int{}
		err := Read(context.Background(), in, &Report{}, func(e *event.Event) error {
			flow := e.Source == event.SourceVNetFlow || e.Source == event.SourceNSGFlow
			want[e.Origin.Record] = append(want[e.Origin.Record], e.Origin.Tuple)
			evs = append(evs, cited{e.Origin.Record, e.Origin.Tuple, flow, e.SrcIP, e.DstIP})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := RawRecords(context.Background(), in, want, 0)
		if err != nil {
			t.Fatalf("RawRecords: %v", err)
		}
		for _, e := range evs {
			r, ok := got[e.record]
			if !ok {
				t.Fatalf("record %d, cited by an event, not returned", e.record)
			}
			if !e.flow {
				continue
			}
			ts, ok := r.Tuples[e.tuple]
			if !ok {
				t.Fatalf("record %d: tuple %d not picked out of %q", e.record, e.tuple, r.Text)
			}
			var tu Tuple
			if err := ParseTuple([]byte(ts), &tu); err != nil || tu.Src != e.src || tu.Dst != e.dst {
				t.Fatalf("record %d tuple %d: %q is not %s → %s (%v)", e.record, e.tuple, ts, e.src, e.dst, err)
			}
		}
	})
}
