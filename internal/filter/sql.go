package filter

import (
	"encoding/binary"
	"net/netip"
	"strings"
)

// The store's events table (or any view over it) must provide these columns
// for SQL to apply: time, source, protocol, verdict, direction (text),
// src_port and dst_port (integers), the address keys src_hi, src_lo, dst_hi,
// dst_lo (see AddrKey), the stored address codes src_code and dst_code (see
// prefixCond) and the rule_* text columns named in ruleColumns.
var ruleColumns = []string{"rule_name", "rule_raw", "rule_policy", "rule_collection_group", "rule_collection", "rule_signature", "rule_threat_intel"}

// mapped is the IPv4-mapped IPv6 block. Keys of IPv4 addresses fall inside
// it, so a v6 prefix that covers it must exclude it to match like Go's
// netip.Prefix.Contains, which never puts an IPv4 address in a v6 prefix.
var mapped = netip.MustParsePrefix("::ffff:0.0.0.0/96")

// AddrKey maps an address to two order-preserving signed integers, the high
// and low halves of its 16-byte (IPv4-mapped) form with the sign bit
// flipped, so a CIDR becomes an integer range the store can index and bind.
// ok is false for the zero Addr (stored as NULL).
func AddrKey(a netip.Addr) (hi, lo int64, ok bool) {
	if !a.IsValid() {
		return 0, 0, false
	}
	b := a.Unmap().As16()
	return flip(binary.BigEndian.Uint64(b[:8])), flip(binary.BigEndian.Uint64(b[8:])), true
}

func flip(u uint64) int64 { return int64(u ^ 1<<63) }

// SQL compiles the filter to a boolean SQL expression over the events
// columns and the values to bind to its `?` placeholders, in order. No user
// value is ever written into the SQL text. An empty filter compiles to TRUE.
// Call Bind first when NeedsNewest reports true.
func (f *Filter) SQL() (string, []any) {
	var b sqlBuilder
	b.prefixes([]string{"src"}, f.Src)
	b.prefixes([]string{"dst"}, f.Dst)
	b.prefixes([]string{"src", "dst"}, f.IP)
	b.ports("dst_port", f.Port)
	b.ports("src_port", f.SrcPort)
	in(&b, "protocol", f.Proto)
	in(&b, "verdict", f.Verdict)
	in(&b, "source", f.Source)
	in(&b, "direction", f.Direction)
	b.contains(ruleColumns, f.Rule)
	b.contains([]string{"rule_reason"}, f.Reason)
	if !f.since.IsZero() {
		b.and("time >= ?", f.since)
	}
	if !f.until.IsZero() {
		b.and("time <= ?", f.until)
	}
	if len(b.conds) == 0 {
		return "TRUE", nil
	}
	return strings.Join(b.conds, " AND "), b.args
}

type sqlBuilder struct {
	conds []string
	args  []any
}

func (b *sqlBuilder) and(cond string, args ...any) {
	b.conds = append(b.conds, cond)
	b.args = append(b.args, args...)
}

// prefixes ORs every prefix over every side (one side for --src/--dst, both
// for --ip).
//
// The address keys (side_hi, side_lo) are computed by the store's view, so
// a condition on them applies only after the rows are read and joined with
// the address dictionary. For one side the keys' condition is therefore
// ANDed with one it implies on side_code, the address as the row stores it
// (the IPv4 address as a number + 1; -id of its dictionary row for any
// other address, IPv4-mapped IPv6 ones included; 0 for none): the codes of
// the IPv4 prefixes' addresses, or any dictionary address. That condition
// is on one column of the row table, so DuckDB applies it inside the scan,
// before any join. (A condition mixing the code and the keys in one OR is
// not pushed usefully: DuckDB 1.5 derives an always-true scan filter from
// it.) For --ip the two sides' code conditions are ORed: not a filter the
// scan can apply, but one DuckDB runs on the rows as they leave it, still
// before the joins.
func (b *sqlBuilder) prefixes(sides []string, ps []netip.Prefix) {
	if len(ps) == 0 {
		return
	}
	var ors []string
	var args []any
	for _, side := range sides {
		for _, p := range ps {
			c, a := prefixCond(side, p)
			ors = append(ors, c)
			args = append(args, a...)
		}
	}
	var codes []string
	var cargs []any
	for _, side := range sides {
		c, a := codeCond(side, ps)
		codes = append(codes, c)
		cargs = append(cargs, a...)
	}
	if len(codes) == 1 {
		b.and(codes[0], cargs...)
	} else {
		b.and("("+strings.Join(codes, " OR ")+")", cargs...)
	}
	b.and("("+strings.Join(ors, " OR ")+")", args...)
}

// codeCond is the condition on side_code that every address in ps
// satisfies: the code range of each IPv4 prefix, or a dictionary address.
func codeCond(side string, ps []netip.Prefix) (string, []any) {
	var ors []string
	var args []any
	for _, p := range ps {
		if !p.Addr().Is4() {
			continue
		}
		first, last := p.Masked().Addr().As4(), lastAddr(p).As4()
		ors = append(ors, side+"_code BETWEEN ? AND ?")
		args = append(args, int64(binary.BigEndian.Uint32(first[:]))+1, int64(binary.BigEndian.Uint32(last[:]))+1)
	}
	ors = append(ors, side+"_code < 0")
	return "(" + strings.Join(ors, " OR ") + ")", args
}

// prefixCond matches side's address key against p. A prefix of at most 64
// bits constrains the high half only; a longer one fixes the high half and
// ranges over the low half.
func prefixCond(side string, p netip.Prefix) (string, []any) {
	bits := p.Bits()
	if p.Addr().Is4() {
		bits += 96
	}
	first := p.Masked().Addr()
	last := lastAddr(p)
	h1, l1, _ := AddrKey(first)
	h2, l2, _ := AddrKey(last)
	var c string
	var args []any
	switch {
	case bits <= 64:
		c = side + "_hi BETWEEN ? AND ?"
		args = []any{h1, h2}
	case bits == 128:
		c = "(" + side + "_hi = ? AND " + side + "_lo = ?)"
		args = []any{h1, l1}
	default:
		c = "(" + side + "_hi = ? AND " + side + "_lo BETWEEN ? AND ?)"
		args = []any{h1, l1, l2}
	}
	if p.Addr().Is6() && p.Overlaps(mapped) && p.Bits() < mapped.Bits() {
		mc, ma := prefixCond(side, mapped)
		c = "(" + c + " AND NOT " + mc + ")"
		args = append(args, ma...)
	}
	return c, args
}

// lastAddr is the highest address in p.
func lastAddr(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr()
	if a.Is4() {
		b := a.As4()
		for i := p.Bits(); i < 32; i++ {
			b[i/8] |= 1 << (7 - i%8)
		}
		return netip.AddrFrom4(b)
	}
	b := a.As16()
	for i := p.Bits(); i < 128; i++ {
		b[i/8] |= 1 << (7 - i%8)
	}
	return netip.AddrFrom16(b)
}

func (b *sqlBuilder) ports(col string, rs []PortRange) {
	if len(rs) == 0 {
		return
	}
	ors := make([]string, len(rs))
	var args []any
	for i, r := range rs {
		ors[i] = col + " BETWEEN ? AND ?"
		args = append(args, int(r.Lo), int(r.Hi))
	}
	b.and("("+strings.Join(ors, " OR ")+")", args...)
}

// in adds `col IN (?, ...)` for a non-empty list of values.
func in[T ~string](b *sqlBuilder, col string, vals []T) {
	if len(vals) == 0 {
		return
	}
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = string(v)
	}
	b.and(col+" IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ")+")", args...)
}

// contains ORs a case-insensitive substring test of every needle over every
// column.
func (b *sqlBuilder) contains(cols []string, needles []string) {
	if len(needles) == 0 {
		return
	}
	var ors []string
	var args []any
	for _, c := range cols {
		for _, n := range needles {
			ors = append(ors, "contains(lower("+c+"), ?)")
			args = append(args, n)
		}
	}
	b.and("("+strings.Join(ors, " OR ")+")", args...)
}
