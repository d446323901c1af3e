package report

import (
	"testing"

	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/trace/diagram"
)

func TestHopTone(t *testing.T) {
	hops := []explain.Hop{
		{Hop: "nic:a", Leg: explain.LegForward, Status: explain.StatusSeen},
		{Hop: "firewall:fw", Leg: explain.LegForward, Status: explain.StatusSeen},
		{Hop: "nic:b", Leg: explain.LegForward, Status: explain.StatusAnswered},
		{Hop: "firewall:fw", Leg: explain.LegReturn, Status: explain.StatusSeen},
		{Hop: "nic:c", Leg: explain.LegReturn, Status: explain.StatusNotLogged},
	}
	cases := []struct {
		verdict, at string
		want        []diagram.Tone
	}{
		// The firewall logged the reply it dropped: red on the return leg only.
		{explain.VerdictAsymmetric, "firewall:fw", []diagram.Tone{diagram.ToneSeen, diagram.ToneSeen, diagram.ToneSeen, diagram.ToneStopped, diagram.ToneUnknown}},
		{explain.VerdictDropped, "nic:b", []diagram.Tone{diagram.ToneSeen, diagram.ToneSeen, diagram.ToneStopped, diagram.ToneSeen, diagram.ToneUnknown}},
		// At only on the other leg: that hop is still the stop.
		{explain.VerdictDropped, "nic:c", []diagram.Tone{diagram.ToneSeen, diagram.ToneSeen, diagram.ToneSeen, diagram.ToneSeen, diagram.ToneStopped}},
		{explain.VerdictNeverReachedAzure, "nic:a", []diagram.Tone{diagram.ToneStopped, diagram.ToneSeen, diagram.ToneSeen, diagram.ToneSeen, diagram.ToneUnknown}},
		// Verdicts that name no stop colour by status.
		{explain.VerdictDelivered, "nic:b", []diagram.Tone{diagram.ToneSeen, diagram.ToneSeen, diagram.ToneSeen, diagram.ToneSeen, diagram.ToneUnknown}},
		{explain.VerdictNoEvidence, "nic:c", []diagram.Tone{diagram.ToneSeen, diagram.ToneSeen, diagram.ToneSeen, diagram.ToneSeen, diagram.ToneUnknown}},
	}
	for _, c := range cases {
		r := &explain.Result{Verdict: c.verdict, At: c.at, Hops: hops}
		for i, want := range c.want {
			if got := hopTone(r, i); got != want {
				t.Errorf("%s at %s: hop %d (%s %s) tone %q, want %q", c.verdict, c.at, i, hops[i].Hop, hops[i].Leg, got, want)
			}
		}
		// The diagram colours a device on both legs by its stop, if any.
		if c.verdict == explain.VerdictAsymmetric && tones(r)["firewall:fw"] != diagram.ToneStopped {
			t.Errorf("asymmetric: the firewall node is %q, want stopped", tones(r)["firewall:fw"])
		}
	}
}
