package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
)

// Newest returns the time of the newest event, ok false when the store is
// empty. Relative --since/--until count back from it.
func (s *Store) Newest(ctx context.Context) (t time.Time, ok bool, err error) {
	var nt sql.NullTime
	if err := s.db.QueryRowContext(ctx, "SELECT max(time) FROM events").Scan(&nt); err != nil {
		return time.Time{}, false, fmt.Errorf("find newest event: %w", err)
	}
	return nt.Time.UTC(), nt.Valid, nil
}

// Count returns how many events pass f.
func (s *Store) Count(ctx context.Context, f *filter.Filter) (int64, error) {
	where, args := f.SQL()
	var n int64
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM events WHERE "+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count events: %w", err)
	}
	return n, nil
}

// Events returns the events passing f in time order (then by origin), at
// most limit of them (0: all).
func (s *Store) Events(ctx context.Context, f *filter.Filter, limit int) ([]event.Event, error) {
	return s.EventsPage(ctx, f, 0, limit)
}

// EventsPage is Events after skipping the first offset events: one page of
// a long list, read from the store, never the whole list.
func (s *Store) EventsPage(ctx context.Context, f *filter.Filter, offset, limit int) ([]event.Event, error) {
	where, args := f.SQL()
	q := "SELECT " + strings.Join(eventColumns, ", ") + " FROM events WHERE " + where +
		" ORDER BY time, origin_key, origin_record, origin_tuple"
	if limit > 0 {
		q += " LIMIT ?"
		args = append(args, limit)
	}
	if offset > 0 {
		q += " OFFSET ?"
		args = append(args, offset)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("query events: %w", err)
	}
	defer rows.Close()
	var out []event.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("read event: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	return out, nil
}

// scanEvent reads one row of the first 41 columns back into an event.
func scanEvent(rows *sql.Rows) (event.Event, error) {
	var (
		e                                             event.Event
		category, emitter, emitterID, proto           sql.NullString
		srcIP, dstIP, dir, rName, rRaw, rACL, rPolicy sql.NullString
		rRCG, rRC, rSig, rTI, rReason                 sql.NullString
		natKind, natIP, flowState, fqdn, url, caller  sql.NullString
		detail                                        sql.NullString
		icmp, natPort, httpStatus                     sql.NullInt32
		srcPort, dstPort, rec, tup                    int32
		source, verdict                               string
	)
	err := rows.Scan(&e.Time, &source, &category, &emitter, &emitterID, &proto,
		&srcIP, &srcPort, &dstIP, &dstPort, &icmp, &dir, &verdict,
		&rName, &rRaw, &rACL, &rPolicy, &rRCG, &rRC, &rSig, &rTI, &e.Rule.Default, &rReason,
		&natKind, &natIP, &natPort, &flowState,
		&e.PacketsSent, &e.BytesSent, &e.PacketsRecv, &e.BytesRecv,
		&fqdn, &url, &httpStatus, &caller, &e.Aggregate, &e.Count, &detail,
		&e.Origin.Key, &rec, &tup)
	if err != nil {
		return e, err
	}
	e.Time = e.Time.UTC()
	e.Source, e.Verdict = event.Source(source), event.Verdict(verdict)
	e.Category, e.Emitter, e.EmitterID, e.Protocol = category.String, emitter.String, emitterID.String, proto.String
	e.SrcIP, _ = netip.ParseAddr(srcIP.String)
	e.DstIP, _ = netip.ParseAddr(dstIP.String)
	e.SrcPort, e.DstPort = uint16(srcPort), uint16(dstPort)
	e.ICMPType = int(icmp.Int32)
	e.Direction = event.Direction(dir.String)
	e.Rule.Name, e.Rule.Raw, e.Rule.ACL, e.Rule.Policy = rName.String, rRaw.String, rACL.String, rPolicy.String
	e.Rule.RuleCollectionGroup, e.Rule.RuleCollection = rRCG.String, rRC.String
	e.Rule.Signature, e.Rule.ThreatIntel, e.Rule.Reason = rSig.String, rTI.String, rReason.String
	if natKind.Valid {
		e.NAT = &event.NAT{Kind: natKind.String, TranslatedPort: uint16(natPort.Int32)}
		e.NAT.TranslatedIP, _ = netip.ParseAddr(natIP.String)
	}
	e.FlowState, e.FQDN, e.URL, e.Caller = flowState.String, fqdn.String, url.String, caller.String
	e.HTTPStatus = int(httpStatus.Int32)
	if detail.Valid {
		if err := json.Unmarshal([]byte(detail.String), &e.Detail); err != nil {
			return e, fmt.Errorf("detail of %s record %d: %w", e.Origin.Key, rec, err)
		}
	}
	e.Origin.Record, e.Origin.Tuple = int(rec), int(tup)
	return e, nil
}

// Result is the outcome of a raw SQL query: column names and rows of Go
// values as the driver returns them.
type Result struct {
	Columns []string
	Rows    [][]any
}

// Query runs a user's SQL statement against the store and returns every
// row. It is the `pathproof sql` escape hatch: the statement is the user's
// own, run on their own database.
func (s *Store) Query(ctx context.Context, q string) (*Result, error) {
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	res := &Result{Columns: cols}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		res.Rows = append(res.Rows, vals)
	}
	return res, rows.Err()
}
