package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/netip"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
)

// EmitterMinutes counts the events passing f per log family, emitter and
// minute in one grouped query, without reading them, and calls fn for
// each group: minute is the start of the UTC minute, n its events. It is
// what proves a log was alive in a window (explain's Activity, counted by
// the store that holds every event instead of by a one-shot load).
func (s *Store) EmitterMinutes(ctx context.Context, f *filter.Filter, fn func(source event.Source, emitter string, minute time.Time, n int64) error) error {
	where, args := f.SQL()
	rows, err := s.db.QueryContext(ctx, `SELECT source, coalesce(emitter, ''), epoch_ms(time) // 60000 AS m, count(*)
FROM events WHERE `+where+` GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`, args...)
	if err != nil {
		return fmt.Errorf("tally emitters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var src, em string
		var m, n int64
		if err := rows.Scan(&src, &em, &m, &n); err != nil {
			return fmt.Errorf("read emitter tally: %w", err)
		}
		if err := fn(event.Source(src), em, time.Unix(m*60, 0).UTC(), n); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EmitterAddrs calls fn for each emitter of the events passing f and each
// address on the emitter's own side of them: the source of its outbound
// events, the destination of its inbound ones (a flow log's directions
// are relative to the NIC that logs, so these are the NIC's addresses).
// Each emitter's addresses come in the order they first appear. Events
// without a direction are left out.
func (s *Store) EmitterAddrs(ctx context.Context, f *filter.Filter, fn func(source event.Source, emitter string, addr netip.Addr) error) error {
	where, args := f.SQL()
	rows, err := s.db.QueryContext(ctx, `SELECT source, coalesce(emitter, ''), own FROM (
	SELECT source, emitter, CASE direction WHEN 'out' THEN src_ip ELSE dst_ip END AS own,
		min(time) AS first, min(origin_key) AS okey
	FROM events WHERE (`+where+`) AND direction IN ('in', 'out')
	GROUP BY 1, 2, 3)
WHERE own IS NOT NULL ORDER BY source, emitter, first, okey, own`, args...)
	if err != nil {
		return fmt.Errorf("list emitter addresses: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var src, em string
		var own sql.NullString
		if err := rows.Scan(&src, &em, &own); err != nil {
			return fmt.Errorf("read emitter address: %w", err)
		}
		a, err := netip.ParseAddr(own.String)
		if err != nil {
			continue // the store wrote it from a netip.Addr: cannot happen
		}
		if err := fn(event.Source(src), em, a.Unmap()); err != nil {
			return err
		}
	}
	return rows.Err()
}
