package diagram

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/testenv"
	"github.com/pathproof/pathproof/internal/trace"
)

// asymmetric is a hand-built result: on-premises to a spoke VM, the reply
// dies at a firewall the request skipped.
func asymmetric() *trace.Result {
	ip := netip.MustParseAddr
	return &trace.Result{
		Query: trace.Flow{Protocol: "tcp", Src: ip("192.168.20.10"), SrcPort: 50000, Dst: ip("10.101.1.4"), DstPort: 443},
		Forward: trace.Leg{Result: trace.ResultDelivered, Hops: []trace.Hop{
			{Kind: trace.KindOnPrem, Name: "onprem", IP: ip("192.168.20.10")},
			{Kind: trace.KindGateway, Name: "gw-hub", IP: ip("20.100.0.20"), VNet: "hub"},
			{Kind: trace.KindNIC, Name: "app-vm-nic", IP: ip("10.101.1.4"), VNet: "spoke"},
		}},
		Return: trace.Leg{Result: trace.ResultDropped, Hops: []trace.Hop{
			{Kind: trace.KindNIC, Name: "app-vm-nic", IP: ip("10.101.1.4"), VNet: "spoke"},
			{Kind: trace.KindFirewall, Name: "azfw", IP: ip("10.100.0.4"), VNet: "hub"},
		}, Drop: &trace.Drop{At: "firewall:azfw", Reason: trace.DropAsymmetric}},
	}
}

// hostile has names with quotes, markup and control characters.
func hostile() *trace.Result {
	r := asymmetric()
	r.Forward.Hops[2].Name = `evil"<script>` + "\x1b[31m"
	r.Forward.Hops[2].VNet = `spoke"]; drop [label="x`
	return r
}

func TestGolden(t *testing.T) {
	formats := []struct {
		ext   string
		write func(io.Writer, *trace.Result) error
	}{{"mmd", Mermaid}, {"dot", DOT}, {"svg", SVG}}
	cases := []struct {
		name string
		r    *trace.Result
	}{{"asymmetric", asymmetric()}, {"hostile-names", hostile()}}
	for _, c := range cases {
		for _, f := range formats {
			t.Run(c.name+"."+f.ext, func(t *testing.T) {
				var b bytes.Buffer
				if err := f.write(&b, c.r); err != nil {
					t.Fatal(err)
				}
				testenv.Golden(t, filepath.Join("testdata", c.name+"."+f.ext), b.Bytes())
			})
		}
	}
}

func TestSVGIsWellFormedAndEscaped(t *testing.T) {
	var b bytes.Buffer
	if err := SVG(&b, hostile()); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(&b)
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
	}
	if strings.Contains(b.String(), "<script>") || strings.Contains(b.String(), "\x1b") {
		t.Error("untrusted name reached the SVG unescaped")
	}
}

func TestMarksDropAndBothLegs(t *testing.T) {
	var b bytes.Buffer
	if err := Mermaid(&b, asymmetric()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"reply dropped: asymmetric-stateful", "-.->", "-->", `subgraph g1["VNet hub"]`, `on-premises onprem`} {
		if !strings.Contains(out, want) {
			t.Errorf("mermaid output lacks %q:\n%s", want, out)
		}
	}
	var d bytes.Buffer
	if err := DOT(&d, hostile()); err != nil {
		t.Fatal(err)
	}
	dot := d.String()
	if strings.Contains(dot, `drop [label="x`) {
		t.Errorf("a VNet name broke out of its DOT string:\n%s", dot)
	}
	// The hostile name is there, quoted, and so are both legs and the drop.
	for _, want := range []string{
		"digraph pathproof {", `label="VNet spoke\"]; drop [label=\"x";`, `nic: evil\"<script> [31m`,
		`[label="1", color=`, `style=dashed`, "reply dropped: asymmetric-stateful", "arrowhead=tee",
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT output lacks %q:\n%s", want, dot)
		}
	}
	if !strings.HasSuffix(dot, "}\n") {
		t.Errorf("DOT output does not end the graph:\n%s", dot)
	}
}

func TestEvidenceSVGTonesNodesByToken(t *testing.T) {
	var plain, toned bytes.Buffer
	if err := SVG(&plain, asymmetric()); err != nil {
		t.Fatal(err)
	}
	tones := map[string]Tone{"nic:app-vm-nic": ToneSeen, "firewall:azfw": ToneStopped, "nic:absent": ToneSilent}
	if err := EvidenceSVG(&toned, asymmetric(), tones); err != nil {
		t.Fatal(err)
	}
	nodeRects := func(svg, fill string) int {
		n := 0
		for _, l := range strings.Split(svg, "\n") {
			if strings.HasPrefix(l, "<rect ") && strings.Contains(l, `rx="6"`) && strings.Contains(l, `fill="`+fill+`"`) {
				n++
			}
		}
		return n
	}
	if nodeRects(toned.String(), "#e6f4ea") != 1 || nodeRects(toned.String(), "#ffe0e0") != 1 || nodeRects(toned.String(), "#ffffff") != 2 {
		t.Errorf("want one seen, one stopped and two plain nodes:\n%s", toned.String())
	}
	if nodeRects(plain.String(), "#ffffff") != 4 {
		t.Errorf("SVG without evidence toned a node:\n%s", plain.String())
	}
	if strings.Count(plain.String(), "\n") != strings.Count(toned.String(), "\n") {
		t.Error("toning changed the picture's structure")
	}
}
