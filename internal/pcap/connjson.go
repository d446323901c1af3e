package pcap

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// jsonOut appends JSON values indented as json.Indent writes
// encoding/json's output with a prefix of base spaces and an indent of two
// spaces: a newline and the indentation before each element and before the
// closing bracket of a non-empty object or array, ": " after a key, and
// empty objects and arrays kept as {} and []. The -o json report writes its
// connections indented this way, so the encoder writing them indented
// saves an indenting pass over the output.
type jsonOut struct {
	b     []byte
	base  int    // spaces of the prefix
	depth int    // open objects and arrays
	more  uint64 // bit d: the container at depth d has an element already
}

// commaNL is a comma, a newline and indentation to slice from.
var commaNL = ",\n" + strings.Repeat(" ", 78)

// newline starts a line indented for depth, after a comma when comma.
func (w *jsonOut) newline(depth int, comma bool) {
	from, n := 1, w.base+2*depth
	if comma {
		from = 0
	}
	if n <= len(commaNL)-2 {
		w.b = append(w.b, commaNL[from:2+n]...)
		return
	}
	w.b = append(w.b, commaNL[from:2]...)
	w.b = append(w.b, strings.Repeat(" ", n)...)
}

// open starts an object or array.
func (w *jsonOut) open(c byte) {
	w.b = append(w.b, c)
	w.depth++
	w.more &^= 1 << (w.depth & 63)
}

// close ends the innermost object or array.
func (w *jsonOut) close(c byte) {
	had := w.more&(1<<(w.depth&63)) != 0
	w.depth--
	if had {
		w.newline(w.depth, false)
	}
	w.b = append(w.b, c)
}

// elem starts an element of the innermost array (or a member of the
// innermost object, before its key).
func (w *jsonOut) elem() {
	bit := uint64(1) << (w.depth & 63)
	comma := w.more&bit != 0
	w.more |= bit
	w.newline(w.depth, comma)
}

// key starts a member of the innermost object; name needs no escaping.
func (w *jsonOut) key(name string) {
	w.elem()
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, `": `...)
}

// array writes an array of n elements, element i written by each(i), or
// null when null (encoding/json writes a nil slice so). each is called
// directly, never kept: its closure stays on the caller's stack.
func (w *jsonOut) array(null bool, n int, each func(i int)) {
	if null {
		w.raw("null")
		return
	}
	w.open('[')
	for i := range n {
		w.elem()
		each(i)
	}
	w.close(']')
}

func (w *jsonOut) str(s string)  { w.b = appendJSONString(w.b, s) }
func (w *jsonOut) int(v int64)   { w.b = strconv.AppendInt(w.b, v, 10) }
func (w *jsonOut) raw(s string)  { w.b = append(w.b, s...) }
func (w *jsonOut) uint(v uint64) { w.b = strconv.AppendUint(w.b, v, 10) }

// marshal appends v as encoding/json writes it, indented for the current
// depth.
func (w *jsonOut) marshal(v any) error {
	out, err := json.Marshal(v)
	if err != nil {
		return err
	}
	n := w.base + 2*w.depth
	w.b = appendIndented(w.b, out, strings.Repeat(" ", n), "  ")
	return nil
}

// appendConnectionJSONIndented appends c byte for byte as
// json.MarshalIndent(c, prefix, "  ") writes it with a prefix of base
// spaces (field order, omitempty, null for nil slices and pointers,
// HTML-safe string escaping), without reflection: the -o json report
// encodes every connection of the capture, and encoding/json's reflection
// was a fifth of its time. Strings that need escaping, the TLS details and
// values outside the common shapes go through encoding/json itself.
// connjson_test.go checks it against json.MarshalIndent.
func appendConnectionJSONIndented(b []byte, c *Connection, base int) ([]byte, error) {
	w := jsonOut{b: b, base: base}
	err := w.connection(c)
	return w.b, err
}

func (w *jsonOut) connection(c *Connection) error {
	w.open('{')
	w.key("protocol")
	w.str(c.Protocol)
	w.key("client")
	w.str(c.Client)
	w.key("server")
	w.str(c.Server)
	w.key("state")
	w.str(c.State)
	w.key("history")
	w.str(c.History)
	w.key("packets")
	w.int(int64(c.Packets))
	w.key("bytes")
	w.int(c.Bytes)
	w.key("rtt_ms")
	if c.RTTMs == nil {
		w.raw("null")
	} else if err := w.float(*c.RTTMs); err != nil {
		return err
	}
	w.key("tls")
	if c.TLS == nil {
		w.raw("null")
	} else if err := w.marshal(c.TLS); err != nil {
		return err
	}
	w.key("dns")
	w.array(c.DNS == nil, len(c.DNS), func(i int) { w.dns(&c.DNS[i]) })
	w.key("http")
	w.array(c.HTTP == nil, len(c.HTTP), func(i int) { w.http(&c.HTTP[i]) })
	w.key("findings")
	w.array(c.Findings == nil, len(c.Findings), func(i int) { w.finding(&c.Findings[i]) })
	w.key("first")
	if err := w.time(c.First); err != nil {
		return err
	}
	w.key("last")
	if err := w.time(c.Last); err != nil {
		return err
	}
	w.key("attempt")
	w.int(int64(c.Attempt))
	w.key("from_client")
	w.direction(&c.FromClient)
	w.key("from_server")
	w.direction(&c.FromServer)
	if c.Fragments != 0 {
		w.key("fragments")
		w.int(int64(c.Fragments))
	}
	w.close('}')
	return nil
}

func (w *jsonOut) finding(f *Finding) {
	w.open('{')
	w.key("code")
	w.str(f.Code)
	w.key("severity")
	w.str(f.Severity)
	w.key("message")
	w.str(f.Message)
	w.close('}')
}

func (w *jsonOut) direction(d *Direction) {
	w.open('{')
	w.key("packets")
	w.int(int64(d.Packets))
	w.key("bytes")
	w.int(d.Bytes)
	w.key("payload_bytes")
	w.int(d.PayloadBytes)
	w.omitZero("retransmissions", int64(d.Retransmissions))
	w.omitZero("lost_segments", int64(d.LostSegments))
	w.omitZero("out_of_order", int64(d.OutOfOrder))
	w.omitZero("zero_windows", int64(d.ZeroWindows))
	w.omitZero("duplicates", int64(d.Duplicates))
	w.omitZero("mss", int64(d.MSS))
	w.omitZero("max_segment", int64(d.MaxSegment))
	w.omitZero("syns", int64(d.SYNs))
	w.close('}')
}

// omitZero writes the member name: v unless v is 0 (omitempty).
func (w *jsonOut) omitZero(name string, v int64) {
	if v != 0 {
		w.key(name)
		w.int(v)
	}
}

// omitEmpty writes the member name: s unless s is "" (omitempty).
func (w *jsonOut) omitEmpty(name, s string) {
	if s != "" {
		w.key(name)
		w.str(s)
	}
}

func (w *jsonOut) dns(d *DNSExchange) {
	w.open('{')
	w.key("id")
	w.uint(uint64(d.ID))
	w.key("query")
	w.str(d.Query)
	w.key("type")
	w.str(d.Type)
	w.omitEmpty("rcode", d.Rcode)
	if len(d.Answers) > 0 {
		w.key("answers")
		w.array(false, len(d.Answers), func(i int) { w.str(d.Answers[i]) })
	}
	w.close('}')
}

func (w *jsonOut) http(h *HTTPExchange) {
	w.open('{')
	w.omitEmpty("method", h.Method)
	w.omitEmpty("host", h.Host)
	w.omitEmpty("path", h.Path)
	w.omitZero("status", int64(h.Status))
	w.omitEmpty("reason", h.Reason)
	w.close('}')
}

// appendJSONString quotes s as encoding/json does: printable ASCII other
// than '"', '\\', '<', '>' and '&' is copied; anything else goes through
// encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if !plainJSON[s[i]] {
			out, _ := json.Marshal(s) // a string always encodes
			return append(b, out...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// plainJSON marks the bytes encoding/json copies into a string as they
// are: printable ASCII but '"', '\\', '<', '>' and '&'.
var plainJSON = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// float writes f as encoding/json writes a float64.
func (w *jsonOut) float(f float64) error {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return w.marshal(f) // encoding/json's error
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b := strconv.AppendFloat(w.b, f, format, -1, 64)
	if format == 'e' { // e-09 → e-9, as encoding/json
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	w.b = b
	return nil
}

// time writes t as time.Time's MarshalJSON does (RFC 3339 with
// nanoseconds); years it refuses go through it for its error.
func (w *jsonOut) time(t time.Time) error {
	if y := t.Year(); y < 0 || y > 9999 {
		return w.marshal(t)
	}
	w.b = append(w.b, '"')
	if t.Location() == time.UTC {
		w.b = appendRFC3339NanoUTC(w.b, t)
	} else {
		w.b = t.AppendFormat(w.b, time.RFC3339Nano)
	}
	w.b = append(w.b, '"')
	return nil
}

// appendRFC3339NanoUTC appends t, a UTC time of year 0 to 9999, as
// t.AppendFormat(b, time.RFC3339Nano) does (trailing zeros of the
// fraction dropped, no fraction for a whole second, Z), without parsing
// the layout: connections are summarised in UTC and every one has two
// times.
func appendRFC3339NanoUTC(b []byte, t time.Time) []byte {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+mo/10), byte('0'+mo%10), '-', byte('0'+d/10), byte('0'+d%10), 'T',
		byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10), ':', byte('0'+s/10), byte('0'+s%10))
	if ns := t.Nanosecond(); ns != 0 {
		var frac [10]byte
		frac[0] = '.'
		for i := 9; i >= 1; i-- {
			frac[i] = byte('0' + ns%10)
			ns /= 10
		}
		n := 10
		for frac[n-1] == '0' {
			n--
		}
		b = append(b, frac[:n]...)
	}
	return append(b, 'Z')
}
