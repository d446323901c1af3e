package report

import (
	"fmt"

	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/trace/diagram"
)

// statusTone is how the diagram and the hop tables colour a hop status.
func statusTone(status string) diagram.Tone {
	switch status {
	case explain.StatusSeen, explain.StatusAnswered, explain.StatusUp:
		return diagram.ToneSeen
	case explain.StatusDenied:
		return diagram.ToneStopped
	case explain.StatusNotSeen:
		return diagram.ToneSilent
	case explain.StatusNotLogged:
		return diagram.ToneUnknown
	}
	return diagram.TonePlain
}

// passed reports whether a status shows the flow at the hop.
func passed(status string) bool {
	switch status {
	case explain.StatusSeen, explain.StatusAnswered, explain.StatusUp, explain.StatusDenied:
		return true
	}
	return false
}

// whyItMatters says what the silence of hop i proves (not-seen: its log
// was alive, so the flow did not pass) or fails to prove (not-logged).
func whyItMatters(r *explain.Result, i int) string {
	h := r.Hops[i]
	what := "the request"
	if h.Leg == explain.LegReturn {
		what = "the reply"
	}
	// The last hop before this one on the same leg that saw the flow.
	before := ""
	for j := i - 1; j >= 0; j-- {
		if r.Hops[j].Leg == h.Leg && passed(r.Hops[j].Status) {
			before = r.Hops[j].Hop
			break
		}
	}
	var s string
	switch h.Status {
	case explain.StatusNotSeen:
		s = fmt.Sprintf("Its log was alive in the window and holds nothing of this flow, so the silence is evidence: %s did not reach %s.", what, h.Hop)
		if before != "" {
			s += fmt.Sprintf(" The last hop that saw it is %s, so it stopped between the two.", before)
		}
	case explain.StatusNotLogged:
		s = fmt.Sprintf("No log covers %s in the window, so nothing here is proven either way: the verdict cannot rest on this hop. Enable its log (see the findings) to close the gap.", h.Hop)
	}
	if h.Hop != "" && h.Hop == r.At {
		s += " The verdict names this hop."
	}
	return s
}

// stopLeg is the leg on which the verdict places the stop: the return leg
// for an asymmetric return, the forward leg for a drop or a flow that
// never reached Azure; empty for verdicts that name no stop.
func stopLeg(verdict string) string {
	switch verdict {
	case explain.VerdictDropped, explain.VerdictNeverReachedAzure:
		return explain.LegForward
	case explain.VerdictAsymmetric:
		return explain.LegReturn
	}
	return ""
}

// isStop reports whether hop i is where the verdict says the flow stopped:
// the hop named by At, on the verdict's leg (or on any leg when At is not
// on that one).
func isStop(r *explain.Result, i int) bool {
	h := r.Hops[i]
	leg := stopLeg(r.Verdict)
	if leg == "" || h.Hop == "" || h.Hop != r.At {
		return false
	}
	if h.Leg == leg {
		return true
	}
	for _, o := range r.Hops {
		if o.Hop == r.At && o.Leg == leg {
			return false
		}
	}
	return true
}

// hopTone is how hop i is coloured: by its status, except that the hop
// where the verdict says the flow stopped is red whatever its log saw
// (a firewall that logged the reply it dropped is "seen").
func hopTone(r *explain.Result, i int) diagram.Tone {
	if isStop(r, i) {
		return diagram.ToneStopped
	}
	return statusTone(r.Hops[i].Status)
}
