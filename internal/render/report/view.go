package report

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/codes"
	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/redact"
	"github.com/pathproof/pathproof/internal/render/explainrender"
	"github.com/pathproof/pathproof/internal/textutil"
)

// view is the report as cleaned strings, shared by both formats so they
// cannot disagree. Every string in it is redacted and has its control
// characters escaped; each format still escapes it for its own syntax.
type view struct {
	Title       string
	Verdict     string
	Tone        string // CSS class of the verdict: good, bad, wait, unknown
	At          string
	Confidence  string
	Summary     string
	Meaning     string // what the verdict asserts (the codes registry)
	Answer      string
	AnswerCites []citeRef
	RetryAfter  string

	Query []row

	PathInferred bool
	FromTrace    bool     // the diagram is the trace's (else the hops as listed)
	PathLine     []string // the hops in order, one line per leg

	Hops      []hopView
	Unseen    []unseenView
	Reasoning []stepView
	Findings  []findingView
	Citations []citeView
	RawHint   bool // a log record is cited and none was read again: say how to see it raw
	RawRead   bool // a log record is cited and the front end read the records again
	RawMax    string

	Window     []row
	Inputs     []row
	Skipped    []skipView
	SkippedOut int64 // skipped records not listed

	Generated string
	Command   string
}

// row is a label and a value; Code marks a value that is a name or path
// (set in monospace).
type row struct {
	Label, Value string
	Code         bool
}

type hopView struct {
	N        int
	Anchor   string
	Hop      string
	Leg      string
	Role     string
	Status   string
	Tone     string // CSS class of the status
	Expected string
	Seen     string
	Packet   string
	Evidence []evidenceView
}

type evidenceView struct {
	Time, Source, Verdict, Rule, Says string
	Cite                              citeRef
}

type unseenView struct {
	Hop, Leg, Status, Expected, Seen, Why string
	Anchor                                string
}

type stepView struct {
	Text  string
	Cites []citeRef
}

type findingView struct {
	Code, Severity, Message, Fix string
	Cites                        []citeRef
}

type citeView struct {
	Ref                       citeRef
	Kind, Origin, Where, Time string
	Quote                     string
	Raw                       *rawView // a log record read again; nil otherwise
}

// citeRef is a citation as the text shows it: its index in
// Result.Citations (the JSON's number) and its anchor.
type citeRef struct {
	Index  int
	Label  string // "[3]"
	Anchor string // "cite-3"
}

// clean makes an untrusted string safe for any format: secrets redacted,
// control characters and invalid UTF-8 written as escapes.
func clean(s string) string { return textutil.Escape(redact.String(s)) }

// timeLayout is how the report prints times (UTC).
const timeLayout = "2006-01-02 15:04:05Z"

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	if t.Nanosecond() != 0 {
		return t.Format("2006-01-02 15:04:05.000Z")
	}
	return t.Format(timeLayout)
}

// ref returns the citation i as the text shows it.
func ref(i int) citeRef {
	return citeRef{Index: i, Label: CiteLabel(i), Anchor: "cite-" + strconv.Itoa(i)}
}

// CiteLabel is how a report labels citation i (its index in
// Result.Citations, the number the JSON uses): "[i]".
func CiteLabel(i int) string { return "[" + strconv.Itoa(i) + "]" }

func refs(idx []int, n int) []citeRef {
	var out []citeRef
	for _, i := range idx {
		if i >= 0 && i < n {
			out = append(out, ref(i))
		}
	}
	return out
}

// errNoResult is returned for an Input without a Result.
var errNoResult = errors.New("report: no explanation to write")

// newView builds the view of in.
func newView(in Input) (*view, error) {
	r := in.Result
	if r == nil {
		return nil, errNoResult
	}
	n := len(r.Citations)
	v := &view{
		Title:        clean(title(r)),
		Verdict:      clean(r.Verdict),
		Tone:         verdictTone(r.Verdict),
		At:           clean(r.At),
		Confidence:   clean(r.Confidence),
		Summary:      clean(r.Summary),
		PathInferred: r.PathInferred,
		FromTrace:    in.Trace != nil && !r.PathInferred,
		Generated:    fmtTime(in.Generated),
		Command:      clean(in.Command),
	}
	if c, ok := codes.Lookup("explain", r.Verdict); ok {
		v.Meaning = c.Meaning
	}
	if r.Answer != nil {
		v.Answer = clean(r.Answer.Text)
		v.AnswerCites = refs(r.Answer.Citations, n)
	}
	if !r.RetryAfter.IsZero() {
		v.RetryAfter = fmtTime(r.RetryAfter)
	}
	v.Query = queryRows(r.Query)
	v.PathLine = pathLines(r.Hops)
	for i, h := range r.Hops {
		hv := hopView{
			N: i + 1, Anchor: "hop-" + strconv.Itoa(i+1),
			Hop: clean(h.Hop), Leg: clean(h.Leg), Role: clean(h.Role),
			Status: clean(h.Status), Tone: string(hopTone(r, i)),
			Expected: clean(h.Expected), Seen: clean(h.Seen),
		}
		if h.Packet != nil {
			hv.Packet = clean(flowText(*h.Packet))
		}
		for _, e := range h.Evidence {
			ev := evidenceView{Time: fmtTime(e.Time), Source: clean(e.Source), Verdict: clean(e.Verdict), Rule: clean(e.Rule), Says: clean(e.Says)}
			if e.Citation >= 0 && e.Citation < n {
				ev.Cite = ref(e.Citation)
			}
			hv.Evidence = append(hv.Evidence, ev)
		}
		v.Hops = append(v.Hops, hv)
		if h.Status == explain.StatusNotSeen || h.Status == explain.StatusNotLogged {
			v.Unseen = append(v.Unseen, unseenView{
				Hop: hv.Hop, Leg: hv.Leg, Status: hv.Status, Expected: hv.Expected, Seen: hv.Seen,
				Why: clean(whyItMatters(r, i)), Anchor: hv.Anchor,
			})
		}
	}
	for _, s := range r.Reasoning {
		v.Reasoning = append(v.Reasoning, stepView{Text: clean(s.Text), Cites: refs(s.Citations, n)})
	}
	for _, f := range r.Findings {
		v.Findings = append(v.Findings, findingView{Code: clean(f.Code), Severity: clean(f.Severity), Message: clean(f.Message), Fix: clean(f.Fix), Cites: refs(f.Citations, n)})
	}
	raws := rawViews(r, in.Raw)
	for i, c := range r.Citations {
		cv := citeView{Ref: ref(i), Kind: clean(c.Kind), Time: fmtTime(c.Time), Quote: clean(c.Quote), Raw: raws[i]}
		if o := explainrender.Origin(c); o != c.Kind {
			cv.Origin = clean(o)
		}
		if c.Kind == "log" {
			v.RawHint = in.Raw == nil
			v.RawRead = in.Raw != nil
		}
		v.Citations = append(v.Citations, cv)
	}
	v.RawMax = strconv.Itoa(RawQuoteMax/1024) + " KiB"
	v.Window = windowRows(r.Window)
	v.Inputs = inputRows(r.Inputs)
	for _, s := range r.Inputs.Skipped {
		v.Skipped = append(v.Skipped, skipView{Origin: clean(s.Origin), Where: clean(fmt.Sprintf("record %d, tuple %d", s.Record, s.Tuple)), Code: clean(s.Code), Reason: clean(s.Reason)})
	}
	if r.Inputs.SkippedTotal > int64(len(r.Inputs.Skipped)) {
		v.SkippedOut = r.Inputs.SkippedTotal - int64(len(r.Inputs.Skipped))
	}
	return v, nil
}

type skipView struct{ Origin, Where, Code, Reason string }

// title is the flow as asked: "tcp nic:web-nic → 10.2.1.4:443".
func title(r *explain.Result) string {
	q := r.Query
	proto := q.Protocol
	if proto == "" {
		proto = "tcp"
	}
	from, to := q.From, q.To
	if from == "" && q.SrcIP.IsValid() {
		from = q.SrcIP.String()
	}
	if to == "" {
		to = endpoint(q.DstIP, q.DstPort)
	}
	return proto + " " + from + " → " + to
}

func queryRows(q explain.QueryInfo) []row {
	var rows []row
	add := func(label, value string) {
		if value != "" {
			rows = append(rows, row{Label: label, Value: clean(value)})
		}
	}
	add("From", q.From)
	add("To", q.To)
	add("Protocol", q.Protocol)
	if q.Source != "" && q.Source != q.From {
		add("Source resolved as", q.Source)
	}
	if q.SrcIP.IsValid() && q.SrcIP.String() != q.From {
		add("Source address", q.SrcIP.String())
	}
	add("Destination name", q.FQDN)
	if q.DstIP.IsValid() {
		add("Destination as sent", endpoint(q.DstIP, q.DstPort))
	}
	if len(q.DstAddrs) > 0 {
		var s []string
		for _, a := range q.DstAddrs {
			s = append(s, a.String())
		}
		add("Destination matched by", strings.Join(s, ", "))
	}
	return rows
}

// pathLines lists the hops of each leg in order, as the diagram's text
// form.
func pathLines(hops []explain.Hop) []string {
	var fwd, ret []string
	for _, h := range hops {
		if h.Leg == explain.LegReturn {
			ret = append(ret, clean(h.Hop))
		} else {
			fwd = append(fwd, clean(h.Hop))
		}
	}
	var out []string
	if len(fwd) > 0 {
		out = append(out, "forward: "+strings.Join(fwd, " → "))
	}
	if len(ret) > 0 {
		out = append(out, "return: "+strings.Join(ret, " → "))
	}
	return out
}

func windowRows(w explain.Window) []row {
	var rows []row
	if s := fmtTime(w.Since); s != "" {
		rows = append(rows, row{Label: "Since", Value: s})
	}
	if s := fmtTime(w.Until); s != "" {
		rows = append(rows, row{Label: "Until", Value: s})
	}
	if w.Basis != "" {
		rows = append(rows, row{Label: "Chosen by", Value: clean(basisText(w.Basis))})
	}
	return rows
}

func basisText(b string) string {
	switch b {
	case "at":
		return fmt.Sprintf("--at: ±%d minutes around the given time", int(explain.AtSpan.Minutes()))
	case "range":
		return "--since / --until"
	case "newest-hour":
		return "no time given: the newest hour of the evidence"
	case "empty":
		return "no evidence at all"
	}
	return b
}

func inputRows(in explain.Inputs) []row {
	var rows []row
	for _, l := range in.Logs {
		rows = append(rows, row{"Logs", clean(l), true})
	}
	if in.DB != "" {
		rows = append(rows, row{"Event store", clean(in.DB), true})
	}
	for _, t := range in.Topology {
		rows = append(rows, row{"Topology", clean(t), true})
	}
	if len(in.Topology) == 0 {
		rows = append(rows, row{Label: "Topology", Value: "none: the path is inferred from the evidence"})
	}
	for _, c := range in.Captures {
		rows = append(rows, row{"Capture", clean(c), true})
	}
	if in.SkippedTotal > 0 || len(in.Skipped) > 0 {
		total := max(in.SkippedTotal, int64(len(in.Skipped)))
		rows = append(rows, row{Label: "Skipped", Value: textutil.Plural(int(total), "record", "records") + " could not be read (listed below); the verdict stands on the rest"})
	}
	return rows
}

func endpoint(a netip.Addr, port uint16) string {
	if !a.IsValid() {
		return ""
	}
	if port == 0 {
		return a.String()
	}
	return netip.AddrPortFrom(a, port).String()
}

func flowText(f explain.Flow) string {
	return f.Protocol + " " + endpoint(f.Src, f.SrcPort) + " → " + endpoint(f.Dst, f.DstPort)
}

// verdictTone is the CSS class of a verdict.
func verdictTone(v string) string {
	switch v {
	case explain.VerdictDelivered:
		return "good"
	case explain.VerdictDropped, explain.VerdictAsymmetric, explain.VerdictNeverReachedAzure:
		return "bad"
	case explain.VerdictNotYetKnown:
		return "wait"
	}
	return "unknown"
}
