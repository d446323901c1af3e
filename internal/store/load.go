package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strconv"
	"sync"
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

// Loader bulk-loads events inside one transaction: rows stream into one
// INSERT (stream.go), dictionary rows go through DuckDB's appender.
// Commit makes the load visible; Abort (or a failed Commit) leaves the store
// as it was. Add feeds it from one goroutine at a time; NewWorker gives
// each parsing goroutine its own feed (worker.go), which may run at the
// same time as the others. Add, the workers, SetInput and Commit must not
// overlap Commit or Abort.
type Loader struct {
	s    *Store
	conn driver.Conn
	done bool

	// The rows stream (stream.go): each worker fills a batch up to one
	// DuckDB chunk, then hands it to the INSERT running in its own
	// goroutine, which sets insErr and closes insEnded when it ends.
	st       *rowStream
	stID     int64
	insEnded chan struct{}
	insErr   error

	// mu guards d, run and workers (and the dictionaries' new rows).
	mu      sync.Mutex
	d       *dicts
	base    map[string]int // records already in the store per origin key
	run     map[string]*keyState
	workers []*worker
	serial  *worker // Add's

	// inputs are what SetInput said of this load's inputs.
	inputs map[string]InputState

	// Keep, when set, decides which new events are stored; the others are
	// left out. A one-shot query over an in-memory store sets it
	// to its filter, so events it cannot return never reach DuckDB. With
	// NewWorker feeds it is called from every feed's goroutine at once.
	Keep func(*event.Event) bool

	// Rescan, set before the first Add, reads inputs an earlier load of
	// this store already read: a second pass that stores events the
	// earlier load's Keep left out. Records already loaded are then not
	// skipped as copies, and the pass adds nothing to the per-source event
	// counts. Keep must refuse every event the earlier load stored, or it
	// is stored twice.
	Rescan bool
}

// keyState tracks what this load accepted for one origin key. Events of one
// input arrive in record order, so a record index below the highest seen
// means a second copy of the same log (the same blob downloaded twice):
// its events are duplicates. Within the current record, a bitmap of tuple
// indexes catches repeats.
//
// Workers that read two copies of one log at once take turns on its
// keyState: a worker holds mu while it stores a run of the key's events.
type keyState struct {
	mu       sync.Mutex
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
	l := &Loader{s: s, conn: conn, d: d, base: base, run: map[string]*keyState{}}
	ex := conn.(driver.ExecerContext)
	// Rows may land in any order (every query orders them), so DuckDB may
	// insert the chunks that its threads fill in parallel (an in-memory
	// load; a load into a file inserts on one thread, below). Reset after
	// the load (the setting is global).
	// A load into a file caps DuckDB's memory: the row groups it has
	// written to the file are evicted and the rest spills to its temp
	// directory, so memory stays flat however large the input. (An
	// in-memory store must keep everything, so it is not capped.) It also
	// inserts on one DuckDB thread: each inserting thread builds its own
	// row group (122,880 rows, 11 MB) in memory, and with two of them the
	// 40 MB cap spilled them to the temp directory and read them back
	// (zstd both ways, ≈ 10 % of the load's CPU). One thread keeps up
	// with the parsing on the other core now that it takes 32,768 rows a
	// call (arrowChunks): −15 % CPU, −20 MB and less wall time than two
	// (docs/PERFORMANCE.md, Persistent store).
	set := []string{"SET preserve_insertion_order = false"}
	if s.path != "" {
		set = append(set, "SET memory_limit = '"+loadMemoryLimit+"'", "SET disabled_compression_methods = 'rle'",
			"SET threads = 1")
	}
	for _, q := range set {
		if _, err := ex.ExecContext(ctx, q, nil); err != nil {
			l.resetSettings(ctx)
			conn.Close()
			return nil, fmt.Errorf("begin load: %w", err)
		}
	}
	if _, err := ex.ExecContext(ctx, "BEGIN TRANSACTION", nil); err != nil {
		l.resetSettings(ctx)
		conn.Close()
		return nil, fmt.Errorf("begin load: %w", err)
	}
	l.st = newRowStream(batchRows())
	l.stID = streamID.Add(1)
	l.insEnded = make(chan struct{})
	l.serial = l.newWorker()
	q, release, err := l.insertQuery(conn)
	if err != nil {
		l.rollback(ctx)
		conn.Close()
		return nil, fmt.Errorf("begin load: %w", err)
	}
	go func() {
		_, err := ex.ExecContext(context.WithoutCancel(ctx), q, nil)
		release()
		l.st.close()
		l.insErr = err
		close(l.insEnded)
	}()
	return l, nil
}

// chunkRows is the rows of one DuckDB chunk.
var chunkRows = sync.OnceValue(duckdb.GetDataChunkCapacity)

func (l *Loader) insFailure() error {
	if l.insErr != nil {
		return fmt.Errorf("insert events: %w", l.insErr)
	}
	return fmt.Errorf("insert events: ended early")
}

// finishInsert ends the stream (aborting it when abort is set) and waits
// for the insert's outcome. The workers must be done: the batches the
// insert did not take (an aborted or failed load) are freed.
func (l *Loader) finishInsert(abort bool) error {
	if abort {
		l.st.abort.Store(true)
	}
	close(l.st.full)
	<-l.insEnded
	for b := range l.st.full {
		b.free()
	}
	for _, w := range l.workers {
		if w.batch != nil {
			w.batch.free()
			w.batch = nil
		}
	}
	return l.insErr
}

// InputState identifies the content of one input as listed: a file's size
// and modification time, a blob's size and ETag.
type InputState struct {
	Size    int64
	Version string
}

// SetInput tells the load what the input of origin key k is; Commit keeps
// it beside the records loaded from k, for Store.InputStates. An input
// whose Version is "" is not recorded (it is read again next time).
func (l *Loader) SetInput(k string, s InputState) {
	if s.Version == "" || k == stdinKey {
		return
	}
	if l.inputs == nil {
		l.inputs = map[string]InputState{}
	}
	l.inputs[k] = s
}

// InputStates returns, per origin key, the content a previous load read
// whole (see Loader.SetInput): an input listed again with the same state
// holds nothing new.
func (s *Store) InputStates(ctx context.Context) (map[string]InputState, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT origin_key, size, version FROM sources WHERE size IS NOT NULL AND version IS NOT NULL")
	if err != nil {
		return nil, fmt.Errorf("read loaded inputs: %w", err)
	}
	defer rows.Close()
	out := map[string]InputState{}
	for rows.Next() {
		var k string
		var st InputState
		if err := rows.Scan(&k, &st.Size, &st.Version); err != nil {
			return nil, fmt.Errorf("read loaded inputs: %w", err)
		}
		out[k] = st
	}
	return out, rows.Err()
}

// Added returns how many events were appended.
func (l *Loader) Added() int64 { return l.total(func(w *worker) int64 { return w.added }) }

// Duplicates returns how many events were left out because the store (or
// this load) already had them.
func (l *Loader) Duplicates() int64 { return l.total(func(w *worker) int64 { return w.dupes }) }

// total sums a count over the load's workers.
func (l *Loader) total(count func(*worker) int64) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	var n int64
	for _, w := range l.workers {
		n += count(w)
	}
	return n
}

// Newest returns the time of the newest event offered to this load (stored
// or not), zero when none was.
func (l *Loader) Newest() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	var t time.Time
	for _, w := range l.workers {
		if w.newest.After(t) {
			t = w.newest
		}
	}
	return t
}

// Add appends a batch of events. The batch may be reused after Add returns.
func (l *Loader) Add(batch []event.Event) error {
	if l.done {
		return fmt.Errorf("load already finished")
	}
	return l.serial.add(batch)
}

// state returns the keyState of origin key k, made on first use. l.mu must
// be held.
func (l *Loader) state(k string) *keyState {
	st := l.run[k]
	if st == nil {
		id, ok := l.d.keys[k]
		if !ok {
			l.d.nextKey++
			id = l.d.nextKey
			l.d.keys[k] = id
		}
		b := 0
		if k != stdinKey && !l.Rescan {
			b = l.base[k]
		}
		st = &keyState{id: id, base: b, hiRecord: -1}
		l.run[k] = st
	}
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

// Commit ends the rows stream and waits for its insert, writes the new dictionary rows, records what
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
	for _, w := range l.workers {
		if err := w.flush(); err != nil {
			l.finishInsert(true)
			return fail("flush events", err)
		}
	}
	if err := l.finishInsert(false); err != nil {
		return fail("insert events", err)
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
	l.resetSettings(ctx)
	return nil
}

// resetSettings undoes the load's settings.
func (l *Loader) resetSettings(ctx context.Context) {
	ctx = context.WithoutCancel(ctx)
	ex := l.conn.(driver.ExecerContext)
	_, _ = ex.ExecContext(ctx, "RESET preserve_insertion_order", nil)
	_, _ = ex.ExecContext(ctx, "RESET disabled_compression_methods", nil)
	// RESET memory_limit changes the setting but not the buffer manager's
	// limit (DuckDB 1.5: queries after a load stayed capped at the load's
	// limit), so the limit the store opened with is set again instead.
	if l.s.path != "" {
		_, _ = ex.ExecContext(ctx, "SET memory_limit = '"+l.s.memoryLimit+"'", nil)
		_, _ = ex.ExecContext(ctx, "SET threads = "+strconv.Itoa(l.s.threads), nil)
	}
}

// loadMemoryLimit is DuckDB's memory_limit while loading into a file. 64
// MB costs no CPU against 128 MB and holds ≈ 60 MB less; 40 MB holds ≈ 20
// MB less again (a 100 M-tuple load: 195 against 211–218 MiB) at no more
// CPU, where 32 MB cost ≈ 15 % more; measured in docs/PERFORMANCE.md,
// Persistent store.
const loadMemoryLimit = "40MB"

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
		recs := max(st.base, st.hiRecord+1, l.base[k])
		if k == stdinKey {
			recs = 0
		}
		events := st.events
		if l.Rescan {
			events = 0 // counted by the load that read them first
		}
		var size, version driver.Value // NULL: unknown, read it again next time
		if in, ok := l.inputs[k]; ok {
			size, version = in.Size, in.Version
		}
		if err := app.AppendRow(st.id, k, int32(recs), events, now, size, version); err != nil {
			app.Close()
			return err
		}
	}
	if err := app.Close(); err != nil {
		return err
	}
	_, err = ex.ExecContext(ctx, `INSERT INTO sources SELECT * FROM sources_stage
		ON CONFLICT (id) DO UPDATE SET records = excluded.records, events = events + excluded.events, loaded_at = excluded.loaded_at,
			size = excluded.size, version = excluded.version`, nil)
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
	_ = l.finishInsert(true)
	l.rollback(ctx)
	l.conn.Close()
}

// rollback discards the transaction and sets back the load's settings,
// even when ctx is cancelled (duckdb-go runs nothing on a cancelled
// context, and the store would stay on one thread and a 40 MB cap).
func (l *Loader) rollback(ctx context.Context) {
	ctx = context.WithoutCancel(ctx)
	_, _ = l.conn.(driver.ExecerContext).ExecContext(ctx, "ROLLBACK", nil)
	l.resetSettings(ctx)
}
