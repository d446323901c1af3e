package explain

import (
	"sync"

	"github.com/pathproof/pathproof/internal/event"
	logsrc "github.com/pathproof/pathproof/internal/logs"
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
	newFlowKeep, merge := p.NewFlowKeep(act)
	return func() func(*event.Event) bool { keep, _ := newFlowKeep(); return keep }, merge
}

// NewFlowKeep is NewKeep with, per worker, a first test of each flow-log
// tuple before its event is built (ingest.Options.NewFlowKeep): a tuple
// that cannot be kept (mayKeepFlowInWindow) is only tallied, so a
// flow-log load builds events only for tuples about the flow's addresses
// or from the client, inside the keep window (KeepWithin), yet tallies
// every tuple as Keep would.
func (p *Plan) NewFlowKeep(act *Activity) (newFlowKeep func() (func(*event.Event) bool, logsrc.FlowCheck), merge func()) {
	var mu sync.Mutex
	var parts []*Activity
	newFlowKeep = func() (func(*event.Event) bool, logsrc.FlowCheck) {
		if act == nil {
			return p.keepEvent, p.mayKeepFlowInWindow
		}
		part := NewActivity()
		mu.Lock()
		parts = append(parts, part)
		mu.Unlock()
		return p.Keep(part), func(f *logsrc.Flow) bool {
			if p.mayKeepFlowInWindow(f) {
				return true // its event goes to keep, which counts it
			}
			part.observe(f.Source, f.Emitter, f.Time, f.Direction, f.Src, f.Dst)
			return false
		}
	}
	merge = func() {
		mu.Lock()
		defer mu.Unlock()
		for _, part := range parts {
			act.add(part)
		}
		parts = nil
	}
	return newFlowKeep, merge
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

// mayKeepFlow is a necessary condition of keeps for a flow-log tuple,
// tested before its event is built: every flow-log event keeps admits
// carries one of the flow's addresses (relevant) or comes from the client
// (aboutClient). Keep it so when keeps changes; TestKeepGivesSameAnswers
// compares both ways of loading.
func (p *Plan) mayKeepFlow(f *logsrc.Flow) bool {
	return p.hasAddr(f.Src) || p.hasAddr(f.Dst) || f.Src.Unmap() == p.src
}
