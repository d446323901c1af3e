package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pathproof/pathproof/internal/exitcode"
	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/textutil"
)

// storiesDemo tells every field story with one `pathproof explain` each:
// what `pathproof demo` runs with no name.
var storiesDemo = Demo{
	Name:    "stories",
	Summary: "seven field tickets, one 'pathproof explain' each: the verdict, where, and a report to forward (what 'pathproof demo' runs)",
	Run:     runStories,
}

// storyDemos returns one demo per story: its explain in full.
func storyDemos() []Demo {
	var out []Demo
	for _, s := range Stories() {
		out = append(out, Demo{Name: s.Name, Summary: s.Proves, Outputs: []string{"json"}, Run: s.run})
	}
	return out
}

// storyRun is one explain of a built story: the command (as printed), its
// exit code and the result it printed as JSON.
type storyRun struct {
	args []string
	code int
	res  explain.Result
}

// explainStory runs explain on d (with the topology or from the evidence
// alone) twice, keeping its answers in d.Dir as base.txt with the proof
// report base.html, and base.json with base.md, and returns the result.
func explainStory(ctx context.Context, env *Env, s Story, d StoryData, withTopology bool, base string) (storyRun, error) {
	file := func(ext string) string { return filepath.Join(d.Dir, base+ext) }
	r := storyRun{args: append(s.ExplainArgs(d, withTopology), "--report", file(".html"))}
	text, errOut, code := env.Capture(ctx, r.args...)
	if !explained(code) {
		return r, &Exit{Code: code, Err: fmt.Errorf("story %s: %s exited %d: %s", s.Name, CommandLine(r.args), code, textutil.Escape(string(errOut)))}
	}
	js, errOut, jcode := env.Capture(ctx, append(s.ExplainArgs(d, withTopology), "--report", file(".md"), "--output", "json")...)
	if jcode != code {
		return r, fmt.Errorf("story %s: explain exited %d with -o json, %d without: %s", s.Name, jcode, code, textutil.Escape(string(errOut)))
	}
	if err := json.Unmarshal(js, &r.res); err != nil {
		return r, fmt.Errorf("story %s: explain -o json: %w", s.Name, err)
	}
	r.code = code
	if err := os.WriteFile(file(".txt"), text, 0o644); err != nil {
		return r, err
	}
	return r, os.WriteFile(file(".json"), js, 0o644)
}

// explained reports whether explain printed an answer: it exits 0, 1 (a
// verdict that is a failure) or 4 (some input skipped); a broken run shows
// when its JSON does not parse.
func explained(code int) bool {
	return exitcode.Succeeded(code) || code == exitcode.Failed
}

// verdictLine is a result's verdict, hop and confidence in one line.
func verdictLine(r explain.Result) string {
	s := r.Verdict
	if r.At != "" {
		s += " at " + r.At
	}
	return s + " (" + r.Confidence + " confidence)"
}

// mismatch says how a result differs from what the story expects, "" when
// it does not.
func (s Story) mismatch(r explain.Result, withTopology bool) string {
	want, at := s.Want.Verdict, s.Want.At
	if !withTopology {
		want, at = s.Want.EvidenceVerdict, s.Want.EvidenceAt
	}
	if r.Verdict == want && (at == "" || r.At == at) {
		if unsaid := s.Unsaid(r, withTopology); len(unsaid) > 0 {
			return "the answer does not say " + strings.Join(unsaid, "; ")
		}
		return ""
	}
	if at != "" {
		want += " at " + at
	}
	return "the story expects " + want
}

// Unsaid returns what the story expects the answer to say (Want.Says,
// or Want.EvidenceSays from the evidence alone) that it does not.
func (s Story) Unsaid(r explain.Result, withTopology bool) []string {
	says := s.Want.Says
	if !withTopology {
		says = s.Want.EvidenceSays
	}
	var out []string
	for _, want := range says {
		code, isFinding := strings.CutPrefix(want, "finding ")
		if !isFinding {
			if !strings.Contains(r.Summary, want) {
				out = append(out, fmt.Sprintf("%q in its summary", want))
			}
			continue
		}
		cited := false
		for _, f := range r.Findings {
			for _, c := range f.Citations {
				cited = cited || f.Code == code && c >= 0 && c < len(r.Citations) && r.Citations[c].Kind == "log"
			}
		}
		if !cited {
			out = append(out, "finding "+code+" citing a log record")
		}
	}
	return out
}

func runStories(ctx context.Context, env *Env) error {
	w := env.Stdout
	fmt.Fprintf(w, `Seven tickets from the field, each answered by one 'pathproof explain' on the
evidence Azure would have written (flow, firewall, gateway and Key Vault logs
in the storage-account layout, a capture), generated under %s.

`, textutil.Escape(env.Dir))
	stories := Stories()
	for i, s := range stories {
		d, err := s.Build(filepath.Join(env.Dir, s.Name))
		if err != nil {
			return err
		}
		full, err := explainStory(ctx, env, s, d, true, "explain")
		if err != nil {
			return err
		}
		alone, err := explainStory(ctx, env, s, d, false, "explain-evidence-only")
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%d. %s\n   %s\n$ %s\n   → %s\n     %s\n", i+1, s.Name, s.Ticket, CommandLine(full.args), verdictLine(full.res), textutil.Escape(full.res.Summary))
		if m := s.mismatch(full.res, true); m != "" {
			fmt.Fprintf(w, "   ! %s\n", m)
		}
		fmt.Fprintf(w, "   from the evidence alone (no topology): %s\n", verdictLine(alone.res))
		if m := s.mismatch(alone.res, false); m != "" {
			fmt.Fprintf(w, "   ! %s\n", m)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, `The reports are in %s, one folder per story: explain.html (the
proof report to forward; explain.md in Markdown), explain.txt and
explain.json with the topology, explain-evidence-only.* without, next to
the story's design, logs and capture. 'pathproof demo --list' names every
story, 'pathproof demo tour' runs the demos of the other commands.
One story in full: pathproof demo %s
`, textutil.Escape(env.Dir), stories[0].Name)
	return nil
}

// run tells one story in full: the ticket, explain's whole answer with the
// topology, then the verdict from the evidence alone. It exits 0 when
// explain answered, whatever the verdict: the demo told its story.
func (s Story) run(ctx context.Context, env *Env) error {
	d, err := s.Build(env.Dir)
	if err != nil {
		return err
	}
	args := slices.Concat(s.ExplainArgs(d, true), []string{"--report", filepath.Join(d.Dir, "explain.html")}, env.OutputArgs())
	n := env.Narration()
	fmt.Fprintf(n, "Ticket: %s\n\n$ %s\n\n", s.Ticket, CommandLine(args))
	code := env.Exec(ctx, nil, args...)
	if !explained(code) {
		return exit(code)
	}
	if env.Machine() {
		return nil
	}
	alone, err := explainStory(ctx, env, s, d, false, "explain-evidence-only")
	if err != nil {
		return err
	}
	fmt.Fprintf(n, "\nFrom the evidence alone (no topology):\n$ %s\n   → %s\n     %s\n\nThe proof reports: %s (with the topology), %s (without).\n",
		CommandLine(alone.args), verdictLine(alone.res), textutil.Escape(alone.res.Summary),
		textutil.Escape(filepath.Join(d.Dir, "explain.html")), textutil.Escape(filepath.Join(d.Dir, "explain-evidence-only.html")))
	return nil
}
