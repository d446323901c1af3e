package store

import (
	"context"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/event"
)

// TestShapeOfByIdentityAndContent checks the worker's shape caches: the
// same strings, or equal strings held elsewhere, give one shape; a
// difference in any one field gives another.
func TestShapeOfByIdentityAndContent(t *testing.T) {
	s := open(t, "")
	l, err := s.NewLoader(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Abort(context.Background())
	w1, w2 := l.newWorker(), l.newWorker()
	base := func() event.Event {
		c := strings.Clone
		return event.Event{Source: event.Source(c("vnetflow")), Category: c("FlowLogFlowEvent"), Emitter: c("00224871C205"),
			Protocol: c("tcp"), Direction: event.Direction(c("out")), Verdict: event.Verdict(c("allow")), FlowState: c("begin"),
			Rule: event.Rule{Name: c("AllowWeb"), ACL: c("acl-1"), Raw: c("AllowWeb_0000")}}
	}
	e := base()
	id := w1.shapeOf(&e, "")
	for i := range 3 { // again by identity (recent cache, then map)
		if got := w1.shapeOf(&e, ""); got != id {
			t.Fatalf("same event, call %d: shape %d, want %d", i, got, id)
		}
	}
	same := base() // equal content, other strings
	if got := w1.shapeOf(&same, ""); got != id {
		t.Errorf("equal event with other strings: shape %d, want %d", got, id)
	}
	if got := w2.shapeOf(&same, ""); got != id {
		t.Errorf("equal event in another worker: shape %d, want %d", got, id)
	}
	changes := map[string]func(*event.Event){
		"flow state": func(e *event.Event) { e.FlowState = "end" },
		"protocol":   func(e *event.Event) { e.Protocol = "udp" },
		"rule raw":   func(e *event.Event) { e.Rule.Raw = "AllowWeb_0001" },
		"reason":     func(e *event.Event) { e.Rule.Reason = "x" },
		"default":    func(e *event.Event) { e.Rule.Default = true },
		"icmp type":  func(e *event.Event) { e.ICMPType = 8 },
		"aggregate":  func(e *event.Event) { e.Aggregate = true },
		"emitter id": func(e *event.Event) { e.EmitterID = "/subscriptions/x" },
	}
	seen := map[int32]string{id: "base"}
	for name, change := range changes {
		d := e // the base's very strings, one field changed
		change(&d)
		got := w1.shapeOf(&d, "")
		if prev, dup := seen[got]; dup {
			t.Errorf("%s changed: shape %d, the same as %s", name, got, prev)
		}
		seen[got] = name
		if again := w1.shapeOf(&d, ""); again != got {
			t.Errorf("%s changed, asked again: shape %d, want %d", name, again, got)
		}
	}
	if got := w1.shapeOf(&e, `{"a":"b"}`); seen[got] != "" {
		t.Errorf("another detail: shape %d, the same as %s", got, seen[got])
	}
	if n := len(l.d.shapes); n != len(changes)+2 {
		t.Errorf("dictionary holds %d shapes, want %d", n, len(changes)+2)
	}
}
