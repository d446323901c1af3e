package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// The loader streams event_rows into DuckDB through a table function
// instead of the row appender: Add fills typed rows into a batch of one
// DuckDB chunk (2048 rows) and hands full batches to one
// `INSERT INTO event_rows SELECT * FROM pathproof_rows(id)` running on the
// loader's connection in its own goroutine, whose table function copies
// each batch into DuckDB's chunk with typed setters. Compared with
// Appender.AppendRow this boxes no value in a driver.Value, makes no cgo
// call per row, and overlaps DuckDB's insert work with the parsing and
// dictionary work of Add (two cores). A few batches are in flight at most,
// so memory does not grow with the input.

// row is one event_rows row.
type row struct {
	time                                        time.Time
	src, dst                                    int64
	packetsSent, bytesSent, packetsRecv, bytesR int64
	count                                       int64
	shape, srcPort, dstPort                     int32
	extra, origin, record, tuple                int32
}

// fillThreads is how many DuckDB threads may fill chunks at once.
var fillThreads = 2

// inFlight is how many full batches may wait for the insert.
const inFlight = 4

// rowStream is the table function's side of one load.
type rowStream struct {
	full  chan []row // batches to insert; closed at the end of the load
	free  chan []row // batches to reuse
	abort atomic.Bool
}

// streams maps the table function's argument to its load.
var (
	streams  sync.Map // int64 → *rowStream
	streamID atomic.Int64
)

var errAborted = errors.New("load aborted")

// registerRowsUDF registers pathproof_rows(id) on the database of conn.
func (s *Store) registerRowsUDF(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	type col struct {
		name string
		t    duckdb.Type
	}
	cols := []col{{"time", duckdb.TYPE_TIMESTAMP_TZ}, {"shape", duckdb.TYPE_INTEGER}, {"src", duckdb.TYPE_BIGINT}, {"src_port", duckdb.TYPE_INTEGER},
		{"dst", duckdb.TYPE_BIGINT}, {"dst_port", duckdb.TYPE_INTEGER}, {"packets_sent", duckdb.TYPE_BIGINT}, {"bytes_sent", duckdb.TYPE_BIGINT},
		{"packets_recv", duckdb.TYPE_BIGINT}, {"bytes_recv", duckdb.TYPE_BIGINT},
		{"count", duckdb.TYPE_BIGINT}, {"extra", duckdb.TYPE_INTEGER}, {"origin", duckdb.TYPE_INTEGER},
		{"origin_record", duckdb.TYPE_INTEGER}, {"origin_tuple", duckdb.TYPE_INTEGER}}
	infos := make([]duckdb.ColumnInfo, len(cols))
	for i, c := range cols {
		ti, err := duckdb.NewTypeInfo(c.t)
		if err != nil {
			return err
		}
		infos[i] = duckdb.ColumnInfo{Name: c.name, T: ti}
	}
	bigint, err := duckdb.NewTypeInfo(duckdb.TYPE_BIGINT)
	if err != nil {
		return err
	}
	return duckdb.RegisterTableUDF(conn, "pathproof_rows", duckdb.ParallelChunkTableFunction{
		Config: duckdb.TableFunctionConfig{Arguments: []duckdb.TypeInfo{bigint}},
		BindArguments: func(_ map[string]any, args ...any) (duckdb.ParallelChunkTableSource, error) {
			id, _ := args[0].(int64)
			st, ok := streams.Load(id)
			if !ok {
				return nil, fmt.Errorf("pathproof_rows(%d): no such load", id)
			}
			return &rowSource{st: st.(*rowStream), cols: infos}, nil
		},
	})
}

// rowSource is one scan of pathproof_rows.
type rowSource struct {
	st   *rowStream
	cols []duckdb.ColumnInfo
}

func (r *rowSource) ColumnInfos() []duckdb.ColumnInfo     { return r.cols }
func (r *rowSource) Cardinality() *duckdb.CardinalityInfo { return nil }
func (r *rowSource) NewLocalState() any                   { return new(int) }

// Init lets DuckDB fill chunks on up to fillThreads threads: each takes
// the next batch from the channel, so copying into DuckDB's vectors and
// DuckDB's insert work run beside each other.
func (r *rowSource) Init() duckdb.ParallelTableSourceInfo {
	return duckdb.ParallelTableSourceInfo{MaxThreads: fillThreads}
}

// FillChunk copies the next batch into chunk; an empty chunk ends the scan.
func (r *rowSource) FillChunk(_ any, c duckdb.DataChunk) error {
	b, ok := <-r.st.full
	if r.st.abort.Load() {
		return errAborted
	}
	if !ok {
		return c.SetSize(0)
	}
	var err error
	set := func(e error) {
		if err == nil {
			err = e
		}
	}
	for i := range b {
		x := &b[i]
		set(duckdb.SetChunkValue(c, 0, i, x.time))
		set(duckdb.SetChunkValue(c, 1, i, x.shape))
		set(duckdb.SetChunkValue(c, 2, i, x.src))
		set(duckdb.SetChunkValue(c, 3, i, x.srcPort))
		set(duckdb.SetChunkValue(c, 4, i, x.dst))
		set(duckdb.SetChunkValue(c, 5, i, x.dstPort))
		set(duckdb.SetChunkValue(c, 6, i, x.packetsSent))
		set(duckdb.SetChunkValue(c, 7, i, x.bytesSent))
		set(duckdb.SetChunkValue(c, 8, i, x.packetsRecv))
		set(duckdb.SetChunkValue(c, 9, i, x.bytesR))
		set(duckdb.SetChunkValue(c, 10, i, x.count))
		set(duckdb.SetChunkValue(c, 11, i, x.extra))
		set(duckdb.SetChunkValue(c, 12, i, x.origin))
		set(duckdb.SetChunkValue(c, 13, i, x.record))
		set(duckdb.SetChunkValue(c, 14, i, x.tuple))
	}
	set(c.SetSize(len(b)))
	select {
	case r.st.free <- b[:0]:
	default:
	}
	return err
}
