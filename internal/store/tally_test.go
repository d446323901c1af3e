package store

import (
	"context"
	"fmt"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
)

// TestEmitterTallies: EmitterMinutes counts per log family, emitter and
// minute inside the filter; EmitterAddrs lists each emitter's own side
// (source of outbound, destination of inbound events, IPv6 included) in
// the order they first appear.
func TestEmitterTallies(t *testing.T) {
	s := open(t, "")
	ev := func(sec int, src event.Source, em string, dir event.Direction, from, to string, rec int) event.Event {
		return event.Event{Time: t0.Add(time.Duration(sec) * time.Second), Source: src, Emitter: em, Direction: dir, Verdict: event.VerdictAllow,
			SrcIP: netip.MustParseAddr(from), DstIP: netip.MustParseAddr(to), Origin: event.Origin{Key: string(src) + "/" + em, Record: rec}}
	}
	load(t, s, []event.Event{
		ev(5, event.SourceVNetFlow, "MAC1", event.DirOut, "10.0.0.4", "10.0.0.9", 0),
		ev(20, event.SourceVNetFlow, "MAC1", event.DirIn, "10.0.0.8", "10.0.0.5", 1),
		ev(61, event.SourceVNetFlow, "MAC1", event.DirIn, "10.0.0.8", "10.0.0.4", 2),
		ev(62, event.SourceVNetFlow, "MAC2", event.DirIn, "10.0.0.4", "fd00::7", 0),
		ev(30, event.SourceFirewall, "azfw", "", "10.0.0.4", "10.0.9.9", 0),
		ev(45, event.SourceFirewall, "azfw", "", "10.0.0.4", "10.0.9.9", 1),
		ev(200, event.SourceFirewall, "azfw", "", "10.0.0.4", "10.0.9.9", 2), // outside the filter
	})
	ctx := context.Background()
	f := &filter.Filter{Since: filter.Bound{At: t0}, Until: filter.Bound{At: t0.Add(2 * time.Minute)}}
	if err := f.Bind(time.Time{}); err != nil {
		t.Fatal(err)
	}
	var got []string
	err := s.EmitterMinutes(ctx, f, func(src event.Source, em string, m time.Time, n int64) error {
		got = append(got, fmt.Sprintf("%s/%s %s %d", src, em, m.Format("15:04:05"), n))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"firewall/azfw 10:00:00 2", "vnetflow/MAC1 10:00:00 2", "vnetflow/MAC1 10:01:00 1", "vnetflow/MAC2 10:01:00 1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("EmitterMinutes:\n got %q\nwant %q", got, want)
	}
	got = nil
	f.Source = []event.Source{event.SourceVNetFlow}
	err = s.EmitterAddrs(ctx, f, func(src event.Source, em string, a netip.Addr) error {
		got = append(got, fmt.Sprintf("%s/%s %s", src, em, a))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"vnetflow/MAC1 10.0.0.4", "vnetflow/MAC1 10.0.0.5", "vnetflow/MAC2 fd00::7"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("EmitterAddrs:\n got %q\nwant %q", got, want)
	}
}
