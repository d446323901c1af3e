package pcap

import (
	"errors"
	"fmt"
	"io"
	"time"
)

// Pipeline sizes: batches of batchSize packets, pipelineDepth batches in
// flight, each with an arena of arenaSize bytes holding copies of its
// frames (a bigger frame gets an arena of its own size). Memory for the
// pipeline is about pipelineDepth * (arenaSize + batchSize * ~200 B).
const (
	batchSize     = 256
	pipelineDepth = 4
	arenaSize     = 512 << 10
)

// batch carries decoded packets from the reading goroutine to the tracker.
// The pkt payload slices point into arena.
type batch struct {
	n     int
	pkts  [batchSize]pkt
	ts    [batchSize]time.Time
	wire  [batchSize]int
	why   [batchSize]string
	arena []byte
}

// newBatch returns an empty batch; its arena is allocated on first use
// and grows up to arenaSize, so small captures stay cheap.
func newBatch() *batch { return &batch{} }

// minArena is the first arena size.
const minArena = 16 << 10

// readResult is what the reading goroutine reports when it ends.
type readResult struct {
	packets, snaplenCut int
	err                 *ReadError
}

// readAll reads and decodes every record, filling batches from free and
// sending them on full, which it closes at the end.
func readAll(rd *reader, full, free chan *batch, progress func(int, int64)) (rr readResult) {
	defer close(full)
	dec := newDecoder()
	b := <-free
	b.n, b.arena = 0, b.arena[:0]
	send := func() {
		full <- b
		b = <-free
		b.n, b.arena = 0, b.arena[:0]
		if cap(b.arena) > arenaSize {
			b.arena = make([]byte, 0, arenaSize) // drop an oversized arena
		}
	}
	for {
		data, ci, lt, err := rd.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var re *ReadError
			if !errors.As(err, &re) {
				re = &ReadError{Packet: rd.index, Offset: rd.start, Reason: err.Error()}
			}
			rr.err = re
			break
		}
		rr.packets++
		if progress != nil && rr.packets%ProgressEvery == 0 {
			progress(rr.packets, rd.offset())
		}
		if ci.CaptureLength < ci.Length {
			rr.snaplenCut++
		}
		if b.n == batchSize || len(b.arena)+len(data) > cap(b.arena) {
			// A batch that ran out of arena before it ran out of slots
			// asks for a bigger arena next time.
			grow := b.n < batchSize && cap(b.arena) < arenaSize
			size := cap(b.arena)
			if b.n > 0 {
				send()
			}
			if grow {
				size = min(max(2*size, minArena), arenaSize)
			}
			if size < len(data) {
				size = len(data)
			}
			if cap(b.arena) < size {
				b.arena = make([]byte, 0, size)
			}
		}
		// The reader reuses its buffer: keep a copy the tracker can read.
		start := len(b.arena)
		b.arena = append(b.arena, data...)
		frame := b.arena[start:len(b.arena):len(b.arena)]
		i := b.n
		why := dec.decode(lt, frame, &b.pkts[i])
		if why == skipUnknownLink {
			why = fmt.Sprintf("%s_%d", skipUnknownLink, int(lt))
		}
		b.why[i], b.ts[i], b.wire[i] = why, ci.Timestamp, ci.Length
		b.n++
	}
	if b.n > 0 {
		full <- b
	} else {
		free <- b
	}
	return rr
}
