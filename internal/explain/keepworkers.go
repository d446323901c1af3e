package explain

import (
	"sync"

	"github.com/pathproof/pathproof/internal/event"
)

// NewKeep is Keep for a load that filters while parsing, on every core
// (ingest.Options.NewKeep, logs.Options.NewKeep): each parsing worker calls
// newKeep once and gets its own predicate and its own tally, so nothing is
// shared between workers; merge adds the workers' tallies into act (nil:
// no tally) and must be called once the load is over, before act is read.
// Unlike Keep behind the store's loader, the tally then also counts the
// events of an input given twice (the loader drops those as duplicates
// after parsing).
func (p *Plan) NewKeep(act *Activity) (newKeep func() func(*event.Event) bool, merge func()) {
	var mu sync.Mutex
	var parts []*Activity
	newKeep = func() func(*event.Event) bool {
		if act == nil {
			return p.relevant
		}
		part := NewActivity()
		mu.Lock()
		parts = append(parts, part)
		mu.Unlock()
		return p.Keep(part)
	}
	merge = func() {
		mu.Lock()
		defer mu.Unlock()
		for _, part := range parts {
			act.add(part)
		}
		parts = nil
	}
	return newKeep, merge
}

// add counts b's events into a.
func (a *Activity) add(b *Activity) {
	if b.newest.After(a.newest) {
		a.newest = b.newest
	}
	for k, eb := range b.emitters {
		eb.flush()
		ea := a.emitter(k)
		for m, n := range eb.minutes {
			ea.minutes[m] += n
		}
		for _, ip := range eb.own {
			if len(ea.own) < maxOwnIPs && !containsAddr(ea.own, ip) {
				ea.own = append(ea.own, ip)
			}
		}
	}
	a.last = nil
}
