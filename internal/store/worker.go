package store

import (
	"net/netip"
	"time"
	"unsafe"

	"github.com/pathproof/pathproof/internal/event"
)

// A worker turns events into event_rows rows and hands full batches to
// the INSERT. Add uses one; NewWorker gives each parsing goroutine its own,
// so the per-event work (de-duplication, dictionary ids, the row) runs on
// both cores, on events still in the cache of the core that parsed them,
// instead of on one goroutine behind a hand-off. A worker keeps its own
// caches of the dictionaries' ids and reaches the shared dictionaries
// (under Loader.mu) only for what it has not seen; it holds the keyState
// of the origin key it is storing while it stores a run of that key's
// events.
type worker struct {
	l     *Loader
	batch *batch // being filled; nil until the worker has a row to add

	st  *keyState // held (locked) while a batch's run of key is stored
	key string

	idents map[shapeIdent]int32 // shapes by the identity of their strings
	recent [recentShapes]recentShape
	addrs  map[netip.Addr]int64 // non-IPv4 addresses' codes
	extras map[extraKey]int32
	detail detailMemo

	added, dupes int64
	newest       time.Time
}

// maxWorkerCache bounds each of a worker's caches; past it a cache starts
// again. 4096 (from 16,384) holds ≈ 3 MB less of IPv6 addresses at the
// same speed (the 14.5 M-tuple load, 4 alternating runs).
const maxWorkerCache = 1 << 12

// newWorker registers a worker with the load.
func (l *Loader) newWorker() *worker {
	w := &worker{l: l,
		idents: map[shapeIdent]int32{}, addrs: map[netip.Addr]int64{}, extras: map[extraKey]int32{}}
	l.mu.Lock()
	l.workers = append(l.workers, w)
	l.mu.Unlock()
	return w
}

// NewWorker returns a feed of the load for one parsing goroutine
// (logs.Options.NewEmit): it takes batches as Add does, and the feeds of
// different goroutines may run at the same time. Each batch may be reused
// after the call returns.
func (l *Loader) NewWorker() func([]event.Event) error {
	return l.newWorker().add
}

// add stores the new events of batch.
func (w *worker) add(batch []event.Event) error {
	l := w.l
	select {
	case <-l.insEnded:
		// The insert ended early; a batch it did not take may be full.
		return l.insFailure()
	default:
	}
	defer w.release()
	for i := range batch {
		e := &batch[i]
		if e.Time.After(w.newest) {
			w.newest = e.Time
		}
		if w.st == nil || e.Origin.Key != w.key {
			w.hold(e.Origin.Key)
		}
		if !w.st.accept(e.Origin.Record, e.Origin.Tuple) {
			w.dupes++
			continue
		}
		if l.Keep != nil && !l.Keep(e) {
			continue
		}
		var r row
		w.fill(&r, e, w.st.id)
		if w.batch == nil {
			w.batch = l.st.get()
		}
		w.batch.add(&r)
		w.added++
		if w.batch.full() {
			if err := w.send(); err != nil {
				return err
			}
		}
	}
	return nil
}

// hold takes the keyState of key k, letting go of the one held.
func (w *worker) hold(k string) {
	w.release()
	w.l.mu.Lock()
	st := w.l.state(k)
	w.l.mu.Unlock()
	st.mu.Lock()
	w.st, w.key = st, k
}

// release lets go of the keyState held, if any.
func (w *worker) release() {
	if w.st != nil {
		w.st.mu.Unlock()
		w.st, w.key = nil, ""
	}
}

// send hands the full batch to the insert; the next row takes an empty one.
func (w *worker) send() error {
	l := w.l
	select {
	case l.st.full <- w.batch:
	case <-l.insEnded:
		return l.insFailure()
	}
	w.batch = nil
	return nil
}

// flush hands the last, partly filled batch to the insert.
func (w *worker) flush() error {
	if w.batch == nil || w.batch.n == 0 {
		return nil
	}
	return w.send()
}

// fill sets the event_rows values of e: numbers and dictionary ids only.
func (w *worker) fill(r *row, e *event.Event, origin int32) {
	*r = row{
		micros: e.Time.UnixMicro(), shape: w.shapeOf(e, w.detail.detail(e.Detail)),
		src: w.addr(e.SrcIP), srcPort: int32(e.SrcPort), dst: w.addr(e.DstIP), dstPort: int32(e.DstPort),
		packetsSent: e.PacketsSent, bytesSent: e.BytesSent, packetsRecv: e.PacketsRecv, bytesR: e.BytesRecv,
		count: e.Count,
		extra: w.extra(e), origin: origin, record: int32(e.Origin.Record), tuple: int32(e.Origin.Tuple),
	}
}

// addr returns the event_rows value of an address (dicts.addr).
func (w *worker) addr(a netip.Addr) int64 {
	if !a.IsValid() || a.Is4() {
		return w.l.d.addrCode(a)
	}
	return cached(w, w.addrs, a, w.l.d.addr)
}

// extra returns the extras id of e, 0 when it has none.
func (w *worker) extra(e *event.Event) int32 {
	if e.FQDN == "" && e.URL == "" && e.Caller == "" && e.NAT == nil {
		return 0
	}
	k := extraKeyOf(e)
	if k == (extraKey{}) {
		return 0
	}
	return cached(w, w.extras, k, w.l.d.extra)
}

// cached returns k's value from the worker's cache m, asking the shared
// dictionaries (shared, under Loader.mu) when m has not seen k.
func cached[K comparable, V any](w *worker, m map[K]V, k K, shared func(K) V) V {
	if v, ok := m[k]; ok {
		return v
	}
	w.l.mu.Lock()
	v := shared(k)
	w.l.mu.Unlock()
	if len(m) >= maxWorkerCache {
		clear(m)
	}
	m[k] = v
	return v
}

// else by their content.
func (w *worker) shapeOf(e *event.Event, detail string) int32 {
	var k shapeIdent
	r := &e.Rule
	for i, s := range [identStrings]string{string(e.Source), e.Category, e.Emitter, e.EmitterID, e.Protocol, string(e.Direction),
		string(e.Verdict), e.FlowState, detail, r.Name, r.Raw, r.ACL, r.Policy, r.RuleCollectionGroup, r.RuleCollection,
		r.Signature, r.ThreatIntel, r.Reason} {
		if len(s) > 0 {
			k.ptr[i], k.n[i] = unsafe.Pointer(unsafe.StringData(s)), int32(len(s))
		}
	}
	k.icmpType, k.httpStatus = int32(e.ICMPType), int32(e.HTTPStatus)
	if r.Default {
		k.flags |= 1
	}
	if e.Aggregate {
		k.flags |= 2
	}
	slot := &w.recent[k.slot()]
	if slot.id != 0 && slot.key == k {
		return slot.id
	}
	if id, ok := w.idents[k]; ok {
		slot.key, slot.id = k, id
		return id
	}
	w.l.mu.Lock()
	id := w.l.d.shape(&shapeKey{source: e.Source, category: e.Category, emitter: e.Emitter, emitterID: e.EmitterID, protocol: e.Protocol,
		direction: e.Direction, verdict: e.Verdict, flowState: e.FlowState, rule: e.Rule, detail: detail,
		icmpType: k.icmpType, httpStatus: k.httpStatus, aggregate: e.Aggregate})
	w.l.mu.Unlock()
	if len(w.idents) >= maxWorkerCache {
		clear(w.idents)
	}
	w.idents[k] = id
	slot.key, slot.id = k, id
	return id
}

// identStrings is how many strings a shape holds: nine of the event's and
// nine of its rule's.
const identStrings = 18

// shapeIdent identifies a shape by the addresses of its strings rather than
// their bytes: the parsers hand the events of one record (and often of a
// whole log) the very same strings, so the key of a shape already seen is
// found without hashing every byte of it (an emitter id, a rule, a detail
// JSON: a few hundred bytes). Identical string headers are equal strings,
// and the map's unsafe.Pointers keep those strings alive and unchanged, so
// a hit is always right; a miss only means "look it up by content".
//
// The key has no padding and no field but pointers and integers, so the map
// hashes and compares it as one block of memory.
type shapeIdent struct {
	ptr                  [identStrings]unsafe.Pointer
	n                    [identStrings]int32
	icmpType, httpStatus int32
	flags                int64 // 1: the rule is a default rule; 2: aggregate
}

// recentShapes is the size of a worker's direct-mapped cache of shapes, in
// front of its identity map: an event's shape is usually one of the few
// its log record's events have, found by one comparison of the key instead
// of hashing it.
const recentShapes = 64

type recentShape struct {
	key shapeIdent
	id  int32
}

// slot picks k's entry in the recent cache from the addresses of the
// strings that tell a record's events apart (emitter, protocol, direction,
// verdict, flow state, rule name); one multiply spreads them.
func (k *shapeIdent) slot() int {
	p := &k.ptr
	h := uintptr(p[2]) ^ uintptr(p[4])<<1 ^ uintptr(p[5])<<2 ^ uintptr(p[6])<<3 ^ uintptr(p[7])<<4 ^ uintptr(p[9])<<5
	return int((h * 0x9E3779B97F4A7C15) >> 58)
}
