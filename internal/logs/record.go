package logs

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Record is one decoded log record, whatever its framing: raw storage or
// event-hub JSON (common fields at the top, payload under "properties"), a
// Log Analytics AzureDiagnostics row (flattened columns with _s, _d, _b, _g,
// _t suffixes, nested keys joined with "_"), a resource-specific table row
// (PascalCase typed columns) or a CSV export row. Field lookups are
// case-insensitive and look in that order: properties.<name>, <name>, then
// the suffixed AzureDiagnostics spellings.
//
// A Record, and the bytes Raw and JSON return, point into the reader's
// buffer: they are valid only during the Parser call (strings returned by
// Str are copies and may be kept).
type Record struct {
	// Input is the input's Name; Index the 0-based record index in it.
	Input string
	Index int

	top   []field           // the record's own keys, in order; nil for CSV
	props []field           // the keys of "properties"
	cols  map[string]string // CSV columns, lower-cased header
	raw   []byte
	// cat is the category the reader resolved (from the table name, the
	// operation or the container) when the record's own is missing or
	// misleading.
	cat string
}

// field is one key of a JSON object and its raw value, both slices of the
// record's bytes (valid while the record is being parsed).
type field struct {
	key, val []byte
}

// suffixes are the AzureDiagnostics column type suffixes.
var suffixes = [...]string{"_s", "_d", "_b", "_g", "_t"}

// lowerKeys decodes a JSON object into a map with lower-cased keys. A
// later duplicate key (after case folding) does not replace an earlier one.
func lowerKeys(data []byte) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		lk := strings.ToLower(k)
		if _, dup := out[lk]; dup && lk != k {
			continue
		}
		out[lk] = v
	}
	return out, nil
}

// indexObject lists the keys of the JSON object in data without copying.
// Keys with escapes are unescaped (a rare copy).
func indexObject(data []byte, into []field) ([]field, error) {
	p := jscan{b: data}
	err := p.object(func(k []byte) error {
		if bytes.IndexByte(k, '\\') >= 0 {
			var s string
			if json.Unmarshal(append(append([]byte{'"'}, k...), '"'), &s) == nil {
				k = []byte(s)
			}
		}
		start := p.i
		if err := p.skip(); err != nil {
			return err
		}
		into = append(into, field{k, data[start:p.i]})
		return nil
	})
	return into, err
}

// newJSONRecord indexes one JSON object record; the record keeps data.
func newJSONRecord(input string, index int, data []byte) (*Record, error) {
	if !json.Valid(data) {
		// Let encoding/json say what is wrong.
		var v any
		err := json.Unmarshal(data, &v)
		if err == nil {
			err = errors.New("invalid JSON")
		}
		return nil, err
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return nil, errors.New("a record must be a JSON object")
	}
	top, err := indexObject(data, make([]field, 0, 16))
	if err != nil {
		return nil, err
	}
	r := &Record{Input: input, Index: index, top: top, raw: data}
	if p, ok := find(top, "properties"); ok {
		switch {
		case len(p) > 0 && p[0] == '{':
			r.props, _ = indexObject(p, make([]field, 0, 16))
		case len(p) > 0 && p[0] == '"':
			// Some pipelines stringify properties.
			var s string
			if json.Unmarshal(p, &s) == nil && json.Valid([]byte(s)) {
				r.props, _ = indexObject([]byte(s), nil)
			}
		}
	}
	return r, nil
}

// find returns the value of the first key equal to name, ignoring ASCII case.
func find(fs []field, name string) ([]byte, bool) {
	for _, f := range fs {
		if len(f.key) == len(name) && asciiEqualFold(f.key, name) {
			return f.val, true
		}
	}
	return nil, false
}

// findSuffixed finds name_s, name_d, ... (AzureDiagnostics columns).
func findSuffixed(fs []field, name string) ([]byte, bool) {
	for _, f := range fs {
		k := f.key
		if len(k) == len(name)+2 && k[len(name)] == '_' && asciiEqualFold(k[:len(name)], name) {
			switch k[len(name)+1] | 0x20 {
			case 's', 'd', 'b', 'g', 't':
				return f.val, true
			}
		}
	}
	return nil, false
}

func asciiEqualFold(b []byte, s string) bool {
	for i := 0; i < len(b); i++ {
		x, y := b[i], s[i]
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// newCSVRecord wraps one CSV row; header is lower-cased already.
func newCSVRecord(input string, index int, header, row []string) *Record {
	cols := make(map[string]string, len(header))
	for i, h := range header {
		if i < len(row) {
			cols[h] = row[i]
		}
	}
	return &Record{Input: input, Index: index, cols: cols}
}

// Raw returns the record's JSON bytes (nil for a CSV row).
func (r *Record) Raw() []byte { return r.raw }

// lookup finds the raw JSON value or CSV text of name. isText reports a CSV
// cell (plain text, not JSON).
func (r *Record) lookup(name string) (val []byte, text string, isText, ok bool) {
	if r.cols != nil {
		ln := strings.ToLower(name)
		if v, ok := r.cols[ln]; ok {
			return nil, v, true, true
		}
		flat := strings.ReplaceAll(ln, ".", "_")
		for _, s := range suffixes {
			if v, ok := r.cols[flat+s]; ok {
				return nil, v, true, true
			}
		}
		return nil, "", false, false
	}
	if strings.Contains(name, ".") {
		if v, ok := r.path(name); ok {
			return v, "", false, true
		}
		if v, ok := findSuffixed(r.top, strings.ReplaceAll(name, ".", "_")); ok {
			return v, "", false, true
		}
		return nil, "", false, false
	}
	if v, ok := find(r.props, name); ok {
		return v, "", false, true
	}
	if v, ok := find(r.top, name); ok {
		return v, "", false, true
	}
	if v, ok := findSuffixed(r.top, name); ok {
		return v, "", false, true
	}
	return nil, "", false, false
}

// path walks a dotted name through nested objects, first under properties,
// then from the top.
func (r *Record) path(name string) ([]byte, bool) {
	parts := strings.Split(name, ".")
	for _, root := range [][]field{r.props, r.top} {
		cur := root
		for i, p := range parts {
			v, ok := find(cur, p)
			if !ok {
				break
			}
			if i == len(parts)-1 {
				return v, true
			}
			if len(v) == 0 || v[0] != '{' {
				break
			}
			next, err := indexObject(v, nil)
			if err != nil {
				break
			}
			cur = next
		}
	}
	return nil, false
}

// Str returns name as a string: a JSON string unquoted, a number or bool as
// its literal text, null as "". ok is false when the field is absent.
func (r *Record) Str(name string) (string, bool) {
	v, text, isText, ok := r.lookup(name)
	if !ok {
		return "", false
	}
	if isText {
		return text, true
	}
	return jsonText(v)
}

// jsonText turns a raw JSON value into text: a string unquoted, null "",
// anything else its literal.
func jsonText(v []byte) (string, bool) {
	if len(v) == 0 || string(v) == "null" {
		return "", true
	}
	if v[0] == '"' && len(v) >= 2 {
		in := v[1 : len(v)-1]
		if bytes.IndexByte(in, '\\') < 0 {
			return string(in), true
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", false
		}
		return s, true
	}
	return string(v), true
}

// S returns Str(name) without the presence flag.
func (r *Record) S(name string) string {
	s, _ := r.Str(name)
	return s
}

// Int returns name as an integer: a JSON number or a string of digits
// (third-party pipelines stringify numbers). ok is false when absent, empty
// or not an integer.
func (r *Record) Int(name string) (int64, bool) {
	s, ok := r.Str(name)
	if !ok {
		return 0, false
	}
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	// "443.0" from a _d column.
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int64(f)) {
		return int64(f), true
	}
	return 0, false
}

// Bool returns name as a bool (true/false in any case, or a JSON bool).
func (r *Record) Bool(name string) (bool, bool) {
	s, ok := r.Str(name)
	if !ok {
		return false, false
	}
	b, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(s)))
	return b, err == nil
}

// JSON returns the raw JSON value of name (nested objects, arrays); for a CSV
// cell the cell text, which Log Analytics writes as JSON for dynamic columns.
func (r *Record) JSON(name string) ([]byte, bool) {
	v, text, isText, ok := r.lookup(name)
	if !ok {
		return nil, false
	}
	if isText {
		return []byte(text), true
	}
	return v, true
}

// first returns the first present, non-empty string among names.
func (r *Record) first(names ...string) string {
	for _, n := range names {
		if s, ok := r.topStr(n); ok && s != "" {
			return s
		}
	}
	return ""
}

// topStr looks only at the record's own fields, not inside properties.
func (r *Record) topStr(name string) (string, bool) {
	if r.cols != nil {
		v, ok := r.cols[strings.ToLower(name)]
		return v, ok
	}
	v, ok := find(r.top, name)
	if !ok {
		return "", false
	}
	return jsonText(v)
}

// Category returns the record's category: "category"/"Category", else the
// Log Analytics table name ("Type") unless that is AzureDiagnostics.
//
// Once the reader has matched the record to a format, Category returns the
// key it matched by (the table, operation or container category when the
// record's own was missing).
func (r *Record) Category() string {
	if r.cat != "" {
		return r.cat
	}
	if c := r.first("category"); c != "" {
		return c
	}
	if t := r.first("Type"); t != "" && !strings.EqualFold(t, "AzureDiagnostics") {
		return t
	}
	return ""
}

// Table returns the Log Analytics table name ("Type"), "" for raw records.
func (r *Record) Table() string { return r.first("Type") }

// Operation returns operationName / OperationName.
func (r *Record) Operation() string { return r.first("operationName") }

// ResourceID returns the emitting resource's ARM id as logged (resourceId,
// ResourceId or _ResourceId).
func (r *Record) ResourceID() string { return r.first("resourceId", "_ResourceId") }

// TimeField returns the raw time text: time, TimeGenerated, timeStamp or
// timestamp.
func (r *Record) TimeField() string {
	return r.first("time", "TimeGenerated", "timeStamp", "timestamp")
}

// Time parses the record time (see ParseTime).
func (r *Record) Time() (time.Time, error) { return ParseTime(r.TimeField()) }
