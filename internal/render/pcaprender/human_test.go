package pcaprender

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/pcap"
	"github.com/pathproof/pathproof/internal/pcap/synth"
)

// TestHumanCountsAgreeInNumber: a capture of one unanswered SYN reads
// "1 packet, 1 connection", not "1 packets, 1 connections".
func TestHumanCountsAgreeInNumber(t *testing.T) {
	var b bytes.Buffer
	c, err := synth.New(&b, time.Unix(1_700_000_000, 0))
	if err != nil {
		t.Fatal(err)
	}
	cl, sv := netip.MustParseAddrPort("10.0.0.4:50000"), netip.MustParseAddrPort("10.0.1.5:443")
	if err := c.TCP(0, cl, sv, synth.SYN, 1, 0, nil, 1460); err != nil {
		t.Fatal(err)
	}
	sum := pcap.NewSummary(pcap.SummaryOptions{Table: TableLimit, Detail: DetailLimit})
	defer sum.Close()
	rep, err := pcap.Stream(bytes.NewReader(b.Bytes()), pcap.Options{File: "one.pcap"}, sum.Add)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Human(&out, rep, sum); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"one.pcap (pcap): 1 packet, 1 connection, 1 with findings", "  1 packet, "} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
	if strings.Contains(text, " 1 packets") || strings.Contains(text, " 1 connections") {
		t.Errorf("plural after 1:\n%s", text)
	}
}
