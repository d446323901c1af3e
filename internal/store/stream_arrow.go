//go:build duckdb_arrow

package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/duckdb/duckdb-go/v2"
)

// With duckdb-go's Arrow interface (the duckdb_arrow build tag), the rows
// reach DuckDB as Arrow record batches: each batch of rows is turned into
// one column array per event_rows column, laid out in one reused slab, and
// a registered Arrow view hands them to the INSERT, which DuckDB reads
// column by column without a per-value call. Against the table function of
// stream_udf.go this saves ≈ 10 % of a --db load's CPU (docs/PERFORMANCE.md,
// Persistent store).

// rowSchema is event_rows as Arrow columns, in the table's order.
var rowSchema = arrow.NewSchema([]arrow.Field{
	{Name: "time", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}},
	{Name: "shape", Type: arrow.PrimitiveTypes.Int32},
	{Name: "src", Type: arrow.PrimitiveTypes.Int64},
	{Name: "src_port", Type: arrow.PrimitiveTypes.Int32},
	{Name: "dst", Type: arrow.PrimitiveTypes.Int64},
	{Name: "dst_port", Type: arrow.PrimitiveTypes.Int32},
	{Name: "packets_sent", Type: arrow.PrimitiveTypes.Int64},
	{Name: "bytes_sent", Type: arrow.PrimitiveTypes.Int64},
	{Name: "packets_recv", Type: arrow.PrimitiveTypes.Int64},
	{Name: "bytes_recv", Type: arrow.PrimitiveTypes.Int64},
	{Name: "count", Type: arrow.PrimitiveTypes.Int64},
	{Name: "extra", Type: arrow.PrimitiveTypes.Int32},
	{Name: "origin", Type: arrow.PrimitiveTypes.Int32},
	{Name: "origin_record", Type: arrow.PrimitiveTypes.Int32},
	{Name: "origin_tuple", Type: arrow.PrimitiveTypes.Int32},
}, nil)

// registerRowsUDF has nothing to register: each load registers its own
// Arrow view (insertQuery).
func (s *Store) registerRowsUDF(context.Context) error { return nil }

// insertQuery registers the load's stream as an Arrow view on conn and
// returns the INSERT that drains it and the function that drops the view
// once the INSERT ended.
func (l *Loader) insertQuery(conn driver.Conn) (string, func(), error) {
	a, err := duckdb.NewArrowFromConn(conn)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("pathproof_rows_%d", l.stID)
	release, err := a.RegisterView(&arrowRows{st: l.st, slabs: newSlabPool()}, name)
	if err != nil {
		return "", nil, err
	}
	return "INSERT INTO event_rows SELECT * FROM " + name, release, nil
}

// arrowRows is the load's stream as an array.RecordReader. DuckDB calls
// Next from its scan threads one at a time.
type arrowRows struct {
	st    *rowStream
	slabs *slabPool
	cur   arrow.RecordBatch
	err   error
}

func (r *arrowRows) Retain()                        {}
func (r *arrowRows) Release()                       {}
func (r *arrowRows) Schema() *arrow.Schema          { return rowSchema }
func (r *arrowRows) RecordBatch() arrow.RecordBatch { return r.cur }

// Record is RecordBatch, for the interface's older callers.
func (r *arrowRows) Record() arrow.RecordBatch { return r.cur }
func (r *arrowRows) Err() error                { return r.err }

// Next turns the next batch of rows into a record batch.
func (r *arrowRows) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	b, ok, err := r.st.next()
	if err != nil {
		r.err = err
		return false
	}
	if !ok {
		return false
	}
	r.cur = r.columns(b)
	r.st.reuse(b)
	return true
}

// The slab layout of a batch of n rows: the eight 64-bit columns (time
// included), n values each, then the seven 32-bit ones.
const (
	cols64 = 8
	cols32 = 7
)

// slot is where each rowSchema column lies in a slab: the index of the
// 64-bit column, or of the 32-bit one when negative (-1 is the first).
var slot = [...]int{0, -1, 1, -2, 2, -3, 3, 4, 5, 6, 7, -4, -5, -6, -7}

// columns lays the rows out as columns in one slab and wraps them as a
// record batch. The slab goes back to the pool when DuckDB has released
// every array of the batch.
func (r *arrowRows) columns(b []row) arrow.RecordBatch {
	n := len(b)
	size64 := 8 * n * cols64
	slab := r.slabs.get(size64 + 4*n*cols32)
	w64 := unsafe.Slice((*int64)(unsafe.Pointer(unsafe.SliceData(slab))), n*cols64)
	w32 := unsafe.Slice((*int32)(unsafe.Pointer(unsafe.SliceData(slab[size64:]))), n*cols32)
	c64 := func(k int) []int64 { return w64[k*n : (k+1)*n] }
	c32 := func(k int) []int32 { return w32[k*n : (k+1)*n] }
	tm, src, dst, ps, bs, pr, br, cnt := c64(0), c64(1), c64(2), c64(3), c64(4), c64(5), c64(6), c64(7)
	shape, sp, dp, ex, og, rec, tup := c32(0), c32(1), c32(2), c32(3), c32(4), c32(5), c32(6)
	for i := range b {
		x := &b[i]
		tm[i], src[i], dst[i] = x.micros, x.src, x.dst
		ps[i], bs[i], pr[i], br[i], cnt[i] = x.packetsSent, x.bytesSent, x.packetsRecv, x.bytesR, x.count
		shape[i], sp[i], dp[i], ex[i], og[i], rec[i], tup[i] = x.shape, x.srcPort, x.dstPort, x.extra, x.origin, x.record, x.tuple
	}
	parent := memory.NewBufferWithAllocator(slab, r.slabs)
	defer parent.Release()
	cols := make([]arrow.Array, len(slot))
	for i, k := range slot {
		off, size := 8*n*k, 8*n
		if k < 0 {
			off, size = size64+4*n*(-k-1), 4*n
		}
		buf := memory.SliceBuffer(parent, off, size)
		d := array.NewData(rowSchema.Field(i).Type, n, []*memory.Buffer{nil, buf}, nil, 0, 0)
		cols[i] = array.MakeFromData(d)
		d.Release()
		buf.Release()
	}
	batch := array.NewRecordBatch(rowSchema, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return batch
}

// slabPool keeps the slabs of batches DuckDB has released, so a load
// reuses a few slabs instead of allocating one per batch. It is the
// memory.Allocator of the slabs' buffers: Free is called when the last
// array over a slab is released.
type slabPool struct{ free chan []byte }

func newSlabPool() *slabPool { return &slabPool{free: make(chan []byte, 2*inFlight+4)} }

// get returns a slab of size bytes (its content is overwritten).
func (p *slabPool) get(size int) []byte {
	select {
	case b := <-p.free:
		if cap(b) >= size {
			return b[:size]
		}
	default:
	}
	// 8-byte aligned: the 64-bit columns are read in place.
	w := make([]int64, (size+7)/8)
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(w))), size)
}

// Allocate is not used: every slab comes from get.
func (p *slabPool) Allocate(size int) []byte { return p.get(size) }

// Reallocate is not used: slabs are never resized.
func (p *slabPool) Reallocate(size int, b []byte) []byte {
	if cap(b) >= size {
		return b[:size]
	}
	nb := p.get(size)
	copy(nb, b)
	return nb
}

// Free returns a slab DuckDB no longer reads.
func (p *slabPool) Free(b []byte) {
	select {
	case p.free <- b[:cap(b)]:
	default:
	}
}
