package store

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"net/netip"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
)

// stdinKey is the origin key of stdin. Its content has no identity across
// runs, so it is never remembered in the sources table.
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

	base  map[string]int // records already in the store per origin key
	run   map[string]*keyState
	last  *keyState // cache: consecutive events usually share a key
	lastK string

	added, dupes int64
	details      map[[2]string]string // memo of one-entry detail JSON
}

// keyState tracks what this load accepted for one origin key. Events of one
// input arrive in record order, so a record index below the highest seen
// means a second copy of the same log (the same blob downloaded twice):
// its events are duplicates. Within the current record, a bitmap of tuple
// indexes catches repeats.
type keyState struct {
	base     int
	hiRecord int
	tuples   []uint64
	overflow map[int]bool
	events   int64
}

// NewLoader starts a load.
func (s *Store) NewLoader(ctx context.Context) (*Loader, error) {
	base := map[string]int{}
	rows, err := s.db.QueryContext(ctx, "SELECT origin_key, records FROM sources")
	if err != nil {
		return nil, fmt.Errorf("read loaded sources: %w", err)
	}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read loaded sources: %w", err)
		}
		base[k] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read loaded sources: %w", err)
	}
	conn, err := s.conn.Connect(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect loader: %w", err)
	}
	l := &Loader{s: s, conn: conn, base: base, run: map[string]*keyState{}, vals: make([]driver.Value, len(columns)), details: map[[2]string]string{}}
	if _, err := conn.(driver.ExecerContext).ExecContext(ctx, "BEGIN TRANSACTION", nil); err != nil {
		conn.Close()
		return nil, fmt.Errorf("begin load: %w", err)
	}
	app, err := duckdb.NewAppenderFromConn(conn, "", "events")
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("create appender: %w", err)
	}
	l.app = app
	return l, nil
}

// Added returns how many events were appended; Duplicates how many were
// left out because the store (or this load) already had them.
func (l *Loader) Added() int64      { return l.added }
func (l *Loader) Duplicates() int64 { return l.dupes }

// Add appends a batch of events. The batch may be reused after Add returns.
func (l *Loader) Add(batch []event.Event) error {
	for i := range batch {
		e := &batch[i]
		if !l.accept(e) {
			l.dupes++
			continue
		}
		l.fill(e)
		if err := l.app.AppendRow(l.vals...); err != nil {
			return fmt.Errorf("append event from %s record %d: %w", e.Origin.Key, e.Origin.Record, err)
		}
		l.added++
	}
	return nil
}

// accept decides whether e is new (see keyState).
func (l *Loader) accept(e *event.Event) bool {
	k := e.Origin.Key
	st := l.last
	if st == nil || k != l.lastK {
		st = l.run[k]
		if st == nil {
			b := 0
			if k != stdinKey {
				b = l.base[k]
			}
			st = &keyState{base: b, hiRecord: -1}
			l.run[k] = st
		}
		l.last, l.lastK = st, k
	}
	r, t := e.Origin.Record, e.Origin.Tuple
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

// str maps "" to NULL: no value to copy into DuckDB.
func str(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}

func (l *Loader) fill(e *event.Event) {
	v := l.vals
	v[0] = e.Time.UTC()
	v[1] = string(e.Source)
	v[2] = str(e.Category)
	v[3] = str(e.Emitter)
	v[4] = str(e.EmitterID)
	v[5] = str(e.Protocol)
	v[6], v[41], v[42] = addr(e.SrcIP)
	v[7] = int32(e.SrcPort)
	v[8], v[43], v[44] = addr(e.DstIP)
	v[9] = int32(e.DstPort)
	v[10] = nil
	if e.ICMPType != 0 {
		v[10] = int32(e.ICMPType)
	}
	v[11] = str(string(e.Direction))
	v[12] = string(e.Verdict)
	r := &e.Rule
	v[13], v[14], v[15], v[16] = str(r.Name), str(r.Raw), str(r.ACL), str(r.Policy)
	v[17], v[18], v[19], v[20] = str(r.RuleCollectionGroup), str(r.RuleCollection), str(r.Signature), str(r.ThreatIntel)
	v[21], v[22] = r.Default, str(r.Reason)
	v[23], v[24], v[25] = nil, nil, nil
	if e.NAT != nil {
		v[23] = str(e.NAT.Kind)
		if e.NAT.TranslatedIP.IsValid() {
			v[24] = e.NAT.TranslatedIP.String()
		}
		v[25] = int32(e.NAT.TranslatedPort)
	}
	v[26] = str(e.FlowState)
	v[27], v[28], v[29], v[30] = e.PacketsSent, e.BytesSent, e.PacketsRecv, e.BytesRecv
	v[31], v[32] = str(e.FQDN), str(e.URL)
	v[33] = nil
	if e.HTTPStatus != 0 {
		v[33] = int32(e.HTTPStatus)
	}
	v[34] = str(e.Caller)
	v[35], v[36] = e.Aggregate, e.Count
	v[37] = l.detail(e.Detail)
	v[38], v[39], v[40] = e.Origin.Key, int32(e.Origin.Record), int32(e.Origin.Tuple)
}

// addr returns the text and key columns of an address (NULLs when unset).
func addr(a netip.Addr) (driver.Value, driver.Value, driver.Value) {
	hi, lo, ok := filter.AddrKey(a)
	if !ok {
		return nil, nil, nil
	}
	return a.String(), hi, lo
}

// detail encodes the detail map as JSON, memoising the one-entry maps flow
// logs carry on every tuple (encryption status).
func (l *Loader) detail(m map[string]string) driver.Value {
	switch len(m) {
	case 0:
		return nil
	case 1:
		for k, v := range m {
			key := [2]string{k, v}
			if s, ok := l.details[key]; ok {
				return s
			}
			b, _ := json.Marshal(m)
			if len(l.details) < 4096 {
				l.details[key] = string(b)
			}
			return string(b)
		}
	}
	b, _ := json.Marshal(m) // map[string]string always marshals
	return string(b)
}

// Commit flushes the appender, records what each origin key now holds and
// commits the transaction.
func (l *Loader) Commit(ctx context.Context) error {
	if l.done {
		return fmt.Errorf("load already finished")
	}
	l.done = true
	defer l.conn.Close()
	if err := l.app.Close(); err != nil {
		l.rollback(ctx)
		return fmt.Errorf("flush events: %w", err)
	}
	ex := l.conn.(driver.ExecerContext)
	now := time.Now().UTC()
	for k, st := range l.run {
		if k == stdinKey || st.events == 0 {
			continue
		}
		recs := max(st.base, st.hiRecord+1)
		_, err := ex.ExecContext(ctx, `INSERT INTO sources VALUES (?, ?, ?, ?)
			ON CONFLICT (origin_key) DO UPDATE SET records = excluded.records, events = sources.events + excluded.events, loaded_at = excluded.loaded_at`,
			[]driver.NamedValue{{Ordinal: 1, Value: k}, {Ordinal: 2, Value: int32(recs)}, {Ordinal: 3, Value: st.events}, {Ordinal: 4, Value: now}})
		if err != nil {
			l.rollback(ctx)
			return fmt.Errorf("record loaded source %s: %w", k, err)
		}
	}
	if _, err := ex.ExecContext(ctx, "COMMIT", nil); err != nil {
		l.rollback(ctx)
		return fmt.Errorf("commit load: %w", err)
	}
	return nil
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
