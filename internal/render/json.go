package render

import (
	"encoding/json"
	"io"
)

// JSON writes v as one indented JSON document followed by a newline.
// encoding/json escapes control characters, so untrusted strings are safe.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// JSONLines writes one compact JSON object per line.
type JSONLines struct{ enc *json.Encoder }

// NewJSONLines returns a JSON Lines writer on w.
func NewJSONLines(w io.Writer) *JSONLines { return &JSONLines{enc: json.NewEncoder(w)} }

// Write encodes v on its own line.
func (j *JSONLines) Write(v any) error { return j.enc.Encode(v) }
