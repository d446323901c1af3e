package store

import (
	"testing"
	"unsafe"
)

// testRow returns a row whose every field differs from the other rows'
// and from the other fields.
func testRow(i int) row {
	k := int64(i) * 100
	return row{
		micros: k + 1, src: k + 2, dst: k + 3, packetsSent: k + 4, bytesSent: k + 5, packetsRecv: k + 6, bytesR: k + 7, count: k + 8,
		shape: int32(k + 9), srcPort: int32(k + 10), dstPort: int32(k + 11), extra: int32(k + 12),
		origin: int32(k + 13), record: int32(k + 14), tuple: int32(k + 15),
	}
}

// TestBatchColumns checks that a batch gives back every row it was given,
// outside the Go heap (allocSlab) and on it, and that its columns do not
// overlap.
func TestBatchColumns(t *testing.T) {
	for _, offHeap := range []bool{true, false} {
		const capacity = 5
		b := newBatch(capacity, offHeap)
		if b.capacity() != capacity || b.full() {
			t.Fatalf("offHeap=%v: new batch: capacity %d, full %v", offHeap, b.capacity(), b.full())
		}
		for i := range capacity {
			r := testRow(i)
			b.add(&r)
		}
		if !b.full() {
			t.Errorf("offHeap=%v: batch of %d rows not full", offHeap, capacity)
		}
		for i := range capacity {
			if got, want := b.row(i), testRow(i); got != want {
				t.Errorf("offHeap=%v: row %d = %+v, want %+v", offHeap, i, got, want)
			}
		}
		// The slab holds the columns one after the other: time first,
		// origin_tuple last.
		last := b.c32[cols32-1]
		if &b.c64[0][0] != (*int64)(ptrOf(b.slab)) || uintptr(ptrOf(b.slab))+uintptr(len(b.slab)) != uintptr(ptrOf4(&last[len(last)-1]))+4 {
			t.Errorf("offHeap=%v: columns do not span the slab", offHeap)
		}
		b.free()
		if b.slab != nil && offHeap {
			t.Errorf("offHeap=%v: slab kept after free", offHeap)
		}
	}
}

// TestRowStreamReusesThenFrees checks that a load reuses the batches the
// insert gives back, and that once the insert ended its batches are
// freed: those given back before, and those given back after.
func TestRowStreamReusesThenFrees(t *testing.T) {
	st := newRowStream(4)
	a, b := st.get(), st.get()
	if a == b || !a.offHeap || !b.offHeap {
		t.Fatalf("get: two batches from allocSlab wanted, got %p (off heap %v), %p (off heap %v)", a, a.offHeap, b, b.offHeap)
	}
	r := testRow(1)
	a.add(&r)
	st.reuse(a)
	if got := st.get(); got != a || got.n != 0 {
		t.Fatalf("get after reuse = %p with %d rows, want the emptied %p", got, got.n, a)
	}
	st.reuse(a)
	st.close()
	if a.slab != nil || a.offHeap {
		t.Error("close kept a batch given back before it")
	}
	st.reuse(b)
	if b.slab != nil || b.offHeap {
		t.Error("a batch given back after close was not freed")
	}
	if c := st.get(); c.offHeap {
		t.Error("a batch made after close is from allocSlab, which nothing would free")
	}
}

func ptrOf(b []byte) unsafe.Pointer  { return unsafe.Pointer(unsafe.SliceData(b)) }
func ptrOf4(p *int32) unsafe.Pointer { return unsafe.Pointer(p) }
