package logs

import (
	"context"

	"github.com/pathproof/pathproof/internal/event"
)

// ReadPart reads one input that is part of a larger JSON log: the blocks a
// flow-log blob gained (wrapped as one JSON array) or the complete lines an
// append blob gained. Its records are numbered from in.First, as a read of
// the whole log numbers them, so each event cites the same origin either
// way. keep and flow filter as Options.NewFlowKeep's pair does (nil keeps
// everything); emit gets each kept event, valid only during the call. It
// returns the index after the last record read (in.First when it read
// none). Problems are tallied in rep, as Read does.
func ReadPart(ctx context.Context, in Input, keep func(*event.Event) bool, flow FlowCheck, rep *Report, emit func(*event.Event) error) (next int, err error) {
	var t tally
	rd := &reader{ctx: ctx, next: in.First}
	rd.out = Output{in: in, tally: &t, flow: flow, emit: func(e *event.Event) error {
		if e.Time.After(t.newest) {
			t.newest = e.Time
		}
		if keep != nil && !keep(e) {
			return nil
		}
		return emit(e)
	}}
	err = rd.readFrom(in)
	rep.merge(&t)
	return rd.next, err
}
