//go:build duckdb_arrow

package store

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
)

// TestArrowRecordIsTheBatch checks that the record batch handed to DuckDB
// holds the batch's rows column by column, in rowSchema's order, over the
// batch's own memory, and that the batch goes back to the stream once the
// record is released.
func TestArrowRecordIsTheBatch(t *testing.T) {
	st := newRowStream(8)
	b := st.get()
	const n = 3 // fewer rows than the capacity: the last batch of a load
	for i := range n {
		r := testRow(i)
		b.add(&r)
	}
	st.full <- b
	close(st.full)
	r := &arrowRows{st: st}
	if !r.Next() {
		t.Fatalf("Next: false, err %v", r.Err())
	}
	rec := r.RecordBatch()
	if rec.NumRows() != n || rec.NumCols() != int64(len(columnOf)) {
		t.Fatalf("record: %d rows, %d columns; want %d, %d", rec.NumRows(), rec.NumCols(), n, len(columnOf))
	}
	for i := range n {
		want := testRow(i)
		wantCols := []int64{want.micros, int64(want.shape), want.src, int64(want.srcPort), want.dst, int64(want.dstPort),
			want.packetsSent, want.bytesSent, want.packetsRecv, want.bytesR, want.count,
			int64(want.extra), int64(want.origin), int64(want.record), int64(want.tuple)}
		for c, w := range wantCols {
			var got int64
			switch a := rec.Column(c).(type) {
			case *array.Timestamp:
				got = int64(a.Value(i))
			case *array.Int64:
				got = a.Value(i)
			case *array.Int32:
				got = int64(a.Value(i))
			default:
				t.Fatalf("column %d: unexpected %T", c, a)
			}
			if got != w {
				t.Errorf("row %d, column %s = %d, want %d", i, rowSchema.Field(c).Name, got, w)
			}
		}
	}
	if p := rec.Column(0).Data().Buffers()[1].Bytes(); &p[0] != &b.slab[0] {
		t.Error("the time column is a copy, not the batch's memory")
	}
	if got := st.get(); got == b {
		t.Fatal("the batch came back while its record was held")
	} else {
		st.reuse(got)
	}
	if r.Next() {
		t.Fatal("Next after the last batch: true")
	}
	st.mu.Lock()
	back := false
	for _, f := range st.free {
		back = back || f == b
	}
	st.mu.Unlock()
	if !back {
		t.Error("the batch did not come back once its record was released")
	}
	st.close()
}

// TestArrowRecordComesBackWhenInsertFails checks that the batch of the last
// record goes back to the stream when the INSERT ends without asking for
// another (it failed), so its memory is not kept for good.
func TestArrowRecordComesBackWhenInsertFails(t *testing.T) {
	st := newRowStream(8)
	b := st.get()
	r0 := testRow(0)
	b.add(&r0)
	st.full <- b
	r := &arrowRows{st: st}
	if !r.Next() {
		t.Fatalf("Next: false, err %v", r.Err())
	}
	r.done()
	st.mu.Lock()
	back := len(st.free) == 1 && st.free[0] == b
	st.mu.Unlock()
	if !back {
		t.Error("the last record's batch did not come back after done")
	}
	r.done() // a second call finds nothing to release
	st.close()
}
