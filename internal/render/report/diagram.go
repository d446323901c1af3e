package report

import (
	"bytes"
	"strings"

	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/redact"
	"github.com/pathproof/pathproof/internal/trace/diagram"
)

// tones maps each hop token to its colour (hopTone): the forward leg's,
// unless a leg shows the flow stopping there.
func tones(r *explain.Result) map[string]diagram.Tone {
	out := map[string]diagram.Tone{}
	for i, h := range r.Hops {
		t := hopTone(r, i)
		cur, ok := out[h.Hop]
		switch {
		case !ok, t == diagram.ToneStopped:
			out[h.Hop] = t
		case cur == diagram.TonePlain && h.Leg == explain.LegForward:
			out[h.Hop] = t
		}
	}
	return out
}

// inferredPath is the drawing of a path without a trace: the hops as the
// explanation lists them, toned by status, the verdict's hop marked.
func inferredPath(in Input) diagram.Path {
	r := in.Result
	p := diagram.Path{Title: clean(title(r))}
	if r.PathInferred {
		p.Note = "path inferred from where the evidence appeared (no topology)"
	}
	marked := false
	for i, h := range r.Hops {
		kind, name, _ := strings.Cut(h.Hop, ":")
		ph := diagram.PathHop{Kind: clean(kind), Name: clean(name), Detail: clean(h.Status), Return: h.Leg == explain.LegReturn, Tone: hopTone(r, i)}
		if !marked && isStop(r, i) {
			ph.Stop = stopLabel[r.Verdict]
			marked = true
		}
		p.Hops = append(p.Hops, ph)
	}
	return p
}

// stopLabel marks the hop where the verdict says the flow stopped.
var stopLabel = map[string]string{
	explain.VerdictDropped:           "dropped here",
	explain.VerdictAsymmetric:        "reply dropped here",
	explain.VerdictNeverReachedAzure: "never sent into Azure",
}

// svg draws the path: the trace's diagram toned by the evidence when there
// is a trace, else the hops as the evidence placed them. Empty when there
// is nothing to draw.
func svg(in Input) (string, error) {
	var b bytes.Buffer
	switch {
	case in.Trace != nil && !in.Result.PathInferred:
		if err := diagram.EvidenceSVG(&b, in.Trace, tones(in.Result)); err != nil {
			return "", err
		}
	case len(in.Result.Hops) > 0:
		if err := diagram.PathSVG(&b, inferredPath(in)); err != nil {
			return "", err
		}
	}
	// The names in a trace come from the topology: redact them like every
	// other string (the patterns stop at quotes and angle brackets, so the
	// markup is untouched).
	return redact.String(b.String()), nil
}

// DiagramSVG is the path diagram of the report (see svg): the web UI's
// explain page draws the same picture.
func DiagramSVG(in Input) (string, error) { return svg(in) }

// mermaid is svg's Mermaid form, for the Markdown report.
func mermaid(in Input) (string, error) {
	var b bytes.Buffer
	switch {
	case in.Trace != nil && !in.Result.PathInferred:
		if err := diagram.Mermaid(&b, in.Trace); err != nil {
			return "", err
		}
	case len(in.Result.Hops) > 0:
		if err := diagram.PathMermaid(&b, inferredPath(in)); err != nil {
			return "", err
		}
	}
	return redact.String(b.String()), nil
}
