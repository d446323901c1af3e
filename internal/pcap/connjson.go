package pcap

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// appendConnectionJSON appends c as compact JSON, byte for byte what
// encoding/json writes for it (field order, omitempty, null for nil
// slices and pointers, HTML-safe string escaping), without reflection: the
// -o json report encodes every connection of the capture, and
// encoding/json's reflection was a fifth of its time. Strings that need
// escaping, the TLS details and values outside the common shapes go through
// encoding/json itself. connjson_test.go checks it against json.Marshal.
func appendConnectionJSON(b []byte, c *Connection) ([]byte, error) {
	var err error
	b = append(b, `{"protocol":`...)
	b = appendJSONString(b, c.Protocol)
	b = append(b, `,"client":`...)
	b = appendJSONString(b, c.Client)
	b = append(b, `,"server":`...)
	b = appendJSONString(b, c.Server)
	b = append(b, `,"state":`...)
	b = appendJSONString(b, c.State)
	b = append(b, `,"history":`...)
	b = appendJSONString(b, c.History)
	b = append(b, `,"packets":`...)
	b = strconv.AppendInt(b, int64(c.Packets), 10)
	b = append(b, `,"bytes":`...)
	b = strconv.AppendInt(b, c.Bytes, 10)
	b = append(b, `,"rtt_ms":`...)
	if c.RTTMs == nil {
		b = append(b, "null"...)
	} else if b, err = appendJSONFloat(b, *c.RTTMs); err != nil {
		return b, err
	}
	b = append(b, `,"tls":`...)
	if c.TLS == nil {
		b = append(b, "null"...)
	} else if b, err = appendMarshal(b, c.TLS); err != nil {
		return b, err
	}
	b = append(b, `,"dns":`...)
	b = appendJSONList(b, c.DNS, appendDNSJSON)
	b = append(b, `,"http":`...)
	b = appendJSONList(b, c.HTTP, appendHTTPJSON)
	b = append(b, `,"findings":`...)
	b = appendJSONList(b, c.Findings, appendFindingJSON)
	b = append(b, `,"first":`...)
	if b, err = appendJSONTime(b, c.First); err != nil {
		return b, err
	}
	b = append(b, `,"last":`...)
	if b, err = appendJSONTime(b, c.Last); err != nil {
		return b, err
	}
	b = append(b, `,"attempt":`...)
	b = strconv.AppendInt(b, int64(c.Attempt), 10)
	b = append(b, `,"from_client":`...)
	b = appendDirectionJSON(b, &c.FromClient)
	b = append(b, `,"from_server":`...)
	b = appendDirectionJSON(b, &c.FromServer)
	if c.Fragments != 0 {
		b = append(b, `,"fragments":`...)
		b = strconv.AppendInt(b, int64(c.Fragments), 10)
	}
	return append(b, '}'), nil
}

// appendJSONList appends xs as encoding/json writes a slice: null when
// nil, else each element by elem.
func appendJSONList[T any](b []byte, xs []T, elem func([]byte, *T) []byte) []byte {
	if xs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = elem(b, &xs[i])
	}
	return append(b, ']')
}

// appendFindingJSON appends one finding.
func appendFindingJSON(b []byte, f *Finding) []byte {
	b = append(b, `{"code":`...)
	b = appendJSONString(b, f.Code)
	b = append(b, `,"severity":`...)
	b = appendJSONString(b, f.Severity)
	b = append(b, `,"message":`...)
	b = appendJSONString(b, f.Message)
	return append(b, '}')
}

func appendDirectionJSON(b []byte, d *Direction) []byte {
	b = append(b, `{"packets":`...)
	b = strconv.AppendInt(b, int64(d.Packets), 10)
	b = append(b, `,"bytes":`...)
	b = strconv.AppendInt(b, d.Bytes, 10)
	b = append(b, `,"payload_bytes":`...)
	b = strconv.AppendInt(b, d.PayloadBytes, 10)
	opt := func(name string, v int64) {
		if v != 0 {
			b = append(b, ',', '"')
			b = append(b, name...)
			b = append(b, '"', ':')
			b = strconv.AppendInt(b, v, 10)
		}
	}
	opt("retransmissions", int64(d.Retransmissions))
	opt("lost_segments", int64(d.LostSegments))
	opt("out_of_order", int64(d.OutOfOrder))
	opt("zero_windows", int64(d.ZeroWindows))
	opt("duplicates", int64(d.Duplicates))
	opt("mss", int64(d.MSS))
	opt("max_segment", int64(d.MaxSegment))
	opt("syns", int64(d.SYNs))
	return append(b, '}')
}

func appendDNSJSON(b []byte, d *DNSExchange) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendUint(b, uint64(d.ID), 10)
	b = append(b, `,"query":`...)
	b = appendJSONString(b, d.Query)
	b = append(b, `,"type":`...)
	b = appendJSONString(b, d.Type)
	if d.Rcode != "" {
		b = append(b, `,"rcode":`...)
		b = appendJSONString(b, d.Rcode)
	}
	if len(d.Answers) > 0 {
		b = append(b, `,"answers":[`...)
		for i, a := range d.Answers {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, a)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendHTTPJSON(b []byte, h *HTTPExchange) []byte {
	b = append(b, '{')
	first := true
	field := func(name string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, '"', ':')
	}
	if h.Method != "" {
		field("method")
		b = appendJSONString(b, h.Method)
	}
	if h.Host != "" {
		field("host")
		b = appendJSONString(b, h.Host)
	}
	if h.Path != "" {
		field("path")
		b = appendJSONString(b, h.Path)
	}
	if h.Status != 0 {
		field("status")
		b = strconv.AppendInt(b, int64(h.Status), 10)
	}
	if h.Reason != "" {
		field("reason")
		b = appendJSONString(b, h.Reason)
	}
	return append(b, '}')
}

// appendJSONString quotes s as encoding/json does: printable ASCII other
// than '"', '\\', '<', '>' and '&' is copied; anything else goes through
// encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			out, _ := json.Marshal(s) // a string always encodes
			return append(b, out...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendJSONFloat writes f as encoding/json writes a float64.
func appendJSONFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return appendMarshal(b, f) // encoding/json's error
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' { // e-09 → e-9, as encoding/json
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// appendJSONTime writes t as time.Time's MarshalJSON does (RFC 3339 with
// nanoseconds); years it refuses go through it for its error.
func appendJSONTime(b []byte, t time.Time) ([]byte, error) {
	if y := t.Year(); y < 0 || y > 9999 {
		return appendMarshal(b, t)
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), nil
}

func appendMarshal(b []byte, v any) ([]byte, error) {
	out, err := json.Marshal(v)
	if err != nil {
		return b, err
	}
	return append(b, out...), nil
}
