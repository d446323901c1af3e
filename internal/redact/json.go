package redact

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// JSON returns the JSON value raw with every string (keys included)
// passed through String after its escapes are undone, so a secret written
// as sig\u003d... is caught as well as a plain one. Member order and
// numbers are kept as written; the result is compact. raw that is not one
// JSON value is returned as an error, never half redacted.
func JSON(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var out bytes.Buffer
	type frame struct {
		object bool
		n      int
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if len(stack) != 0 || out.Len() == 0 {
				return nil, io.ErrUnexpectedEOF
			}
			return out.Bytes(), nil
		}
		if err != nil {
			return nil, err
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			out.WriteByte(byte(d))
			continue
		}
		if len(stack) == 0 && out.Len() > 0 {
			return nil, errors.New("more than one JSON value")
		}
		if len(stack) > 0 {
			top := &stack[len(stack)-1]
			switch {
			case top.object && top.n%2 == 1:
				out.WriteByte(':')
			case top.n > 0:
				out.WriteByte(',')
			}
			top.n++
		}
		switch v := tok.(type) {
		case json.Delim:
			out.WriteByte(byte(v))
			stack = append(stack, frame{object: v == '{'})
		case string:
			b, _ := json.Marshal(String(v))
			out.Write(b)
		default:
			b, _ := json.Marshal(v)
			out.Write(b)
		}
	}
}
