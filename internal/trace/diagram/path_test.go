package diagram

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pathproof/pathproof/internal/testenv"
)

// inferred is a path explain inferred without a topology: the client NIC
// and the firewall saw the request, the server NIC was silent, a second
// firewall saw only the reply.
func inferred() Path {
	return Path{
		Title: "tcp 10.1.1.4 → 10.2.1.4:443",
		Note:  "path inferred from the evidence (no topology)",
		Hops: []PathHop{
			{Kind: "nic", Name: "web-nic", Detail: "seen", Tone: ToneSeen},
			{Kind: "firewall", Name: "fw-hub", Detail: "seen", Tone: ToneSeen},
			{Kind: "nic", Name: "app-nic", Detail: "not-seen", Tone: ToneSilent, Stop: "not seen: stopped before"},
			{Kind: "firewall", Name: "fw-other", Detail: "reply only", Tone: ToneUnknown, Return: true},
		},
	}
}

func TestPathGolden(t *testing.T) {
	hostile := inferred()
	hostile.Title = `</svg><script>alert(1)</script>`
	hostile.Hops[1].Name = `evil"]; x(["` + "\x1b[31m"
	hostile.Hops[2].Group = `VNet <b>spoke</b>`
	cases := []struct {
		name string
		p    Path
	}{{"inferred", inferred()}, {"inferred-hostile", hostile}}
	for _, c := range cases {
		for _, f := range []struct {
			ext   string
			write func(io.Writer, Path) error
		}{{"svg", PathSVG}, {"mmd", PathMermaid}} {
			t.Run(c.name+"."+f.ext, func(t *testing.T) {
				var b bytes.Buffer
				if err := f.write(&b, c.p); err != nil {
					t.Fatal(err)
				}
				testenv.Golden(t, filepath.Join("testdata", c.name+"."+f.ext), b.Bytes())
			})
		}
	}
}

func TestPathSVGDrawsLegsAndEscapes(t *testing.T) {
	p := inferred()
	p.Hops[0].Name = `evil"<script>` + "\x1b"
	var b bytes.Buffer
	if err := PathSVG(&b, p); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	dec := xml.NewDecoder(strings.NewReader(out))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
	}
	if strings.Contains(out, "<script>") || strings.Contains(out, "\x1b") {
		t.Error("untrusted name reached the SVG unescaped")
	}
	// Three forward hops: two solid arrows; one reply-only hop: one dashed.
	if n := strings.Count(out, `marker-end="url(#fwd)"`); n != 2 {
		t.Errorf("%d forward arrows, want 2", n)
	}
	if n := strings.Count(out, `marker-end="url(#ret)"`); n != 1 {
		t.Errorf("%d return arrows, want 1", n)
	}
	for _, want := range []string{"not seen: stopped before", "path inferred from the evidence", `fill="#e6f4ea"`, `stroke-dasharray="5 3"`} {
		if !strings.Contains(out, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
}

func TestPathListedTwiceIsDrawnOnce(t *testing.T) {
	p := Path{Hops: []PathHop{{Kind: "nic", Name: "a"}, {Kind: "internet"}, {Kind: "nic", Name: "a", Return: true}}}
	g := buildPath(p)
	if len(g.nodes) != 2 {
		t.Errorf("%d nodes, want 2 (a hop on both legs is one node)", len(g.nodes))
	}
	if len(g.edges) != 2 || !g.edges[1].ret {
		t.Errorf("edges %+v, want one forward and one return arrow", g.edges)
	}
}

func TestShortPathFitsItsTitle(t *testing.T) {
	p := Path{Title: "tcp nic:web-nic → 10.2.1.4:443 and a long tail to the title", Hops: []PathHop{{Kind: "nic", Name: "web-nic"}}}
	var b bytes.Buffer
	if err := PathSVG(&b, p); err != nil {
		t.Fatal(err)
	}
	var width int
	if _, err := fmt.Sscanf(b.String(), `<svg xmlns="http://www.w3.org/2000/svg" width="%d"`, &width); err != nil {
		t.Fatal(err)
	}
	if min := 60 + 8*utf8.RuneCountInString(p.Title); width < min {
		t.Errorf("width %d, the title needs %d", width, min)
	}
}
