package pcap

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/pathproof/pathproof/internal/testenv"
)

// TestPacketCountsMatchTshark reads every shared capture and compares the
// number of packets with tshark's: no packet may vanish silently (pcapng
// packets on an interface whose link type differs from the first's were
// dropped with exit 0, issue #18). A packet pathproof reads but cannot
// decode must be counted as skipped.
func TestPacketCountsMatchTshark(t *testing.T) {
	dir := testenv.Shared(t, "pcap")
	tshark := testenv.RequireTool(t, "tshark")
	files, _ := filepath.Glob(filepath.Join(dir, "*.pcap*"))
	if len(files) == 0 {
		t.Fatal("no shared captures")
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// tshark prints one line per frame it read (on a damaged file
			// it stops where pathproof stops and exits non-zero). It also
			// shows pcapng custom blocks as frames without an encapsulation
			// type; those hold no packet.
			out, _ := exec.Command(tshark, "-n", "-r", path, "-T", "fields", "-e", "frame.encap_type").Output()
			want := 0
			for _, l := range strings.Split(string(out), "\n") {
				if strings.TrimSpace(l) != "" {
					want++
				}
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r, err := Analyze(f, Options{File: name})
			if err != nil {
				t.Fatal(err)
			}
			if r.Packets != want {
				t.Errorf("pathproof read %d packets, tshark %d", r.Packets, want)
			}
		})
	}
}

// TestMixedLinkTypes: the shared pcapng with 6 Ethernet and 2 NULL/loopback
// frames yields all 8, each decoded with its own interface's link type.
func TestMixedLinkTypes(t *testing.T) {
	r := analyzeShared(t, "gopacket-pcapng-test202.pcapng")
	if r.Packets != 8 {
		t.Errorf("%d packets, want 8 (6 Ethernet, 2 loopback)", r.Packets)
	}
	for k, n := range r.Skipped {
		if strings.HasPrefix(k, skipUnknownLink) {
			t.Errorf("skipped %d as %s: the loopback interface's link type was not used", n, k)
		}
	}
}

// TestMixedLinkTypesSynthetic: one Ethernet, five raw-IP packets and one of
// a link type pathproof cannot decode, on three interfaces of one pcapng.
// All seven are read; the undecodable one is skipped and makes the report
// partial (exit 4), never silently dropped.
func TestMixedLinkTypesSynthetic(t *testing.T) {
	udp := func() []byte { // IPv4/UDP 10.0.0.1:1000 → 10.0.0.2:53, 4 bytes payload
		b := []byte{0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0x03, 0xe8, 0, 53, 0, 12, 0, 0, 1, 2, 3, 4}
		return b
	}
	var buf bytes.Buffer
	w, err := pcapgo.NewNgWriterInterface(&buf, pcapgo.NgInterface{LinkType: layers.LinkTypeEthernet, SnapLength: 65535}, pcapgo.DefaultNgWriterOptions)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := w.AddInterface(pcapgo.NgInterface{LinkType: layers.LinkTypeRaw, SnapLength: 65535})
	odd, _ := w.AddInterface(pcapgo.NgInterface{LinkType: 147, SnapLength: 65535})
	eth := append([]byte{0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00}, udp()...)
	write := func(iface int, data []byte) {
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 0), CaptureLength: len(data), Length: len(data), InterfaceIndex: iface}
		if err := w.WritePacket(ci, data); err != nil {
			t.Fatal(err)
		}
	}
	write(0, eth)
	for range 5 {
		write(raw, udp())
	}
	write(odd, udp())
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	r, err := Analyze(&buf, Options{File: "mixed.pcapng"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Packets != 7 {
		t.Errorf("%d packets, want 7", r.Packets)
	}
	if r.Skipped["unknown_link_type_147"] != 1 {
		t.Errorf("skipped %v, want the link type 147 packet counted", r.Skipped)
	}
	if !r.Partial() {
		t.Error("a packet that could not be decoded did not make the report partial (exit 4)")
	}
	var pkts int
	for _, c := range r.Connections {
		pkts += c.Packets
	}
	if pkts != 6 {
		t.Errorf("%d packets in connections, want the 6 decodable ones", pkts)
	}
}
