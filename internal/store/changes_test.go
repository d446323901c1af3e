package store

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pathproof/pathproof/internal/event"
)

// TestChangesChanged: a follower's successive loads, each returning the
// conversations a follower shows after it: new ones, and known ones whose
// events, last-seen time, verdict or emitter count moved; nothing else.
func TestChangesChanged(t *testing.T) {
	base := Conversation{Protocol: "tcp", Client: "10.0.0.4", ClientPort: 50000, Server: "10.1.0.5", ServerPort: 1433,
		FirstSeen: t0, LastSeen: t0, Events: 1, Verdict: event.VerdictAllow, Emitters: []Hop{{Emitter: "nic1"}}}
	with := func(edit func(c *Conversation)) Conversation {
		c := base
		edit(&c)
		return c
	}
	other := with(func(c *Conversation) { c.ClientPort = 50001 })
	ch := &Changes{}
	steps := []struct {
		name string
		load []Conversation
		want []Conversation
	}{
		{"first load shows all", []Conversation{base, other}, []Conversation{base, other}},
		{"same again shows none", []Conversation{base, other}, nil},
		{"more events", []Conversation{with(func(c *Conversation) { c.Events = 2 }), other}, []Conversation{with(func(c *Conversation) { c.Events = 2 })}},
		{"later last seen", []Conversation{with(func(c *Conversation) { c.Events, c.LastSeen = 2, t0.Add(time.Minute) })}, []Conversation{with(func(c *Conversation) { c.Events, c.LastSeen = 2, t0.Add(time.Minute) })}},
		{"verdict", []Conversation{with(func(c *Conversation) { c.Events, c.LastSeen, c.Verdict = 2, t0.Add(time.Minute), event.VerdictDeny })}, []Conversation{with(func(c *Conversation) { c.Events, c.LastSeen, c.Verdict = 2, t0.Add(time.Minute), event.VerdictDeny })}},
		{"one more emitter", []Conversation{with(func(c *Conversation) {
			c.Events, c.LastSeen, c.Verdict, c.Emitters = 2, t0.Add(time.Minute), event.VerdictDeny, []Hop{{Emitter: "nic1"}, {Emitter: "fw"}}
		})}, []Conversation{with(func(c *Conversation) {
			c.Events, c.LastSeen, c.Verdict, c.Emitters = 2, t0.Add(time.Minute), event.VerdictDeny, []Hop{{Emitter: "nic1"}, {Emitter: "fw"}}
		})}},
		{"bytes alone are not a change", []Conversation{with(func(c *Conversation) {
			c.Events, c.LastSeen, c.Verdict, c.Emitters, c.BytesSent = 2, t0.Add(time.Minute), event.VerdictDeny, []Hop{{Emitter: "nic1"}, {Emitter: "fw"}}, 999
		})}, nil},
		{"other port is another conversation", []Conversation{with(func(c *Conversation) { c.ServerPort = 443 })}, []Conversation{with(func(c *Conversation) { c.ServerPort = 443 })}},
		{"other protocol is another conversation", []Conversation{with(func(c *Conversation) { c.Protocol = "udp" })}, []Conversation{with(func(c *Conversation) { c.Protocol = "udp" })}},
		{"empty load", nil, nil},
	}
	for _, s := range steps {
		if d := cmp.Diff(s.want, ch.Changed(s.load), cmpopts.EquateEmpty(), cmpopts.IgnoreUnexported(Hop{})); d != "" {
			t.Errorf("%s: changed (-want +got):\n%s", s.name, d)
		}
	}
}
