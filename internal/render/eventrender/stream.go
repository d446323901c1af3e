package eventrender

import (
	"bytes"
	"io"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/render"
)

// EventStream writes events as they arrive (`events --follow`): JSON Lines
// of event.JSON, or table rows under one header, each batch's columns as
// wide as its own cells.
type EventStream struct {
	w      io.Writer
	format string
	l      Layout
	header bool
}

// NewEventStream returns a stream writing to w in format ("jsonl", else a
// table laid out by l).
func NewEventStream(w io.Writer, format string, l Layout) *EventStream {
	return &EventStream{w: w, format: format, l: l}
}

// Write writes one batch.
func (s *EventStream) Write(evs []event.Event) error {
	if len(evs) == 0 {
		return nil
	}
	if s.format == "jsonl" {
		j := render.NewJSONLines(s.w)
		for i := range evs {
			if err := j.Write(event.ToJSON(&evs[i])); err != nil {
				return err
			}
		}
		return nil
	}
	var buf bytes.Buffer
	if err := Events(&buf, "", evs, s.l); err != nil {
		return err
	}
	out := buf.Bytes()
	if s.header {
		if i := bytes.IndexByte(out, '\n'); i >= 0 {
			out = out[i+1:]
		}
	}
	s.header = true
	_, err := s.w.Write(out)
	return err
}
