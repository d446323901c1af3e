package store

import (
	"errors"
	"sync"
	"sync/atomic"
	"unsafe"
)

// The loader streams event_rows into DuckDB instead of using the row
// appender: its workers (worker.go) fill rows into column batches
// (batchRows: 32,768 rows on the Arrow path, one 2048-row DuckDB chunk for
// the table function) and hand full batches to one
// `INSERT INTO event_rows SELECT * FROM …` running on the loader's
// connection in its own goroutine. What the INSERT reads from depends on
// the build: an Arrow view over the batches' columns (stream_arrow.go, the
// duckdb_arrow tag) or the table function pathproof_rows(id), which copies
// each batch value by value with typed setters (stream_udf.go). Either way
// no value is boxed in a driver.Value, no cgo call is made per row, and
// DuckDB's insert work overlaps the parsing. A few batches are in flight
// at most, so memory does not grow with the input.

// row is one event_rows row as a worker fills it. It holds no pointer (the
// time is in microseconds since the Unix epoch, UTC).
type row struct {
	micros                                      int64
	src, dst                                    int64
	packetsSent, bytesSent, packetsRecv, bytesR int64
	count                                       int64
	shape, srcPort, dstPort                     int32
	extra, origin, record, tuple                int32
}

// The layout of a batch's slab: the eight 64-bit columns (time included),
// capacity values each, then the seven 32-bit ones.
const (
	cols64 = 8
	cols32 = 7
)

// batch is up to its capacity of rows laid out as event_rows' columns in
// one slab: the Arrow path hands the columns to DuckDB as they lie, with
// no copy (stream_arrow.go). The slab lies outside the Go heap while the
// load runs (slab.go): a load's few batches are megabytes, which on the Go
// heap would also raise the garbage collector's goal by half as much
// again (GOGC 50, loadGC).
type batch struct {
	slab    []byte
	offHeap bool // slab is from allocSlab, to free
	n       int
	c64     [cols64][]int64 // time, src, dst, packets_sent, bytes_sent, packets_recv, bytes_recv, count
	c32     [cols32][]int32 // shape, src_port, dst_port, extra, origin, origin_record, origin_tuple
}

// newBatch returns an empty batch of capacity rows, its slab from allocSlab
// when offHeap is set, else on the Go heap.
func newBatch(capacity int, offHeap bool) *batch {
	size := 8*capacity*cols64 + 4*capacity*cols32
	b := &batch{offHeap: offHeap}
	if offHeap {
		b.slab = allocSlab(size)
	} else {
		// 8-byte aligned: the 64-bit columns are read in place.
		w := make([]int64, (size+7)/8)
		b.slab = unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(w))), size)
	}
	base := unsafe.Pointer(unsafe.SliceData(b.slab))
	w64 := unsafe.Slice((*int64)(base), capacity*cols64)
	for k := range b.c64 {
		b.c64[k] = w64[k*capacity : (k+1)*capacity]
	}
	w32 := unsafe.Slice((*int32)(unsafe.Add(base, 8*capacity*cols64)), capacity*cols32)
	for k := range b.c32 {
		b.c32[k] = w32[k*capacity : (k+1)*capacity]
	}
	return b
}

// free gives back a slab from allocSlab; b is not used again.
func (b *batch) free() {
	if b.offHeap {
		freeSlab(b.slab)
		b.slab, b.offHeap = nil, false
	}
}

// capacity is how many rows b holds when full.
func (b *batch) capacity() int { return len(b.c64[0]) }

// full reports whether b holds its capacity of rows.
func (b *batch) full() bool { return b.n == b.capacity() }

// add appends r; b must not be full.
func (b *batch) add(r *row) {
	i := b.n
	b.c64[0][i], b.c64[1][i], b.c64[2][i] = r.micros, r.src, r.dst
	b.c64[3][i], b.c64[4][i], b.c64[5][i], b.c64[6][i], b.c64[7][i] = r.packetsSent, r.bytesSent, r.packetsRecv, r.bytesR, r.count
	b.c32[0][i], b.c32[1][i], b.c32[2][i], b.c32[3][i] = r.shape, r.srcPort, r.dstPort, r.extra
	b.c32[4][i], b.c32[5][i], b.c32[6][i] = r.origin, r.record, r.tuple
	b.n++
}

// row returns row i of b.
func (b *batch) row(i int) row {
	return row{
		micros: b.c64[0][i], src: b.c64[1][i], dst: b.c64[2][i],
		packetsSent: b.c64[3][i], bytesSent: b.c64[4][i], packetsRecv: b.c64[5][i], bytesR: b.c64[6][i], count: b.c64[7][i],
		shape: b.c32[0][i], srcPort: b.c32[1][i], dstPort: b.c32[2][i], extra: b.c32[3][i],
		origin: b.c32[4][i], record: b.c32[5][i], tuple: b.c32[6][i],
	}
}

// inFlight is how many full batches may wait for the insert. With the
// Arrow path's 3 MB batches a load holds inFlight + 3 of them (one per
// parsing worker being filled, one in DuckDB's single inserting thread);
// one waiting is as fast as two.
const inFlight = 1

// rowStream is the insert's side of one load.
type rowStream struct {
	full  chan *batch // batches to insert; closed at the end of the load
	rows  int         // the capacity of the stream's batches
	abort atomic.Bool

	mu     sync.Mutex
	free   []*batch // emptied batches, for the workers to fill again
	closed bool     // the insert ended: batches are freed as they return
}

// newRowStream returns the stream of a load whose batches hold rows rows.
func newRowStream(rows int) *rowStream {
	return &rowStream{full: make(chan *batch, inFlight), rows: rows}
}

var errAborted = errors.New("load aborted")

// next takes the next batch for the insert: ok is false at the end of the
// load, err set when the load was aborted.
func (st *rowStream) next() (b *batch, ok bool, err error) {
	b, ok = <-st.full
	if st.abort.Load() {
		if ok {
			st.reuse(b)
		}
		return nil, false, errAborted
	}
	return b, ok, nil
}

// get returns an empty batch: one the insert is done with, or a new one.
// A load holds a handful at most: one per worker being filled, inFlight
// queued and one per DuckDB thread being inserted.
func (st *rowStream) get() *batch {
	st.mu.Lock()
	defer st.mu.Unlock()
	if k := len(st.free); k > 0 {
		b := st.free[k-1]
		st.free = st.free[:k-1]
		return b
	}
	return newBatch(st.rows, !st.closed)
}

// reuse gives back a batch the insert no longer reads.
func (st *rowStream) reuse(b *batch) {
	b.n = 0
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed {
		b.free()
		return
	}
	st.free = append(st.free, b)
}

// close frees the batches given back, once the insert has ended; a batch
// given back later is freed then.
func (st *rowStream) close() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.closed = true
	for _, b := range st.free {
		b.free()
	}
	st.free = nil
}

// streamID numbers loads, naming each load's stream for DuckDB.
var streamID atomic.Int64
