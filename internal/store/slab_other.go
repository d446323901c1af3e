//go:build !unix

package store

// #include <stdlib.h>
import "C"

import "unsafe"

// cAlloc returns size bytes of C memory (aligned for any type), outside
// the Go heap: the garbage collector neither scans nor counts it, and
// DuckDB may hold pointers into it without breaking cgo's rules.
func cAlloc(size int) []byte {
	p := C.malloc(C.size_t(size))
	if p == nil {
		panic("store: out of memory")
	}
	return unsafe.Slice((*byte)(p), size)
}

// cFree returns memory from cAlloc.
func cFree(b []byte) { C.free(unsafe.Pointer(unsafe.SliceData(b))) }
