// Package safejson refuses JSON that is too large or nested too deep before
// a decoder builds anything from it: one pass over the bytes, no
// allocation. Decoders of untrusted JSON documents (topology inputs) call
// Check first (issue #18). TopKeys lists a document's top-level keys
// without decoding it, for choosing the decoder.
package safejson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Limits on untrusted JSON documents.
const (
	// MaxDepth is the deepest nesting of arrays and objects accepted. ARM
	// exports nest about 12 levels; Terraform state with modules about 20.
	MaxDepth = 100
)

// Error is a JSON document refused by Check, with the byte offset and
// line of the problem.
type Error struct {
	File         string
	Offset, Line int
	Msg          string
}

func (e *Error) Error() string {
	loc := fmt.Sprintf("line %d (byte %d)", e.Line, e.Offset)
	if e.File != "" {
		loc = fmt.Sprintf("%s:%d (byte %d)", e.File, e.Line, e.Offset)
	}
	return loc + ": malformed JSON: " + e.Msg
}

// Check refuses data larger than maxSize bytes (0: no size limit) or with
// arrays and objects nested deeper than MaxDepth. Brackets inside strings
// do not count; everything else about the JSON is left to the decoder.
func Check(file string, data []byte, maxSize int) error {
	if maxSize > 0 && len(data) > maxSize {
		return &Error{File: file, Line: 1, Msg: fmt.Sprintf("file is %d bytes, more than the %d bytes allowed", len(data), maxSize)}
	}
	depth, line := 0, 1
	inStr, esc := false, false
	for i, c := range data {
		if c == '\n' {
			line++
		}
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '[', '{':
			depth++
			if depth > MaxDepth {
				return &Error{File: file, Offset: i, Line: line, Msg: fmt.Sprintf("nested more than %d levels deep", MaxDepth)}
			}
		case ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return nil
}

// TopKeys returns the keys of data's top-level object, in order, in one
// pass that decodes no value: values are skipped by matching brackets
// outside strings. ok is false when data is not an object or the scan
// meets something no JSON object has; keys then holds the keys read
// before it. A malformed value can go unnoticed: TopKeys is for choosing
// a decoder, which reports it.
func TopKeys(data []byte) (keys []string, ok bool) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, false
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return keys, true
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return keys, false
		}
		end := skipString(data, i)
		if end < 0 {
			return keys, false
		}
		key := string(data[i+1 : end-1])
		if bytes.IndexByte(data[i:end], '\\') >= 0 || !utf8.ValidString(key) {
			// Escapes, and invalid UTF-8 read as U+FFFD, as the decoder does.
			if json.Unmarshal(data[i:end], &key) != nil {
				return keys, false
			}
		}
		keys = append(keys, key)
		i = skipSpace(data, end)
		if i >= len(data) || data[i] != ':' {
			return keys, false
		}
		if i = skipValue(data, i+1); i < 0 {
			return keys, false
		}
		switch data[i] {
		case '}':
			return keys, true
		case ',':
			i = skipSpace(data, i+1)
		default:
			return keys, false
		}
	}
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n') {
		i++
	}
	return i
}

// skipString returns the offset after the string starting at data[i]
// (a '"'), or -1 when it does not end.
func skipString(data []byte, i int) int {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipValue skips the value starting at or after data[i] and returns the
// offset of the ',' or '}' that follows it in the enclosing object, or -1
// when there is none.
func skipValue(data []byte, i int) int {
	depth := 0
	for i < len(data) {
		switch c := data[i]; c {
		case '"':
			if i = skipString(data, i); i < 0 {
				return -1
			}
			continue
		case '[', '{':
			depth++
		case ']', '}':
			if depth == 0 {
				if c == '}' {
					return i
				}
				return -1
			}
			depth--
		case ',':
			if depth == 0 {
				return i
			}
		}
		i++
	}
	return -1
}
