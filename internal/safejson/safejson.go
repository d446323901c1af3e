// Package safejson refuses JSON that is too large or nested too deep before
// a decoder builds anything from it: one pass over the bytes, no
// allocation. Decoders of untrusted JSON documents (topology inputs) call
// Check first (issue #18).
package safejson

import "fmt"

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
