package explain

import (
	"reflect"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

func TestWindowSpecBounds(t *testing.T) {
	at := time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		name   string
		w      WindowSpec
		lo, hi time.Time
	}{
		{"at", WindowSpec{At: "2026-01-15T09:30:00Z"}, at.Add(-AtSpan), at.Add(AtSpan)},
		{"range", WindowSpec{Since: "2026-01-15T09:00:00Z", Until: "2026-01-15T09:30:00Z"}, at.Add(-30 * time.Minute), at},
		{"until alone: the hour before it", WindowSpec{Until: "2026-01-15T09:30:00Z"}, at.Add(-DefaultSpan), at},
		{"since alone: until is the newest event", WindowSpec{Since: "2026-01-15T09:30:00Z"}, at, time.Time{}},
		{"relative since", WindowSpec{Since: "2h", Until: "2026-01-15T09:30:00Z"}, time.Time{}, at},
		{"relative until", WindowSpec{Since: "2026-01-15T09:30:00Z", Until: "1h"}, at, time.Time{}},
		{"none: the newest hour", WindowSpec{}, time.Time{}, time.Time{}},
		{"invalid", WindowSpec{At: "yesterday"}, time.Time{}, time.Time{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			lo, hi := c.w.Bounds()
			if !lo.Equal(c.lo) || !hi.Equal(c.hi) {
				t.Errorf("Bounds() = %v, %v; want %v, %v", lo, hi, c.lo, c.hi)
			}
		})
	}
}

// TestKeepWithinGivesSameAnswers: a one-shot load that keeps only the
// window's events (the window known before reading) gives the answer of
// one that keeps the flow's events of every hour, claim for claim, while
// storing fewer events; the tally still counts them all.
func TestKeepWithinGivesSameAnswers(t *testing.T) {
	for _, c := range []struct {
		name     string
		topo     string
		from, to string
		at       time.Time
		l        *logs
	}{
		{"snat", "snat.yaml", "nic:web-nic", "10.5.1.4:443", at(5, 0), laterSNAT(storySNATDrop())},
		{"snat evidence only", "", "10.4.1.4", "10.5.1.4:443", at(5, 0), laterSNAT(storySNATDrop())},
		{"dnat backend", "", "203.0.113.7", "20.0.0.10:8443", at(7, 0), laterDNAT(storyDNATBackend())},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := prepareWith(t, c.topo, Query{From: c.from, To: c.to})
			spec := WindowSpec{At: c.at.Format(time.RFC3339)}
			// DNAT: the backend's events are read again (Widen).
			all, actAll := oneShotLoad(t, p, c.l.evs, Options{At: c.at})
			windowed, actWin := oneShotLoad(t, p.KeepWithin(spec.Bounds()), c.l.evs, Options{At: c.at})
			if len(windowed.evs) >= len(all.evs) {
				t.Fatalf("KeepWithin kept %d events, Keep %d: the window kept nothing less", len(windowed.evs), len(all.evs))
			}
			lo, hi := spec.Bounds()
			for i, e := range windowed.evs {
				if e.Time.Before(lo.Add(-keepSlack)) || e.Time.After(hi.Add(keepSlack)) {
					t.Errorf("KeepWithin stored an event outside the window: %s", quoteEvent(&windowed.evs[i]))
				}
			}
			if !reflect.DeepEqual(actAll, actWin) {
				t.Error("the tally differs: KeepWithin must count every event")
			}
			want := explainPlan(t, p, all.evs, Options{At: c.at, Activity: actAll})
			got := explainPlan(t, p, windowed.evs, Options{At: c.at, Activity: actWin})
			if !reflect.DeepEqual(got, want) {
				t.Errorf("KeepWithin gives another answer\nwindowed:\n%s\nall:\n%s\n%s", dump(got), dump(want), citationDiff(got, want))
			}
		})
	}
}

// laterSNAT adds the flow's records half an hour after the story: the
// client retried and the server NIC denied it again.
func laterSNAT(l *logs) *logs {
	l.tuple(at(40, 0), macWeb, "10.4.1.4", 51007, "10.5.1.4", 443, event.DirOut, "B", "DefaultRule_AllowVnetOutBound", 0, 0)
	l.tuple(at(40, 0).Add(150*time.Millisecond), macAPI, "10.0.1.6", 61007, "10.5.1.4", 443, event.DirIn, "D", "UserRule_Deny-Other-HTTPS", 0, 0)
	return l
}

// laterDNAT adds a DNAT record and the backend's denial half an hour after
// the story.
func laterDNAT(l *logs) *logs {
	l.fw(at(40, 0), "azfw", "AZFWNatRule", "203.0.113.7", 40007, "20.0.0.10", 8443, "", event.VerdictDNAT,
		event.Rule{Policy: "fwpol", RuleCollectionGroup: "DefaultDnatRuleCollectionGroup", RuleCollection: "publish-api", Name: "api-in"}).NAT =
		&event.NAT{Kind: "dnat", TranslatedIP: ip("10.5.1.4"), TranslatedPort: 443}
	l.tuple(at(40, 0).Add(40*time.Millisecond), macAPI, "10.0.1.5", 40007, "10.5.1.4", 443, event.DirIn, "D", "UserRule_Deny-Other-HTTPS", 0, 0)
	return l
}
