package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/netip"
	"reflect"
	"unsafe"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
)

// shapeKey is every low-cardinality string fact of an event: one shapes
// row. Flow-log tuples of one NIC, rule and state share a shape.
type shapeKey struct {
	source    event.Source
	category  string
	emitter   string
	emitterID string
	protocol  string
	direction event.Direction
	verdict   event.Verdict
	flowState string
	rule      event.Rule
	detail    string // JSON, "" when none

	icmpType, httpStatus int32
	aggregate            bool
}

// extraKey is the rarer, per-request strings: one extras row.
type extraKey struct {
	fqdn, url, caller, natKind string
	natIP                      netip.Addr
	natPort                    uint16
}

// dicts interns the strings of events into integer ids, remembering which
// ids are new in this load. Id 0 means "none" for addresses and extras.
// The loader's workers look ids up here (under Loader.mu) only for what
// their own caches have not seen (worker.go).
type dicts struct {
	shapes    map[shapeKey]int32
	newShapes []shapeKey
	addrs     map[netip.Addr]int32
	newAddrs  []netip.Addr
	extras    map[extraKey]int32
	newExtras []extraKey
	keys      map[string]int32 // origin key → sources.id
	nextKey   int32
}

// shape returns the id of k, adding it when new.
func (d *dicts) shape(k *shapeKey) int32 {
	id, ok := d.shapes[*k]
	if !ok {
		id = int32(len(d.shapes) + 1)
		d.shapes[*k] = id
		d.newShapes = append(d.newShapes, *k)
	}
	return id
}

// addr returns the event_rows value of an address: 0 for none, the IPv4
// address + 1, or -id of its addrs row for any other address.
func (d *dicts) addr(a netip.Addr) int64 {
	if !a.IsValid() || a.Is4() {
		return d.addrCode(a)
	}
	id, ok := d.addrs[a]
	if !ok {
		id = int32(len(d.addrs) + 1)
		d.addrs[a] = id
		d.newAddrs = append(d.newAddrs, a)
	}
	return -int64(id)
}

// addrCode is addr for the addresses kept in the row: 0 for none, the
// IPv4 address + 1 (no dictionary).
func (*dicts) addrCode(a netip.Addr) int64 {
	if !a.IsValid() {
		return 0
	}
	b := a.As4()
	return int64(binary.BigEndian.Uint32(b[:])) + 1
}

// extraKeyOf returns e's extras key; the zero key means none.
func extraKeyOf(e *event.Event) extraKey {
	k := extraKey{fqdn: e.FQDN, url: e.URL, caller: e.Caller}
	if e.NAT != nil {
		k.natKind, k.natIP, k.natPort = e.NAT.Kind, e.NAT.TranslatedIP, e.NAT.TranslatedPort
	}
	return k
}

// extra returns the id of the extras row k (not the zero key).
func (d *dicts) extra(k extraKey) int32 {
	id, ok := d.extras[k]
	if !ok {
		id = int32(len(d.extras) + 1)
		d.extras[k] = id
		d.newExtras = append(d.newExtras, k)
	}
	return id
}

// detailKey is the content of a small detail map, pairs sorted by key: a
// comparable memo key, so the JSON of the few distinct detail maps of a
// load is built once, not once per event.
type detailKey [2 * maxMemoDetail]string

// maxMemoDetail is the largest detail map memoised (flow logs carry three
// entries: encryption, flow log id, target).
const maxMemoDetail = 4

// detailMemo encodes detail maps as JSON, memoised by content (one per
// worker).
type detailMemo struct {
	byContent map[detailKey]string
	lastPtr   unsafe.Pointer
	last      string
}

// detail encodes the detail map as JSON, memoised by content.
func (d *detailMemo) detail(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	// Parsers often share one map among the tuples of a record.
	p := reflect.ValueOf(m).UnsafePointer()
	if p == d.lastPtr {
		return d.last
	}
	var s string
	if len(m) <= maxMemoDetail {
		var k detailKey
		n := 0
		for key, v := range m {
			k[2*n], k[2*n+1] = key, v
			n++
		}
		for i := 1; i < n; i++ { // insertion sort of at most four pairs
			for j := i; j > 0 && k[2*j] < k[2*j-2]; j-- {
				k[2*j], k[2*j-2] = k[2*j-2], k[2*j]
				k[2*j+1], k[2*j-1] = k[2*j-1], k[2*j+1]
			}
		}
		var ok bool
		if s, ok = d.byContent[k]; !ok {
			b, _ := json.Marshal(m) // a map[string]string always marshals
			s = string(b)
			if d.byContent == nil {
				d.byContent = map[detailKey]string{}
			}
			if len(d.byContent) < 4096 {
				d.byContent[k] = s
			}
		}
	} else {
		b, _ := json.Marshal(m)
		s = string(b)
	}
	d.lastPtr, d.last = p, s
	return s
}

// loadDicts reads the dictionaries already in the store.
func loadDicts(ctx context.Context, db *sql.DB) (*dicts, map[string]int, error) {
	d := &dicts{shapes: map[shapeKey]int32{}, addrs: map[netip.Addr]int32{}, extras: map[extraKey]int32{}, keys: map[string]int32{}}
	base := map[string]int{}
	q := func(query string, scan func(*sql.Rows) error) error {
		rows, err := db.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	err := q(`SELECT id, source, coalesce(category, ''), coalesce(emitter, ''), coalesce(emitter_id, ''), coalesce(protocol, ''),
		coalesce(direction, ''), verdict, coalesce(flow_state, ''), coalesce(rule_name, ''), coalesce(rule_raw, ''), coalesce(rule_acl, ''),
		coalesce(rule_policy, ''), coalesce(rule_collection_group, ''), coalesce(rule_collection, ''), coalesce(rule_signature, ''),
		coalesce(rule_threat_intel, ''), rule_default, coalesce(rule_reason, ''), coalesce(detail, ''),
		icmp_type, http_status, aggregate FROM shapes`, func(r *sql.Rows) error {
		var k shapeKey
		var id int32
		if err := r.Scan(&id, &k.source, &k.category, &k.emitter, &k.emitterID, &k.protocol, &k.direction, &k.verdict, &k.flowState,
			&k.rule.Name, &k.rule.Raw, &k.rule.ACL, &k.rule.Policy, &k.rule.RuleCollectionGroup, &k.rule.RuleCollection,
			&k.rule.Signature, &k.rule.ThreatIntel, &k.rule.Default, &k.rule.Reason, &k.detail,
			&k.icmpType, &k.httpStatus, &k.aggregate); err != nil {
			return err
		}
		d.shapes[k] = id
		return nil
	})
	if err == nil {
		err = q("SELECT id, ip FROM addrs", func(r *sql.Rows) error {
			var id int32
			var ip string
			if err := r.Scan(&id, &ip); err != nil {
				return err
			}
			a, err := netip.ParseAddr(ip)
			if err != nil {
				return fmt.Errorf("addrs row %d: %w", id, err)
			}
			d.addrs[a] = id
			return nil
		})
	}
	if err == nil {
		err = q("SELECT id, coalesce(fqdn, ''), coalesce(url, ''), coalesce(caller, ''), coalesce(nat_kind, ''), coalesce(nat_ip, ''), coalesce(nat_port, 0) FROM extras", func(r *sql.Rows) error {
			var id int32
			var k extraKey
			var ip string
			var port int32
			if err := r.Scan(&id, &k.fqdn, &k.url, &k.caller, &k.natKind, &ip, &port); err != nil {
				return err
			}
			k.natIP, _ = netip.ParseAddr(ip)
			k.natPort = uint16(port)
			d.extras[k] = id
			return nil
		})
	}
	if err == nil {
		err = q("SELECT id, origin_key, records FROM sources", func(r *sql.Rows) error {
			var id int32
			var k string
			var n int
			if err := r.Scan(&id, &k, &n); err != nil {
				return err
			}
			d.keys[k] = id
			d.nextKey = max(d.nextKey, id)
			base[k] = n
			return nil
		})
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read store dictionaries: %w", err)
	}
	return d, base, nil
}

// write appends this load's new dictionary rows on conn.
func (d *dicts) write(conn driver.Conn) error {
	app := func(table string, n int, row func(i int) []driver.Value) error {
		if n == 0 {
			return nil
		}
		a, err := duckdb.NewAppenderFromConn(conn, "", table)
		if err != nil {
			return fmt.Errorf("append %s: %w", table, err)
		}
		for i := range n {
			if err := a.AppendRow(row(i)...); err != nil {
				a.Close()
				return fmt.Errorf("append %s: %w", table, err)
			}
		}
		if err := a.Close(); err != nil {
			return fmt.Errorf("append %s: %w", table, err)
		}
		return nil
	}
	first := int32(len(d.shapes) - len(d.newShapes) + 1)
	err := app("shapes", len(d.newShapes), func(i int) []driver.Value {
		k := &d.newShapes[i]
		r := &k.rule
		var detail driver.Value
		if k.detail != "" {
			detail = k.detail
		}
		return []driver.Value{first + int32(i), string(k.source), str(k.category), str(k.emitter), str(k.emitterID), str(k.protocol),
			str(string(k.direction)), string(k.verdict), str(k.flowState), str(r.Name), str(r.Raw), str(r.ACL), str(r.Policy),
			str(r.RuleCollectionGroup), str(r.RuleCollection), str(r.Signature), str(r.ThreatIntel), r.Default, str(r.Reason), detail,
			k.icmpType, k.httpStatus, k.aggregate}
	})
	if err != nil {
		return err
	}
	first = int32(len(d.addrs) - len(d.newAddrs) + 1)
	err = app("addrs", len(d.newAddrs), func(i int) []driver.Value {
		a := d.newAddrs[i]
		hi, lo, _ := filter.AddrKey(a)
		return []driver.Value{first + int32(i), a.String(), hi, lo}
	})
	if err != nil {
		return err
	}
	first = int32(len(d.extras) - len(d.newExtras) + 1)
	return app("extras", len(d.newExtras), func(i int) []driver.Value {
		k := &d.newExtras[i]
		var ip, port driver.Value
		if k.natIP.IsValid() {
			ip = k.natIP.String()
		}
		if k.natKind != "" {
			port = int32(k.natPort)
		}
		return []driver.Value{first + int32(i), str(k.fqdn), str(k.url), str(k.caller), str(k.natKind), ip, port}
	})
}

// str maps "" to NULL.
func str(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}
