package store

import (
	"context"
	"fmt"
	"time"

	"github.com/pathproof/pathproof/internal/filter"
)

// Bucket is one bar of a time histogram: the events passing a filter with
// Start <= time < End (the last bucket includes End).
type Bucket struct {
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	Events int64     `json:"events"`
}

// Histogram counts the events passing f in n equal time buckets between
// the oldest and the newest of them (n at least 1). No events: no buckets.
func (s *Store) Histogram(ctx context.Context, f *filter.Filter, n int) ([]Bucket, error) {
	if n < 1 {
		n = 1
	}
	where, args := f.SQL()
	var lo, hi time.Time
	var cnt int64
	row := s.db.QueryRowContext(ctx, "SELECT count(*), coalesce(min(time), TIMESTAMP '1970-01-01'), coalesce(max(time), TIMESTAMP '1970-01-01') FROM events WHERE "+where, args...)
	if err := row.Scan(&cnt, &lo, &hi); err != nil {
		return nil, fmt.Errorf("histogram bounds: %w", err)
	}
	if cnt == 0 {
		return []Bucket{}, nil
	}
	lo, hi = lo.UTC(), hi.UTC()
	width := hi.Sub(lo) / time.Duration(n)
	if width <= 0 {
		width, n = time.Second, 1
	}
	width = max(width, time.Microsecond)
	out := make([]Bucket, n)
	for i := range out {
		out[i] = Bucket{Start: lo.Add(time.Duration(i) * width), End: lo.Add(time.Duration(i+1) * width)}
	}
	out[n-1].End = hi
	// Bucket index in SQL: epoch microseconds from lo over the width,
	// clamped to the last bucket (the newest event sits on its end).
	q := "SELECT least(CAST(floor((epoch_us(time) - ?) / ?) AS BIGINT), ?) AS b, count(*) FROM events WHERE " + where + " GROUP BY b"
	qargs := append([]any{lo.UnixMicro(), width.Microseconds(), n - 1}, args...)
	rows, err := s.db.QueryContext(ctx, q, qargs...)
	if err != nil {
		return nil, fmt.Errorf("histogram: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var b, c int64
		if err := rows.Scan(&b, &c); err != nil {
			return nil, fmt.Errorf("histogram: %w", err)
		}
		if b >= 0 && b < int64(n) {
			out[b].Events += c
		}
	}
	return out, rows.Err()
}
