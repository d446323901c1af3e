package explain

import (
	"net/netip"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// maxOwnIPs bounds the addresses remembered per flow-log emitter (a NIC
// has a handful of IP configurations at most).
const maxOwnIPs = 8

// Activity tallies every event a load reads, kept or not: per log family
// and emitter, how many events fell in each minute, and for flow-log
// emitters (NIC MACs) the NIC's own addresses (the source of an outbound
// tuple, the destination of an inbound one). It proves that a log was alive
// in a window (it logged other traffic) and maps a MAC to its NIC without
// storing unrelated events. Its size follows emitters × active minutes,
// not the number of events. Not safe for concurrent use: the store's
// loader calls Keep from one goroutine.
type Activity struct {
	newest   time.Time
	emitters map[emitterKey]*emitterActivity
	last     *emitterActivity
	lastKey  emitterKey
}

type emitterKey struct {
	source  event.Source
	emitter string
}

type emitterActivity struct {
	minutes map[int64]int64 // Unix minute → events
	// curMinute/curCount batch consecutive events of one minute before
	// they go into minutes (flush).
	curMinute int64
	curCount  int64
	own       []netip.Addr
}

// NewActivity returns an empty tally.
func NewActivity() *Activity {
	return &Activity{emitters: map[emitterKey]*emitterActivity{}}
}

// Observe counts e.
func (a *Activity) Observe(e *event.Event) {
	a.observe(e.Source, e.Emitter, e.Time, e.Direction, e.SrcIP, e.DstIP)
}

// observe counts an event of source and emitter at t, in direction dir
// between src and dst.
func (a *Activity) observe(source event.Source, emitter string, t time.Time, dir event.Direction, src, dst netip.Addr) {
	if t.After(a.newest) {
		a.newest = t
	}
	k := emitterKey{source, emitter}
	ea := a.last
	if ea == nil || k != a.lastKey {
		ea = a.emitter(k)
		a.last, a.lastKey = ea, k
	}
	m := t.Unix() / 60
	if m != ea.curMinute {
		ea.flush()
		ea.curMinute = m
	}
	ea.curCount++
	if isFlowLog(source) {
		if ip := ownAddrOf(dir, src, dst); ip.IsValid() && len(ea.own) < maxOwnIPs && (len(ea.own) == 0 || ea.own[len(ea.own)-1] != ip) && !containsAddr(ea.own, ip) {
			ea.own = append(ea.own, ip)
		}
	}
}

// emitter returns the tally of k, created empty when new.
func (a *Activity) emitter(k emitterKey) *emitterActivity {
	ea := a.emitters[k]
	if ea == nil {
		ea = &emitterActivity{minutes: map[int64]int64{}, curMinute: -1 << 62}
		a.emitters[k] = ea
	}
	return ea
}

func (ea *emitterActivity) flush() {
	if ea.curCount > 0 {
		ea.minutes[ea.curMinute] += ea.curCount
		ea.curCount = 0
	}
}

// Newest returns the newest event time observed, ok false when none.
func (a *Activity) Newest() (time.Time, bool) { return a.newest, !a.newest.IsZero() }

// count returns how many events of source and emitter fell in [since,
// until].
func (a *Activity) count(source event.Source, emitter string, since, until time.Time) int64 {
	ea := a.emitters[emitterKey{source, emitter}]
	if ea == nil {
		return 0
	}
	return ea.between(since, until)
}

// total returns how many events of any log fell in [since, until].
func (a *Activity) total(since, until time.Time) int64 {
	var n int64
	for _, ea := range a.emitters {
		n += ea.between(since, until)
	}
	return n
}

// between returns how many of the emitter's events fell in [since, until].
func (ea *emitterActivity) between(since, until time.Time) int64 {
	ea.flush()
	var n int64
	lo, hi := since.Unix()/60, until.Unix()/60
	for m, c := range ea.minutes {
		if m >= lo && m <= hi {
			n += c
		}
	}
	return n
}

// emittersOf returns the flow-log emitters whose own addresses include ip.
func (a *Activity) emittersOf(ip netip.Addr) []emitterKey {
	var out []emitterKey
	for k, ea := range a.emitters {
		if containsAddr(ea.own, ip) {
			out = append(out, k)
		}
	}
	return out
}

// ownAddr is the NIC's own address in a flow-log tuple: the source of an
// outbound tuple, the destination of an inbound one (docs/log-formats.md §9:
// directions are relative to the NIC that logged).
func ownAddr(e *event.Event) netip.Addr { return ownAddrOf(e.Direction, e.SrcIP, e.DstIP) }

func ownAddrOf(dir event.Direction, src, dst netip.Addr) netip.Addr {
	switch dir {
	case event.DirOut:
		return src
	case event.DirIn:
		return dst
	}
	return netip.Addr{}
}

func isFlowLog(s event.Source) bool { return s == event.SourceVNetFlow || s == event.SourceNSGFlow }

func containsAddr(list []netip.Addr, a netip.Addr) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

// Done ends the tally: what Observe batched is counted. After Done an
// Activity is only read, so explanations may share it concurrently (a
// long-running front end tallies its load once and explains many flows).
func (a *Activity) Done() {
	for _, ea := range a.emitters {
		ea.flush()
	}
	a.last = nil
}

// AtLeast records that source's emitter logged at least n events in the
// minute starting at minute: a count made elsewhere of every record the
// emitter wrote (a push-down's activity query, kql.Tally), which includes
// the events Observe counted from the same records, so the larger of the
// two is kept, never their sum.
func (a *Activity) AtLeast(source event.Source, emitter string, minute time.Time, n int64) {
	ea := a.emitter(emitterKey{source, emitter})
	ea.flush()
	a.last = nil
	m := minute.Unix() / 60
	if n > ea.minutes[m] {
		ea.minutes[m] = n
	}
}

// withKnown returns a's counts with known's as lower bounds (AtLeast), a
// new tally: a is left as it is (an Options.Activity may be shared).
func (a *Activity) withKnown(known *Activity) *Activity {
	out := NewActivity()
	out.add(a)
	for k, kb := range known.emitters {
		kb.flush()
		for m, n := range kb.minutes {
			out.AtLeast(k.source, k.emitter, time.Unix(m*60, 0), n)
		}
	}
	out.Done()
	return out
}
