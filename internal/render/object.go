package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strconv"
)

// ObjectWriter writes one JSON object member by member, indented as JSON
// indents a whole document, so a member too large to hold (a list of a
// million connections) can be streamed element by element.
type ObjectWriter struct {
	w   *bufio.Writer
	enc *json.Encoder
	buf bytes.Buffer
	n   int
	err error
}

// NewObjectWriter starts an object on w.
func NewObjectWriter(w io.Writer) *ObjectWriter {
	o := &ObjectWriter{w: bufio.NewWriterSize(w, 64<<10)}
	o.enc = json.NewEncoder(&o.buf)
	o.enc.SetIndent("  ", "  ")
	o.w.WriteByte('{')
	return o
}

func (o *ObjectWriter) key(name string) {
	if o.n > 0 {
		o.w.WriteByte(',')
	}
	o.n++
	o.w.WriteString("\n  ")
	o.w.WriteString(strconv.Quote(name))
	o.w.WriteString(": ")
}

// Member writes name and v.
func (o *ObjectWriter) Member(name string, v any) error {
	if o.err != nil {
		return o.err
	}
	o.buf.Reset()
	if o.err = o.enc.Encode(v); o.err != nil {
		return o.err
	}
	o.key(name)
	_, o.err = o.w.Write(bytes.TrimSuffix(o.buf.Bytes(), []byte("\n")))
	return o.err
}

// RawArray writes name and an array whose elements each calls add with:
// encoded JSON values already indented for their depth (four spaces on
// every line after the first), as a Sorter of pcap keeps them. No element
// writes [].
func (o *ObjectWriter) RawArray(name string, each func(add func(elem []byte) error) error) error {
	if o.err != nil {
		return o.err
	}
	o.key(name)
	o.w.WriteByte('[')
	k := 0
	o.err = each(func(elem []byte) error {
		if k > 0 {
			o.w.WriteByte(',')
		}
		k++
		o.w.WriteString("\n    ")
		_, err := o.w.Write(elem)
		return err
	})
	if o.err != nil {
		return o.err
	}
	if k > 0 {
		o.w.WriteString("\n  ")
	}
	o.w.WriteByte(']')
	return nil
}

// Close ends the object with a newline, as JSON does, and flushes.
func (o *ObjectWriter) Close() error {
	if o.err != nil {
		return o.err
	}
	if o.n > 0 {
		o.w.WriteByte('\n')
	}
	o.w.WriteString("}\n")
	return o.w.Flush()
}
