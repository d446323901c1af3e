package demo

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/loggen"
	"github.com/pathproof/pathproof/internal/pcap"
	"github.com/pathproof/pathproof/internal/pcap/synth"
)

// tlsStory and nsgDenyStory happen in the apps design, on the pcap demo's
// capture (synth.Demo, taken on the app VM 10.1.0.4): its leaf-only TLS
// handshake with 10.2.0.7 and its unanswered SQL SYNs to 10.2.0.5. The
// flow logs are written from the capture's own connections, so the two
// agree to the packet.
var tlsStory = Story{
	Name:         "tls-leaf-only-chain",
	Ticket:       "The app VM cannot call the API over HTTPS (10.2.0.7); a browser on another machine works.",
	Proves:       "the network delivered both ways; the capture shows the server sent its leaf without the intermediate and the client refused it (unknown_ca)",
	Design:       "story/apps.yaml",
	From:         "nic:app-nic",
	To:           "10.2.0.7:443",
	EvidenceFrom: "10.1.0.4",
	EvidenceTo:   "10.2.0.7:443",
	At:           synth.DemoStart,
	Want:         StoryWant{Verdict: "delivered-and-answered", At: "nic:api-nic", EvidenceVerdict: "delivered-and-answered", EvidenceAt: "nic:10.2.0.7"},
	write:        writeApps,
}

var nsgDenyStory = Story{
	Name:         "nsg-deny-at-server",
	Ticket:       "The app VM's SQL connections to 10.2.0.5 hang; the batch jobs reach the same server fine.",
	Proves:       "the SYNs leave the app VM and the SQL server's NIC denies them by rule Deny-SQL-Except-Batch, while it admits the batch subnet",
	Design:       "story/apps.yaml",
	From:         "nic:app-nic",
	To:           "10.2.0.5:1433",
	EvidenceFrom: "10.1.0.4",
	EvidenceTo:   "10.2.0.5:1433",
	At:           synth.DemoStart,
	Want:         StoryWant{Verdict: "dropped", At: "nic:sql-nic", Rule: "Deny-SQL-Except-Batch", EvidenceVerdict: "dropped", EvidenceAt: "nic:10.2.0.5"},
	write:        writeApps,
}

// NSG GUIDs of the apps design.
const (
	appsNSGApps    = "5c8e2a14-7d3f-4b61-9e0a-3f6b1d2c8e55"
	appsNSGServers = "9b4d1f63-2e7a-4c85-b1d9-0a5e3c7f6d66"
)

func writeApps(k *storyKit) error {
	var capture bytes.Buffer
	if err := synth.Demo(&capture); err != nil {
		return fmt.Errorf("building the capture: %w", err)
	}
	if err := os.WriteFile(k.capture("app-vm.pcap"), capture.Bytes(), 0o644); err != nil {
		return err
	}
	rep, err := pcap.Analyze(bytes.NewReader(capture.Bytes()), pcap.Options{})
	if err != nil {
		return fmt.Errorf("reading the capture back: %w", err)
	}
	conn := func(server string) (*pcap.Connection, error) {
		for i := range rep.Connections {
			if c := &rep.Connections[i]; c.Server == server && strings.HasPrefix(c.Client, "10.1.0.4:") {
				return c, nil
			}
		}
		return nil, fmt.Errorf("the capture has no connection to %s", server)
	}
	app, api, sql := nic("apps", "000D3A1A0004"), nic("data", "000D3A2B0007"), nic("data", "000D3A2B0005")
	const (
		httpsGUID = "e2c7a9f0-4b1d-4e36-8f5a-1c9d0b3e7a88"
		sqlGUID   = "a8f0c3d2-6e9b-4a17-9c4e-5b2d7f1a0e99"
		batchGUID = "3e9d6b70-1a2c-4f8e-b7d4-9c0e5a2f1b11"
	)
	// HTTPS: delivered both ways; the flow logs count what the capture saw.
	c, err := conn("10.2.0.7:443")
	if err != nil {
		return err
	}
	ps, bs, pr, br := int64(c.FromClient.Packets), c.FromClient.Bytes, int64(c.FromServer.Packets), c.FromServer.Bytes
	k.script.VNetFlows(app, tcp(c.First, c.Last, c.Client, c.Server, false, "DefaultRule_AllowVnetOutBound", "", appsNSGApps, ps, bs, pr, br))
	k.script.VNetFlows(api, tcp(c.First.Add(300*time.Microsecond), c.Last, c.Client, c.Server, true, "Allow-HTTPS-From-Apps", httpsGUID, appsNSGServers, ps, bs, pr, br))
	// SQL: the SYNs leave the app VM (no answer comes back) and the SQL
	// server's NIC denies them.
	c, err = conn("10.2.0.5:1433")
	if err != nil {
		return err
	}
	k.script.VNetFlows(app, tcp(c.First, c.Last.Add(15*time.Second), c.Client, c.Server, false, "DefaultRule_AllowVnetOutBound", "", appsNSGApps,
		int64(c.FromClient.Packets), c.FromClient.Bytes, 0, 0))
	k.script.VNetFlows(sql, denied(c.First.Add(300*time.Microsecond), c.Client, c.Server, true, "Deny-SQL-Except-Batch", sqlGUID, appsNSGServers))
	// Around it, the hour's ordinary traffic: the batch VM's SQL session,
	// the app VM's own outbound calls, the servers' platform traffic.
	hour := synth.DemoStart.Truncate(time.Hour)
	k.script.VNetFlows(sql, loggen.Flow{Start: hour.Add(2 * time.Minute), End: hour.Add(58 * time.Minute), Proto: 6, Src: addrPort("10.1.1.4:49720"), Dst: addrPort("10.2.0.5:1433"),
		Inbound: true, Rule: "Allow-SQL-From-Batch", RuleGUID: batchGUID, ACL: appsNSGServers, PacketsSent: 52000, BytesSent: 9_800_000, PacketsRecv: 61000, BytesRecv: 48_000_000})
	for m := 4; m < 60; m += 8 {
		at := hour.Add(time.Duration(m)*time.Minute + 17*time.Second)
		k.script.VNetFlows(app, tcp(at, at.Add(2*time.Second), "10.1.0.4:"+strconv.Itoa(51000+m), "20.60.40.4:443", false, "DefaultRule_AllowInternetOutBound", "", appsNSGApps, 24, 3900, 30, 41000))
		k.script.VNetFlows(api, tcp(at.Add(time.Minute), at.Add(time.Minute+time.Second), "10.2.0.7:"+strconv.Itoa(50500+m), "168.63.129.16:80", false, "PlatformRule", "", "", 6, 900, 5, 1500))
		k.script.VNetFlows(sql, tcp(at.Add(2*time.Minute), at.Add(2*time.Minute+time.Second), "10.2.0.5:"+strconv.Itoa(50500+m), "168.63.129.16:80", false, "PlatformRule", "", "", 6, 900, 5, 1500))
	}
	return nil
}
