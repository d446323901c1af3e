//go:build !unix

package store

// #include <stdlib.h>
import "C"

import "unsafe"

// allocSlab returns size bytes of C memory (aligned for any type), outside
// the Go heap: the garbage collector neither scans nor counts it, and
// DuckDB may hold pointers into it without breaking cgo's rules.
func allocSlab(size int) []byte {
	p := C.malloc(C.size_t(size))
	if p == nil {
		panic("store: out of memory")
	}
	return unsafe.Slice((*byte)(p), size)
}

// freeSlab returns memory from allocSlab.
func freeSlab(b []byte) { C.free(unsafe.Pointer(unsafe.SliceData(b))) }
