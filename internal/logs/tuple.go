package logs

import (
	"net/netip"
	"strconv"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// Tuple is one parsed flow-log tuple (docs/log-formats.md §2.2, §3.3).
type Tuple struct {
	Time      time.Time
	Src, Dst  netip.Addr
	SrcPort   uint16
	DstPort   uint16
	Protocol  string // lower-case name or IANA number
	Direction event.Direction
	// Decision is 'A' or 'D' for NSG tuples, 0 for VNet v4 (whose state D
	// means denied).
	Decision byte
	// State is 'B', 'C', 'E' or 'D'; 0 in NSG v1 tuples.
	State byte
	// Encryption is the VNet v4 encryption status (field 8), nil otherwise.
	Encryption []byte
	// Counters are deltas; HasCounters is false for v1 and for empty
	// counters (NSG v2 B tuples).
	PacketsSent, BytesSent, PacketsRecv, BytesRecv int64
	HasCounters                                    bool
	// Version is 1 (NSG v1, 8 fields), 2 (NSG v2, 13 fields, letter
	// protocol) or 4 (VNet v4, 13 fields, numeric protocol).
	Version int
}

// tupleError explains a bad tuple; it is a constant string, so returning it
// costs no allocation.
type tupleError string

func (e tupleError) Error() string { return string(e) }

const (
	errFieldCount = tupleError("wrong number of fields (want 8 or 13)")
	errTimestamp  = tupleError("bad timestamp")
	errSrcIP      = tupleError("bad source address")
	errDstIP      = tupleError("bad destination address")
	errSrcPort    = tupleError("bad source port")
	errDstPort    = tupleError("bad destination port")
	errProtocol   = tupleError("bad protocol")
	errDirection  = tupleError("bad direction (want I or O)")
	errState      = tupleError("bad flow state (want B, C, E or D)")
	errDecision   = tupleError("bad decision (want A or D)")
	errCounter    = tupleError("bad counter")
)

// ParseTuple parses one comma-separated flow tuple of any version: 8 fields
// is NSG v1; 13 fields with a letter protocol is NSG v2, with a number VNet
// v4. It does not allocate for IPv4 tuples.
func ParseTuple(b []byte, t *Tuple) error {
	if parseTupleFast(b, t) {
		return nil
	}
	return parseTupleSlow(b, t)
}

// end marks a field that ended at the end of the tuple, not at a comma.
const end = -1

// numField parses the decimal digits at b[p:] up to a comma (consumed) or
// the end; next is end when the input ended.
func numField(b []byte, p int) (v int64, next int, ok bool) {
	start := p
	for p < len(b) {
		d := b[p] - '0' // a comma or any non-digit wraps above 9
		if d > 9 {
			break
		}
		v = v*10 + int64(d)
		p++
	}
	if n := p - start; n == 0 || n > 18 {
		return 0, 0, false
	}
	if p == len(b) {
		return v, end, true
	}
	if b[p] != ',' {
		return 0, 0, false
	}
	return v, p + 1, true
}

// ip4Field parses a dotted IPv4 address up to a comma; anything else
// (IPv6, leading zeros) is left to the slow path.
func ip4Field(b []byte, p int) (netip.Addr, int, bool) {
	var a [4]byte
	for k := 0; k < 4; k++ {
		if p >= len(b) {
			return netip.Addr{}, 0, false
		}
		d := b[p] - '0'
		if d > 9 {
			return netip.Addr{}, 0, false
		}
		v := uint(d)
		p++
		if p < len(b) {
			if d = b[p] - '0'; d <= 9 {
				if v == 0 { // a leading zero
					return netip.Addr{}, 0, false
				}
				v = v*10 + uint(d)
				p++
				if p < len(b) {
					if d = b[p] - '0'; d <= 9 {
						v = v*10 + uint(d)
						p++
						if v > 255 {
							return netip.Addr{}, 0, false
						}
					}
				}
			}
		}
		a[k] = byte(v)
		sep := byte('.')
		if k == 3 {
			sep = ','
		}
		if p >= len(b) || b[p] != sep {
			return netip.Addr{}, 0, false
		}
		p++
	}
	return netip.AddrFrom4(a), p, true
}

// charField reads one character followed by a comma (or the end).
func charField(b []byte, p int) (c byte, next int, ok bool) {
	if p >= len(b) {
		return 0, 0, false
	}
	c = b[p]
	if p+1 == len(b) {
		return c, end, true
	}
	if b[p+1] != ',' {
		return 0, 0, false
	}
	return c, p + 2, true
}

// parseTupleFast parses the common shapes (IPv4, well-formed) in one pass;
// false sends the tuple to parseTupleSlow, which also explains errors.
func parseTupleFast(b []byte, t *Tuple) bool {
	*t = Tuple{}
	ts, p, ok := numField(b, 0)
	if !ok || p == end || ts <= 0 {
		return false
	}
	if t.Src, p, ok = ip4Field(b, p); !ok {
		return false
	}
	if t.Dst, p, ok = ip4Field(b, p); !ok {
		return false
	}
	v, p, ok := numField(b, p)
	if !ok || p == end || v > 65535 {
		return false
	}
	t.SrcPort = uint16(v)
	if v, p, ok = numField(b, p); !ok || p == end || v > 65535 {
		return false
	}
	t.DstPort = uint16(v)
	letter := false
	if p < len(b) && (b[p] == 'T' || b[p] == 'U') {
		var c byte
		if c, p, ok = charField(b, p); !ok || p == end {
			return false
		}
		letter = true
		t.Protocol = map[bool]string{true: "tcp", false: "udp"}[c == 'T']
	} else {
		if v, p, ok = numField(b, p); !ok || p == end || v > 255 {
			return false
		}
		switch v {
		case 6:
			t.Protocol = "tcp"
		case 17:
			t.Protocol = "udp"
		default:
			t.Protocol = ProtocolName(int(v))
		}
	}
	var dir, c7 byte
	if dir, p, ok = charField(b, p); !ok || p == end {
		return false
	}
	switch dir {
	case 'I':
		t.Direction = event.DirIn
	case 'O':
		t.Direction = event.DirOut
	default:
		return false
	}
	if c7, p, ok = charField(b, p); !ok {
		return false
	}
	if p == end { // 8 fields: NSG v1
		if !letter || (c7 != 'A' && c7 != 'D') {
			return false
		}
		t.Version, t.Decision = 1, c7
		t.Time = time.Unix(ts, 0).UTC()
		return ts < 1e11
	}
	if letter {
		t.Version = 2
		if c7 != 'A' && c7 != 'D' {
			return false
		}
		t.Decision = c7
		var st byte
		if st, p, ok = charField(b, p); !ok || p == end || !isState(st) {
			return false
		}
		t.State = st
	} else {
		t.Version = 4
		if !isState(c7) {
			return false
		}
		t.State = c7
		start := p
		for p < len(b) && b[p] != ',' {
			p++
		}
		if p == len(b) {
			return false
		}
		t.Encryption = b[start:p]
		p++
	}
	var cs [4]int64
	empty := 0
	for i := 0; i < 4; i++ {
		if p == end {
			return false
		}
		if p == len(b) || b[p] == ',' { // an empty counter
			empty++
			if p == len(b) {
				if i != 3 {
					return false
				}
				p = end
			} else {
				p++
			}
			continue
		}
		if cs[i], p, ok = numField(b, p); !ok {
			return false
		}
	}
	if p != end || (empty != 0 && empty != 4) {
		return false
	}
	t.HasCounters = empty == 0
	t.PacketsSent, t.BytesSent, t.PacketsRecv, t.BytesRecv = cs[0], cs[1], cs[2], cs[3]
	if ts < 1e11 {
		t.Time = time.Unix(ts, 0).UTC()
	} else {
		t.Time = time.UnixMilli(ts).UTC()
	}
	return true
}

func isState(c byte) bool { return c == 'B' || c == 'C' || c == 'E' || c == 'D' }

// parseTupleSlow splits on commas first; it handles every shape and says
// what is wrong.
func parseTupleSlow(b []byte, t *Tuple) error {
	var f [13][]byte
	n := 0
	start := 0
	for i := 0; i < len(b); i++ {
		if b[i] == ',' {
			if n == 12 {
				return errFieldCount
			}
			f[n] = b[start:i]
			n++
			start = i + 1
		}
	}
	f[n] = b[start:]
	n++
	if n != 8 && n != 13 {
		return errFieldCount
	}
	*t = Tuple{}
	ts, ok := atoi(f[0])
	if !ok || ts <= 0 {
		return errTimestamp
	}
	// Epoch milliseconds have 13 digits today; seconds 10. Anything below
	// 1e11 is seconds (year 5138 in seconds, 1973 in milliseconds).
	if ts < 1e11 {
		t.Time = time.Unix(ts, 0).UTC()
	} else {
		t.Time = time.UnixMilli(ts).UTC()
	}
	if t.Src, ok = parseIP(f[1]); !ok {
		return errSrcIP
	}
	if t.Dst, ok = parseIP(f[2]); !ok {
		return errDstIP
	}
	if t.SrcPort, ok = parsePort(f[3]); !ok {
		return errSrcPort
	}
	if t.DstPort, ok = parsePort(f[4]); !ok {
		return errDstPort
	}
	letter := len(f[5]) == 1 && f[5][0] >= 'A'
	if t.Protocol, ok = protoName(f[5]); !ok {
		return errProtocol
	}
	switch string(f[6]) {
	case "I":
		t.Direction = event.DirIn
	case "O":
		t.Direction = event.DirOut
	default:
		return errDirection
	}
	counters := f[9:13]
	switch {
	case n == 8:
		t.Version = 1
		if t.Decision, ok = oneOf(f[7], "AD"); !ok {
			return errDecision
		}
	case letter:
		t.Version = 2
		if t.Decision, ok = oneOf(f[7], "AD"); !ok {
			return errDecision
		}
		if t.State, ok = oneOf(f[8], "BCED"); !ok {
			return errState
		}
	default:
		t.Version = 4
		if t.State, ok = oneOf(f[7], "BCED"); !ok {
			return errState
		}
		t.Encryption = f[8]
	}
	if n == 13 {
		empty := 0
		var vals [4]int64
		for i, c := range counters {
			if len(c) == 0 {
				empty++
				continue
			}
			v, ok := atoi(c)
			if !ok {
				return errCounter
			}
			vals[i] = v
		}
		if empty != 0 && empty != 4 {
			return errCounter
		}
		t.HasCounters = empty == 0
		t.PacketsSent, t.BytesSent, t.PacketsRecv, t.BytesRecv = vals[0], vals[1], vals[2], vals[3]
	}
	return nil
}

// atoi parses a non-negative decimal integer of at most 18 digits.
func atoi(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

func parsePort(b []byte) (uint16, bool) {
	v, ok := atoi(b)
	if !ok || v > 65535 {
		return 0, false
	}
	return uint16(v), true
}

func oneOf(b []byte, set string) (byte, bool) {
	if len(b) != 1 {
		return 0, false
	}
	for i := 0; i < len(set); i++ {
		if b[0] == set[i] {
			return b[0], true
		}
	}
	return 0, false
}

// parseIP parses an IPv4 address without allocating, else any address.
func parseIP(b []byte) (netip.Addr, bool) {
	var a [4]byte
	part, digits, dots := 0, 0, 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			if digits > 0 && part == 0 {
				goto slow // leading zero
			}
			part = part*10 + int(c-'0')
			digits++
			if part > 255 || digits > 3 {
				goto slow // an IPv6 group such as 2001, or invalid
			}
		case c == '.':
			if digits == 0 || dots == 3 {
				goto slow
			}
			a[dots] = byte(part)
			dots++
			part, digits = 0, 0
		default:
			goto slow
		}
	}
	if dots != 3 || digits == 0 {
		goto slow
	}
	a[3] = byte(part)
	return netip.AddrFrom4(a), true
slow:
	ip, err := netip.ParseAddr(string(b))
	if err != nil || ip.Zone() != "" {
		return netip.Addr{}, false
	}
	return ip, true
}

// Protocol names by IANA number.
var protoNames = map[int64]string{1: "icmp", 6: "tcp", 17: "udp", 58: "icmpv6", 47: "gre", 50: "esp", 51: "ah", 132: "sctp"}

// protoName maps a tuple protocol field (number or T/U letter) to a name.
func protoName(b []byte) (string, bool) {
	if len(b) == 1 {
		switch b[0] {
		case 'T':
			return "tcp", true
		case 'U':
			return "udp", true
		case '6':
			return "tcp", true
		case '1':
			return "icmp", true
		}
	}
	if len(b) == 2 && b[0] == '1' && b[1] == '7' {
		return "udp", true
	}
	v, ok := atoi(b)
	if !ok || v > 255 {
		return "", false
	}
	if n, ok := protoNames[v]; ok {
		return n, true
	}
	return strconv.FormatInt(v, 10), true
}

// ProtocolName maps an IANA protocol number to pathproof's protocol word.
func ProtocolName(n int) string {
	if s, ok := protoNames[int64(n)]; ok {
		return s
	}
	return strconv.Itoa(n)
}
