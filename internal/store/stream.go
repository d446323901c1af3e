package store

import (
	"errors"
	"sync/atomic"
)

// The loader streams event_rows into DuckDB instead of using the row
// appender: its workers (worker.go) fill typed rows into batches of one
// DuckDB chunk (2048 rows) and hand full batches to one
// `INSERT INTO event_rows SELECT * FROM …` running on the loader's
// connection in its own goroutine. What the INSERT reads from depends on
// the build: an Arrow view over the batches laid out as columns
// (stream_arrow.go, the duckdb_arrow tag) or the table function
// pathproof_rows(id), which copies each batch value by value with typed
// setters (stream_udf.go). Either way no value is boxed in a
// driver.Value, no cgo call is made per row, and DuckDB's insert work
// overlaps the parsing. A few batches are in flight at most, so memory
// does not grow with the input.

// row is one event_rows row. It holds no pointer (the time is in
// microseconds since the Unix epoch, UTC), so batches of rows cost the
// garbage collector nothing to scan and copying them needs no write
// barrier.
type row struct {
	micros                                      int64
	src, dst                                    int64
	packetsSent, bytesSent, packetsRecv, bytesR int64
	count                                       int64
	shape, srcPort, dstPort                     int32
	extra, origin, record, tuple                int32
}

// inFlight is how many full batches may wait for the insert.
const inFlight = 4

// rowStream is the insert's side of one load.
type rowStream struct {
	full  chan []row // batches to insert; closed at the end of the load
	free  chan []row // batches to reuse
	abort atomic.Bool
}

var errAborted = errors.New("load aborted")

// next takes the next batch for the insert: ok is false at the end of the
// load, err set when the load was aborted.
func (st *rowStream) next() (b []row, ok bool, err error) {
	b, ok = <-st.full
	if st.abort.Load() {
		return nil, false, errAborted
	}
	return b, ok, nil
}

// reuse gives a batch the insert has copied back to the loader.
func (st *rowStream) reuse(b []row) {
	select {
	case st.free <- b[:0]:
	default:
	}
}

// streamID numbers loads, naming each load's stream for DuckDB.
var streamID atomic.Int64
