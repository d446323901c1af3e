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
// one Arrow array over each of its columns, as the workers laid them out
// (stream.go), and a registered Arrow view hands them to the INSERT, which
// DuckDB reads column by column without a per-value call. Against the
// table function of stream_udf.go this saves ≈ 10 % of a --db load's CPU
// (docs/PERFORMANCE.md, Persistent store).

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
	rows := &arrowRows{st: l.st}
	release, err := a.RegisterView(rows, name)
	if err != nil {
		return "", nil, err
	}
	return "INSERT INTO event_rows SELECT * FROM " + name, func() {
		// DuckDB's Arrow scan registers a view in the database, inside
		// the load's transaction: committed, it would stay in the file,
		// pointing at this stream (a query of it crashed the process).
		// When the INSERT failed, the ROLLBACK removes it instead.
		_, _ = conn.(driver.ExecerContext).ExecContext(context.Background(), "DROP VIEW IF EXISTS "+name, nil)
		release()
		rows.done()
	}, nil
}

// arrowChunks is how many DuckDB chunks one batch holds on the Arrow path.
// DuckDB takes each batch through Next, a cgo callback into Go that must
// wait for a P of the Go scheduler while the two parsing workers hold
// both: with one chunk a batch the INSERT spent a third of its time in
// those waits (go tool trace, scheduling delay), the workers waited for
// the INSERT in turn, and the two cores were 17 % idle. With 16, Next is
// called 16 times less often: the 14.5 M-tuple load took 8.0 → 6.5 s wall
// and 13.4 → 11.5 CPU-s; with 4 and 8, 7.2 and 6.7 s; 32 was little faster
// for 3 MB more a batch (docs/PERFORMANCE.md, Persistent store).
const arrowChunks = 16

// batchRows is how many rows a batch holds.
func batchRows() int { return arrowChunks * chunkRows() }

// arrowRows is the load's stream as an array.RecordReader. DuckDB calls
// Next from its scan threads one at a time.
type arrowRows struct {
	st  *rowStream
	cur arrow.RecordBatch
	err error
}

func (r *arrowRows) Retain()                        {}
func (r *arrowRows) Release()                       {}
func (r *arrowRows) Schema() *arrow.Schema          { return rowSchema }
func (r *arrowRows) RecordBatch() arrow.RecordBatch { return r.cur }

// Record is RecordBatch, for the interface's older callers.
func (r *arrowRows) Record() arrow.RecordBatch { return r.cur }
func (r *arrowRows) Err() error                { return r.err }

// Next wraps the next batch as a record batch.
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
	r.cur = r.record(b)
	return true
}

// done lets go of the last record once the INSERT has ended: an INSERT
// that failed does not call Next again, and the record's batch would never
// come back.
func (r *arrowRows) done() {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
}

// columnOf is where each rowSchema column lies in a batch: the index of its
// 64-bit column, or of its 32-bit one when negative (-1 is the first).
var columnOf = [...]int{0, -1, 1, -2, 2, -3, 3, 4, 5, 6, 7, -4, -5, -6, -7}

// record wraps the columns of b as a record batch, without a copy. b goes
// back to the stream's free batches when DuckDB has released every array
// over it.
func (r *arrowRows) record(b *batch) arrow.RecordBatch {
	n := b.n
	parent := memory.NewBufferWithAllocator(b.slab, batchOwner{r.st, b})
	defer parent.Release()
	base := unsafe.Pointer(unsafe.SliceData(b.slab))
	cols := make([]arrow.Array, len(columnOf))
	for i, k := range columnOf {
		var off, size int
		if k >= 0 {
			off, size = int(uintptr(unsafe.Pointer(&b.c64[k][0]))-uintptr(base)), 8*n
		} else {
			off, size = int(uintptr(unsafe.Pointer(&b.c32[-k-1][0]))-uintptr(base)), 4*n
		}
		buf := memory.SliceBuffer(parent, off, size)
		d := array.NewData(rowSchema.Field(i).Type, n, []*memory.Buffer{nil, buf}, nil, 0, 0)
		cols[i] = array.MakeFromData(d)
		d.Release()
		buf.Release()
	}
	rec := array.NewRecordBatch(rowSchema, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// batchOwner is the memory.Allocator of a batch's slab: Free, called when
// the last array over the slab is released, gives the batch back to the
// stream. The slab is never allocated or resized through it.
type batchOwner struct {
	st *rowStream
	b  *batch
}

func (o batchOwner) Allocate(int) []byte { panic("store: batch slabs are not allocated by Arrow") }
func (o batchOwner) Reallocate(int, []byte) []byte {
	panic("store: batch slabs are not resized by Arrow")
}
func (o batchOwner) Free([]byte) { o.st.reuse(o.b) }
