package explain

import (
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/pcap"
	"github.com/pathproof/pathproof/internal/pcap/tlsparse"
)

func TestTunnelDown(t *testing.T) {
	l := newLogs()
	l.tunnel(at(2, 0), "gw-hub", "hub-to-branch", "connected")
	l.tunnel(at(4, 0), "gw-hub", "hub-to-branch", "disconnected")
	l.background(macJump, "10.10.1.4", 0, 55)
	res := explainWith(t, engine(t, "branch.yaml"), Query{From: "onprem:branch/admin-pc", To: "10.10.1.4:3389"}, l.evs, Options{})
	if res.Verdict != VerdictNeverReachedAzure || res.At != "gateway:gw-hub" || !hasFinding(res, FindTunnelDown) {
		t.Fatalf("got %s at %s\n%s", res.Verdict, res.At, dump(res))
	}
}

func TestLostBetweenHops(t *testing.T) {
	l := newLogs()
	l.background(macAPI, "10.5.1.4", 0, 55)
	l.fwBackground("azfw", 0, 55)
	l.tuple(at(5, 0), macWeb, "10.4.1.4", 51000, "10.5.1.4", 443, event.DirOut, "B", "DefaultRule_AllowVnetOutBound", 0, 0)
	l.tuple(at(6, 0), macWeb, "10.4.1.4", 51000, "10.5.1.4", 443, event.DirOut, "E", "DefaultRule_AllowVnetOutBound", 3, 0)
	res := explainWith(t, engine(t, "snat.yaml"), Query{From: "nic:web-nic", To: "10.5.1.4:443"}, l.evs, Options{})
	if res.Verdict != VerdictDropped || res.At != "nic:web-nic" || res.Confidence != ConfidenceLow {
		t.Fatalf("got %s at %s (%s)\n%s", res.Verdict, res.At, res.Confidence, dump(res))
	}
	if fw := hop(res, "firewall:azfw"); fw == nil || fw.Status != StatusNotSeen {
		t.Errorf("firewall should be not-seen with its log alive\n%s", dump(res))
	}
}

// TestCaptureAnswer: the flow logs show the TLS connection delivered; the
// client's capture says what the server answered.
func TestCaptureAnswer(t *testing.T) {
	l := newLogs()
	l.tuple(at(5, 0), macWeb, "10.4.1.9", 52000, "10.5.1.4", 8443, event.DirOut, "B", "DefaultRule_AllowVnetOutBound", 0, 0)
	l.tuple(at(5, 2), macWeb, "10.4.1.9", 52000, "10.5.1.4", 8443, event.DirOut, "E", "DefaultRule_AllowVnetOutBound", 7, 5)
	rep := &pcap.Report{File: "client.pcap", Connections: []pcap.Connection{
		{Protocol: "tcp", Client: "10.4.1.9:52000", Server: "10.9.9.9:8443", State: "SF", First: at(5, 0)}, // another server
		{Protocol: "tcp", Client: "10.4.1.9:52000", Server: "10.5.1.4:8443", State: "SF", First: at(5, 0),
			FromClient: pcap.Direction{Packets: 7}, FromServer: pcap.Direction{Packets: 5},
			TLS:      &tlsparse.Info{Alerts: []tlsparse.Alert{{From: "client", Level: "fatal", Description: "unknown_ca"}}},
			Findings: []pcap.Finding{{Code: "tls.alert", Severity: "error", Message: "the client sent a fatal TLS alert unknown_ca"}}},
	}}
	res := explainWith(t, nil, Query{From: "10.4.1.9", To: "10.5.1.4:8443"}, l.evs, Options{Captures: []*pcap.Report{rep}})
	if res.Verdict != VerdictDelivered || res.Answer == nil || res.Answer.Kind != "tls" || !strings.Contains(res.Answer.Text, "unknown_ca") {
		t.Fatalf("got %s answer %+v\n%s", res.Verdict, res.Answer, dump(res))
	}
	if !hasFinding(res, "tls.alert") {
		t.Errorf("capture finding not passed through\n%s", dump(res))
	}
	var captures int
	for _, c := range res.Citations {
		if c.Kind == "capture" {
			captures++
			if c.Origin != "client.pcap" || c.Record != 1 {
				t.Errorf("capture citation %+v, want client.pcap connection 1", c)
			}
		}
	}
	if captures != 1 {
		t.Errorf("%d capture citations, want 1 (the other connection goes elsewhere)", captures)
	}
}

// TestWindowChoice: --at, --since/--until and the newest hour.
func TestWindowChoice(t *testing.T) {
	l := storySNATDrop()
	for _, c := range []struct {
		opt          Options
		basis        string
		since, until time.Time
	}{
		{Options{At: at(30, 0)}, "at", at(20, 0), at(40, 0)},
		{Options{Since: at(10, 0), Until: at(20, 0)}, "range", at(10, 0), at(20, 0)},
		{Options{}, "newest-hour", at(55, 9).Add(-time.Hour), at(55, 9)},
	} {
		res := explainWith(t, nil, Query{From: "10.4.1.4", To: "10.5.1.4:443"}, l.evs, c.opt)
		w := res.Window
		if w.Basis != c.basis || !w.Since.Equal(c.since) || !w.Until.Equal(c.until) {
			t.Errorf("window %+v, want %s %s–%s", w, c.basis, c.since, c.until)
		}
	}
}

// FuzzPrepare feeds arbitrary command lines to the query resolution: it
// must answer with a plan or a QueryError, never panic.
func FuzzPrepare(f *testing.F) {
	for _, s := range [][3]string{
		{"10.4.1.4", "10.5.1.4:443", "tcp"}, {"nic:web-nic", "api.internal.contoso.com:443", ""}, {"onprem:branch/admin-pc", "10.20.1.4:3389", "tcp"},
		{"internet:203.0.113.7", "[2001:db8::1]:443", "tcp"}, {"10.4.1.4", "10.5.1.4", "icmp"}, {"::ffff:10.4.1.4", "kv.vault.azure.net:0", "udp"},
		{"", ":", "sctp"}, {"onprem:x/", "a..b:1", "tcp"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	eng := engine(f, "snat.yaml")
	f.Fuzz(func(t *testing.T, from, to, proto string) {
		for _, e := range []bool{true, false} {
			var p *Plan
			var err error
			if e {
				p, err = Prepare(Query{From: from, To: to, Protocol: proto}, eng)
			} else {
				p, err = Prepare(Query{From: from, To: to, Protocol: proto}, nil)
			}
			if err == nil && p == nil {
				t.Fatal("no plan and no error")
			}
			if err != nil {
				if _, ok := err.(*QueryError); !ok {
					t.Fatalf("error %T %v is not a QueryError", err, err)
				}
				continue
			}
			_ = p.Keep(NewActivity())(&event.Event{Source: event.SourceVNetFlow, SrcIP: p.src, DstIP: p.dst})
		}
	})
}
