//go:build !duckdb_arrow

package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"sync"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// Without duckdb-go's Arrow interface (the duckdb_arrow build tag), the
// rows reach DuckDB through a table function, pathproof_rows(id), whose
// FillChunk copies each batch into DuckDB's chunk value by value with
// duckdb-go's typed setters (≈ 9 ns a value: the driver has no bulk write
// for a chunk). stream_arrow.go hands whole columns over instead.

// batchRows is how many rows a batch holds: one chunk, which FillChunk
// copies whole.
func batchRows() int { return chunkRows() }

// fillThreads is how many DuckDB threads may fill chunks at once.
var fillThreads = 2

// streams maps the table function's argument to its load.
var streams sync.Map // int64 → *rowStream

// insertQuery registers the load's stream and returns the INSERT that
// drains it and the function that unregisters it once the INSERT ended.
func (l *Loader) insertQuery(driver.Conn) (string, func(), error) {
	streams.Store(l.stID, l.st)
	id := l.stID
	return fmt.Sprintf("INSERT INTO event_rows SELECT * FROM pathproof_rows(%d)", id), func() { streams.Delete(id) }, nil
}

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
	b, ok, err := r.st.next()
	if err != nil {
		return err
	}
	if !ok {
		return c.SetSize(0)
	}
	set := func(e error) {
		if err == nil {
			err = e
		}
	}
	for i := range b.n {
		x := b.row(i)
		set(duckdb.SetChunkValue(c, 0, i, time.UnixMicro(x.micros).UTC()))
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
	set(c.SetSize(b.n))
	r.st.reuse(b)
	return err
}
