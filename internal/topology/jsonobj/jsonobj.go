// Package jsonobj reads fields of decoded JSON objects leniently: keys
// match case-insensitively, numbers and strings convert where the meaning
// is plain, and a wrong type reads as absent. The Azure JSON and Terraform
// loaders read every attribute through it.
package jsonobj

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/safejson"
)

// Field returns o[key], falling back to a case-insensitive match (exports
// are camelCase, but hand-edited files and some tools vary the casing).
func Field(o map[string]any, key string) (any, bool) {
	if o == nil {
		return nil, false
	}
	if v, ok := o[key]; ok {
		return v, v != nil
	}
	for k, v := range o {
		if strings.EqualFold(k, key) {
			return v, v != nil
		}
	}
	return nil, false
}

// Str returns a string field; numbers are formatted, anything else is "".
func Str(o map[string]any, key string) string {
	v, _ := Field(o, key)
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	}
	return ""
}

// Bool returns a bool field (also accepting "true"/"false" strings) and
// whether it was present.
func Bool(o map[string]any, key string) (bool, bool) {
	v, _ := Field(o, key)
	switch t := v.(type) {
	case bool:
		return t, true
	case string:
		b, err := strconv.ParseBool(t)
		return b, err == nil
	}
	return false, false
}

// BoolOr returns a bool field or def when absent or null.
func BoolOr(o map[string]any, key string, def bool) bool {
	if b, ok := Bool(o, key); ok {
		return b
	}
	return def
}

// Int returns an integer field (number or numeric string).
func Int(o map[string]any, key string) (int, bool) {
	v, _ := Field(o, key)
	var s string
	switch t := v.(type) {
	case json.Number:
		s = t.String()
	case float64:
		return int(t), t == float64(int(t))
	case string:
		s = t
	default:
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}

// Obj returns an object field.
func Obj(o map[string]any, key string) map[string]any {
	v, _ := Field(o, key)
	m, _ := v.(map[string]any)
	return m
}

// Objs returns the objects of an array field (non-objects are dropped).
func Objs(o map[string]any, key string) []map[string]any {
	v, _ := Field(o, key)
	a, _ := v.([]any)
	out := make([]map[string]any, 0, len(a))
	for _, x := range a {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// StrMap returns an object field (tags) as strings; nil when it is absent
// or empty.
func StrMap(o map[string]any, key string) map[string]string {
	t := Obj(o, key)
	if len(t) == 0 {
		return nil
	}
	out := map[string]string{}
	for k := range t {
		out[k] = Str(t, k)
	}
	return out
}

// Strs returns an array of strings; a single string becomes a one-element
// list. Empty strings are dropped.
func Strs(o map[string]any, key string) []string {
	v, _ := Field(o, key)
	switch t := v.(type) {
	case string:
		if t == "" {
			return nil
		}
		return []string{t}
	case []any:
		var out []string
		for _, x := range t {
			switch s := x.(type) {
			case string:
				if s != "" {
					out = append(out, s)
				}
			case json.Number:
				out = append(out, s.String())
			}
		}
		return out
	}
	return nil
}

// Ref returns the id of a reference field: {"id": "..."} or a bare string.
func Ref(o map[string]any, key string) string {
	v, _ := Field(o, key)
	switch t := v.(type) {
	case string:
		return t
	case map[string]any:
		return Str(t, "id")
	}
	return ""
}

// Refs returns the ids of an array of references.
func Refs(o map[string]any, key string) []string {
	v, _ := Field(o, key)
	a, _ := v.([]any)
	var out []string
	for _, x := range a {
		switch t := x.(type) {
		case string:
			if t != "" {
				out = append(out, t)
			}
		case map[string]any:
			if id := Str(t, "id"); id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}

// DecodeError says where in data a decoding error is, as line and column.
func DecodeError(data []byte, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		off = int64(len(data))
	}
	if off < 0 || off > int64(len(data)) {
		return fmt.Errorf("not valid JSON: %w", err)
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - int64(bytes.LastIndexByte(data[:off], '\n'))
	return fmt.Errorf("not valid JSON: line %d, column %d: %w", line, col, err)
}

// MaxDepth bounds the nesting Decode accepts, so hostile input cannot
// exhaust the stack of the code walking the value.
const MaxDepth = 64

// Decode decodes one JSON document into maps, slices and json.Numbers. It
// rejects trailing values and nesting deeper than MaxDepth; syntax errors
// say where they are (DecodeError).
func Decode(data []byte) (any, error) {
	// Refuse deep nesting before the decoder builds anything from it.
	if err := safejson.Check("", data, 0); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, DecodeError(data, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("not valid JSON: more than one top-level value")
	}
	if depth(v, 0) > MaxDepth {
		return nil, fmt.Errorf("JSON nested deeper than %d levels", MaxDepth)
	}
	return v, nil
}

func depth(v any, d int) int {
	if d > MaxDepth {
		return d
	}
	m := d
	switch t := v.(type) {
	case map[string]any:
		for _, x := range t {
			m = max(m, depth(x, d+1))
		}
	case []any:
		for _, x := range t {
			m = max(m, depth(x, d+1))
		}
	}
	return m
}
