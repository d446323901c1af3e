package logs

import (
	"io"

	"github.com/pathproof/pathproof/internal/event"
)

type ioReadCloser = io.ReadCloser

type nopCloser struct{ io.Reader }

func (nopCloser) Close() error { return nil }

// fuzzParse runs parse on data as one JSON record, calling check (when not
// nil) on every event it emits. Data that is no JSON record is ignored.
func fuzzParse(data []byte, parse func(*Record, *Output) error, check func(*event.Event)) {
	r, err := newJSONRecord("test", 0, data)
	if err != nil {
		return
	}
	o := &Output{tally: &tally{}, emit: func(e *event.Event) error {
		if check != nil {
			check(e)
		}
		return nil
	}}
	_ = parse(r, o)
}
