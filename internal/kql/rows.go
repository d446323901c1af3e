package kql

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// row is one row a query returned: its time and key (the page cursor), the
// table it came from, the resource that wrote it and its columns packed
// as a JSON object.
type row struct {
	time            time.Time
	key             string
	table, resource string
	packed          []byte
}

// record turns a row into the JSON record internal/logs parses: the packed
// columns, with the table name as "Type" and the resource id as
// "_ResourceId" when the row lacks them (Azure Data Explorer copies of
// Log Analytics tables may drop both). It fails on a packed value that is
// not a JSON object or a table name that is not an identifier.
func record(table, resource string, packed []byte) ([]byte, error) {
	if !validTable(table) {
		return nil, fmt.Errorf("table name %q is not a KQL identifier", truncate(table, 60))
	}
	packed = bytes.TrimSpace(packed)
	if len(packed) == 0 || packed[0] != '{' {
		return nil, errors.New("the packed row is not a JSON object")
	}
	var cols map[string]json.RawMessage
	if err := json.Unmarshal(packed, &cols); err != nil {
		return nil, fmt.Errorf("the packed row is not a JSON object: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	has := func(name string) bool {
		for k := range cols {
			if strings.EqualFold(k, name) {
				return true
			}
		}
		return false
	}
	var head bytes.Buffer
	head.WriteByte('{')
	add := func(k, v string) {
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(v)
		head.Write(kb)
		head.WriteByte(':')
		head.Write(vb)
		head.WriteByte(',')
	}
	if !has("Type") {
		add("Type", table)
	}
	if resource != "" && !has("_ResourceId") && !has("ResourceId") {
		add("_ResourceId", resource)
	}
	if head.Len() == 1 {
		return packed, nil
	}
	rest := bytes.TrimSpace(packed[1:])
	if len(rest) > 0 && rest[0] == '}' { // an empty object
		out := bytes.TrimSuffix(head.Bytes(), []byte{','})
		return append(out, '}'), nil
	}
	return append(head.Bytes(), rest...), nil
}

// validTable reports whether s can be a table name (letters, digits, _).
func validTable(s string) bool {
	if s == "" || len(s) > 256 {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// packedJSON turns a dynamic cell into JSON bytes: Log Analytics sends a
// dynamic value as a JSON-encoded string, Azure Data Explorer as JSON.
func packedJSON(v any) ([]byte, error) {
	switch x := v.(type) {
	case string:
		return []byte(x), nil
	case []byte:
		return x, nil
	case nil:
		return nil, errors.New("the packed row is null")
	}
	return json.Marshal(v)
}

// parseTime reads a datetime cell (ISO 8601, up to 7 fractional digits).
func parseTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x.UTC(), nil
	case string:
		t, err := time.Parse(time.RFC3339Nano, x)
		if err != nil {
			return time.Time{}, fmt.Errorf("TimeGenerated %q is not a time", truncate(x, 40))
		}
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("TimeGenerated is a %T, not a time", v)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
