package explain

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
)

// Tallier is what a Store that holds every event (a --db file, a server's
// store) can add: counting in the store itself, without reading the
// events, what a one-shot load's Activity counts while it reads. With it
// and no Options.Activity, Explain tallies the window per log family and
// emitter, so "logging was alive" is proven per named resource (this
// firewall, this NIC's MAC) exactly as after a one-shot load, not per log
// family or NIC address. *store.Store satisfies it.
type Tallier interface {
	// EmitterMinutes calls fn per log family, emitter and minute (its
	// start) with events passing f, with their count.
	EmitterMinutes(ctx context.Context, f *filter.Filter, fn func(source event.Source, emitter string, minute time.Time, n int64) error) error
	// EmitterAddrs calls fn per emitter of the events passing f and each
	// address on its own side of them (the source of outbound events, the
	// destination of inbound ones), in the order they first appear.
	EmitterAddrs(ctx context.Context, f *filter.Filter, fn func(source event.Source, emitter string, addr netip.Addr) error) error
}

// tallyStore builds the Activity of the window [since, until] from a
// store that holds every event. The tally covers whole minutes, as a
// one-shot load's does (Activity counts per minute), so both count the
// same events.
func tallyStore(ctx context.Context, t Tallier, since, until time.Time) (*Activity, error) {
	a := NewActivity()
	f := &filter.Filter{Since: filter.Bound{At: since.Truncate(time.Minute)}, Until: filter.Bound{At: until.Truncate(time.Minute).Add(time.Minute - time.Nanosecond)}}
	_ = f.Bind(time.Time{}) // absolute bounds
	err := t.EmitterMinutes(ctx, f, func(source event.Source, emitter string, minute time.Time, n int64) error {
		ea := a.emitter(emitterKey{source, emitter})
		ea.minutes[minute.Unix()/60] += n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("explain: tally the window: %w", err)
	}
	f.Source = []event.Source{event.SourceVNetFlow, event.SourceNSGFlow}
	err = t.EmitterAddrs(ctx, f, func(source event.Source, emitter string, addr netip.Addr) error {
		ea := a.emitter(emitterKey{source, emitter})
		if len(ea.own) < maxOwnIPs && !containsAddr(ea.own, addr) {
			ea.own = append(ea.own, addr)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("explain: map the window's flow-log emitters: %w", err)
	}
	a.Done()
	return a, nil
}
