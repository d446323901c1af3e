package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/pathproof/pathproof/internal/event"
)

// stdinKey is the origin key of stdin. Its content has no identity across
// runs, so its record count is never used to skip records on a later load.
const stdinKey = "-"

// maxTupleBitmap bounds the per-record tuple bitmap; tuple indexes beyond it
// (never seen in real logs) are de-duplicated with a map instead, so no
// allocation is sized from an unchecked field.
const maxTupleBitmap = 1 << 16

// Loader bulk-loads events with DuckDB's appender inside one transaction.
// Commit makes the load visible; Abort (or a failed Commit) leaves the store
// as it was. A Loader is not safe for concurrent use: feed it from one
// goroutine (logs.ReadAll calls emit from one goroutine).
type Loader struct {
	s    *Store
	conn driver.Conn
	app  *duckdb.Appender
	vals []driver.Value
	done bool

	d     *dicts
	base  map[string]int // records already in the store per origin key
	run   map[string]*keyState
	last  *keyState // cache: consecutive events usually share a key
	lastK string

	added, dupes, dropped int64
	newest                time.Time

	// Keep, when set, decides which new events are stored; the others are
	// counted as Dropped. A one-shot query over an in-memory store sets it
	// to its filter, so events it cannot return never reach DuckDB.
	Keep func(*event.Event) bool
}

// keyState tracks what this load accepted for one origin key. Events of one
// input arrive in record order, so a record index below the highest seen
// means a second copy of the same log (the same blob downloaded twice):
// its events are duplicates. Within the current record, a bitmap of tuple
// indexes catches repeats.
type keyState struct {
	id       int32
	base     int
	hiRecord int
	tuples   []uint64
	overflow map[int]bool
	events   int64
}

// NewLoader starts a load.
func (s *Store) NewLoader(ctx context.Context) (*Loader, error) {
	d, base, err := loadDicts(ctx, s.db)
	if err != nil {
		return nil, err
	}
	conn, err := s.conn.Connect(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect loader: %w", err)
	}
	l := &Loader{s: s, conn: conn, d: d, base: base, run: map[string]*keyState{}, vals: make([]driver.Value, 18)}
	if _, err := conn.(driver.ExecerContext).ExecContext(ctx, "BEGIN TRANSACTION", nil); err != nil {
		conn.Close()
		return nil, fmt.Errorf("begin load: %w", err)
	}
	app, err := duckdb.NewAppenderFromConn(conn, "", "event_rows")
	if err != nil {
		l.rollback(ctx)
		conn.Close()
		return nil, fmt.Errorf("create appender: %w", err)
	}
	l.app = app
	return l, nil
}

// Added returns how many events were appended.
func (l *Loader) Added() int64 { return l.added }

// Duplicates returns how many events were left out because the store (or
// this load) already had them.
func (l *Loader) Duplicates() int64 { return l.dupes }

// Dropped returns how many new events Keep turned away.
func (l *Loader) Dropped() int64 { return l.dropped }

// Newest returns the time of the newest event offered to this load (stored
// or not), zero when none was.
func (l *Loader) Newest() time.Time { return l.newest }

// Add appends a batch of events. The batch may be reused after Add returns.
func (l *Loader) Add(batch []event.Event) error {
	if l.done {
		return fmt.Errorf("load already finished")
	}
	for i := range batch {
		e := &batch[i]
		if e.Time.After(l.newest) {
			l.newest = e.Time
		}
		st := l.state(e.Origin.Key)
		if !st.accept(e.Origin.Record, e.Origin.Tuple) {
			l.dupes++
			continue
		}
		if l.Keep != nil && !l.Keep(e) {
			l.dropped++
			continue
		}
		l.fill(e, st.id)
		if err := l.app.AppendRow(l.vals...); err != nil {
			return fmt.Errorf("append event from %s record %d: %w", e.Origin.Key, e.Origin.Record, err)
		}
		l.added++
	}
	return nil
}

func (l *Loader) state(k string) *keyState {
	if l.last != nil && k == l.lastK {
		return l.last
	}
	st := l.run[k]
	if st == nil {
		id, ok := l.d.keys[k]
		if !ok {
			l.d.nextKey++
			id = l.d.nextKey
			l.d.keys[k] = id
		}
		b := 0
		if k != stdinKey {
			b = l.base[k]
		}
		st = &keyState{id: id, base: b, hiRecord: -1}
		l.run[k] = st
	}
	l.last, l.lastK = st, k
	return st
}

// accept decides whether the event at record r, tuple t is new.
func (st *keyState) accept(r, t int) bool {
	switch {
	case r < 0: // no record index: nothing to de-duplicate on
	case r < st.base || r < st.hiRecord:
		return false
	case r > st.hiRecord:
		st.hiRecord = r
		clear(st.tuples)
		st.overflow = nil
		st.mark(t)
	case st.seen(t):
		return false
	default:
		st.mark(t)
	}
	st.events++
	return true
}

func (st *keyState) seen(t int) bool {
	if t >= 0 && t < maxTupleBitmap {
		w := t / 64
		return w < len(st.tuples) && st.tuples[w]&(1<<(t%64)) != 0
	}
	return st.overflow[t]
}

func (st *keyState) mark(t int) {
	if t >= 0 && t < maxTupleBitmap {
		w := t / 64
		if w >= len(st.tuples) {
			st.tuples = append(st.tuples, make([]uint64, w+1-len(st.tuples))...)
		}
		st.tuples[w] |= 1 << (t % 64)
		return
	}
	if st.overflow == nil {
		st.overflow = map[int]bool{}
	}
	st.overflow[t] = true
}

// fill sets the event_rows values of e: numbers and dictionary ids only,
// so appending crosses into C once per chunk, not once per string.
func (l *Loader) fill(e *event.Event, origin int32) {
	k := shapeKey{source: e.Source, category: e.Category, emitter: e.Emitter, emitterID: e.EmitterID, protocol: e.Protocol,
		direction: e.Direction, verdict: e.Verdict, flowState: e.FlowState, rule: e.Rule, detail: l.d.detail(e.Detail)}
	v := l.vals
	v[0] = e.Time
	v[1] = l.d.shape(&k)
	v[2], v[3] = l.d.addr(e.SrcIP), int32(e.SrcPort)
	v[4], v[5] = l.d.addr(e.DstIP), int32(e.DstPort)
	v[6], v[7], v[8], v[9] = e.PacketsSent, e.BytesSent, e.PacketsRecv, e.BytesRecv
	v[10], v[11] = int32(e.ICMPType), int32(e.HTTPStatus)
	v[12], v[13] = e.Aggregate, e.Count
	v[14] = l.d.extra(e)
	v[15], v[16], v[17] = origin, int32(e.Origin.Record), int32(e.Origin.Tuple)
}

// Commit flushes the appender, writes the new dictionary rows, records what
// each origin key now holds and commits the transaction.
func (l *Loader) Commit(ctx context.Context) error {
	if l.done {
		return fmt.Errorf("load already finished")
	}
	l.done = true
	defer l.conn.Close()
	fail := func(what string, err error) error {
		l.rollback(ctx)
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := l.app.Close(); err != nil {
		return fail("flush events", err)
	}
	if err := l.d.write(l.conn); err != nil {
		return fail("write dictionaries", err)
	}
	ex := l.conn.(driver.ExecerContext)
	if err := l.writeSources(ctx, ex); err != nil {
		return fail("record loaded sources", err)
	}
	if _, err := ex.ExecContext(ctx, "COMMIT", nil); err != nil {
		return fail("commit load", err)
	}
	return nil
}

// writeSources records, per origin key of this load, how many records the
// store now holds, in one statement: a load of thousands of blobs must not
// pay one upsert each. The rows go through a temporary table filled by the
// appender.
func (l *Loader) writeSources(ctx context.Context, ex driver.ExecerContext) error {
	if len(l.run) == 0 {
		return nil
	}
	if _, err := ex.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE sources_stage AS SELECT * FROM sources LIMIT 0`, nil); err != nil {
		return err
	}
	app, err := duckdb.NewAppenderFromConn(l.conn, "", "sources_stage")
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	for k, st := range l.run {
		recs := max(st.base, st.hiRecord+1)
		if k == stdinKey {
			recs = 0
		}
		if err := app.AppendRow(st.id, k, int32(recs), st.events, now); err != nil {
			app.Close()
			return err
		}
	}
	if err := app.Close(); err != nil {
		return err
	}
	_, err = ex.ExecContext(ctx, `INSERT INTO sources SELECT * FROM sources_stage
		ON CONFLICT (id) DO UPDATE SET records = excluded.records, events = events + excluded.events, loaded_at = excluded.loaded_at`, nil)
	if err == nil {
		_, err = ex.ExecContext(ctx, `DROP TABLE sources_stage`, nil)
	}
	return err
}

// Abort discards the load.
func (l *Loader) Abort(ctx context.Context) {
	if l.done {
		return
	}
	l.done = true
	_ = l.app.Close()
	l.rollback(ctx)
	l.conn.Close()
}

func (l *Loader) rollback(ctx context.Context) {
	_, _ = l.conn.(driver.ExecerContext).ExecContext(ctx, "ROLLBACK", nil)
}
