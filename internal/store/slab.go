//go:build unix

package store

import "syscall"

// allocSlab returns size bytes of memory outside the Go heap, mapped from the
// kernel: the garbage collector neither scans nor counts it, DuckDB may
// hold pointers into it without breaking cgo's rules, and freeSlab gives it
// back to the kernel at once. (From C's malloc, the batches of each
// 1 GiB part of a load went back to glibc's heap, among DuckDB's own
// allocations: a 100 M-tuple --db ingest peaked at 206–211 MiB, against
// 199–201 MiB with mapped batches.)
func allocSlab(size int) []byte {
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		panic("store: map a batch: " + err.Error())
	}
	return b
}

// freeSlab returns memory from allocSlab.
func freeSlab(b []byte) { _ = syscall.Munmap(b) }
