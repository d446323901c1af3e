package logs

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/textutil"
)

// Options tune ReadAll.
type Options struct {
	// Workers is how many inputs are parsed at once (default GOMAXPROCS).
	Workers int
	// BatchSize is how many events go to one emit call (default 4096).
	BatchSize int
	// Progress, when set, receives a one-line progress report (files, events,
	// bytes of the inputs read, as stored: compressed for gzip) about every
	// ProgressEvery; the caller passes stderr only when
	// it is a terminal.
	Progress io.Writer
	// ProgressEvery defaults to one second.
	ProgressEvery time.Duration
	// Before and FilesTotal place this read in a larger one for the
	// progress line: Before is what the earlier parts read, FilesTotal the
	// files of the whole (default: the inputs of this read).
	Before     Progress
	FilesTotal int
	// NewKeep, when set, filters while parsing: each parsing worker calls
	// it once and passes every event it parses to the predicate it returns
	// (from that worker's goroutine only); events it rejects are dropped
	// before the hand-off to emit, so a one-shot question never pays for
	// moving, de-duplicating or storing events it cannot return. Skips and
	// counts still cover every event, and Report.Newest the newest of all.
	NewKeep func() func(*event.Event) bool
	// NewFlowKeep is NewKeep with a cheaper first test that the flow-log
	// parsers apply to each tuple before they build its event: a tuple flow
	// rejects makes no event (it is still counted, and its time seen), one
	// it accepts is built and passed to keep. flow must reject only events
	// keep rejects (filter.Filter's MatchFlow for MatchUntimed). Each
	// worker calls NewFlowKeep once; it is used instead of NewKeep.
	NewFlowKeep func() (keep func(*event.Event) bool, flow FlowCheck)
	// NewEmit, when set, has each worker hand its batches to a function of
	// its own, called from the worker's goroutine, instead of to ReadAll's
	// emit, which then receives nothing: the consumer's work runs on every
	// core, on events still in the cache of the core that parsed them.
	// Each worker calls NewEmit once; the functions of different workers
	// run at the same time. A batch is reused after the call returns.
	NewEmit func() func([]event.Event) error
}

// Progress is what a read has read so far, as its progress line counts
// it: inputs done, events handed over, bytes of the inputs as stored.
type Progress struct {
	Files  int
	Events int64
	Bytes  int64
}

// Flow is what a flow check sees of a flow-log tuple: its source and
// emitter, and the tuple (Time, Src, Dst, SrcPort, DstPort, Protocol,
// Direction as its event would carry them).
type Flow struct {
	Source  event.Source
	Emitter string
	*Tuple
}

// FlowCheck tests a flow tuple before its event is built (NewFlowKeep).
// The Flow is reused after the call.
type FlowCheck func(*Flow) bool

// ReadAll reads every input, several at once, and calls emit with batches of
// events from one goroutine (the caller's), in no particular order across
// inputs; events of one input keep their order. A batch is reused after
// emit returns: copy what must outlive the call. Skips are tallied in rep.
// An error from emit or ctx stops everything and is returned.
func ReadAll(ctx context.Context, ins []Input, opt Options, rep *Report, emit func([]event.Event) error) error {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(ins)))
	batch := opt.BatchSize
	if batch <= 0 {
		batch = 4096
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		bytesRead atomic.Int64
		filesDone atomic.Int64
		evCount   atomic.Int64
	)
	// A fixed set of batches circulates: a worker waits for a free one
	// rather than allocating (and zeroing) a new 4096-event slice while the
	// consumer still holds the last one, so memory stays bounded and no
	// batch is dropped and reallocated.
	maxBatches := 3*workers + 2
	free := make(chan []event.Event, maxBatches)
	full := make(chan []event.Event, 2*workers)
	var allocated atomic.Int64
	var (
		failOnce sync.Once
		failed   error // a worker's first error (NewEmit's, the context's)
	)
	jobs := make(chan Input)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []event.Event
			get := func() []event.Event {
				select {
				case b := <-free:
					return b[:0]
				default:
				}
				if allocated.Add(1) <= int64(maxBatches) {
					return make([]event.Event, 0, batch)
				}
				select {
				case b := <-free:
					return b[:0]
				case <-ctx.Done():
					return nil
				}
			}
			buf = get()
			var keep func(*event.Event) bool
			var flow FlowCheck
			switch {
			case opt.NewFlowKeep != nil:
				keep, flow = opt.NewFlowKeep()
			case opt.NewKeep != nil:
				keep = opt.NewKeep()
			}
			var own func([]event.Event) error
			if opt.NewEmit != nil {
				own = opt.NewEmit()
			}
			defer func() {
				select {
				case free <- buf:
				default:
				}
			}()
			for in := range jobs {
				send := func() error {
					if len(buf) == 0 {
						return nil
					}
					evCount.Add(int64(len(buf)))
					if own != nil {
						err := own(buf)
						buf = buf[:0]
						return err
					}
					select {
					case full <- buf:
					case <-ctx.Done():
						return ctx.Err()
					}
					buf = get()
					return nil
				}
				var last int64
				prog := func(n int64) {
					bytesRead.Add(n - last)
					last = n
				}
				var t tally
				// slot is where the next event is built in place; an event
				// built elsewhere is copied in.
				slot := func() *event.Event {
					if len(buf) == cap(buf) {
						buf = slices.Grow(buf, 1)
					}
					return &buf[:len(buf)+1][len(buf)]
				}
				err := readInputFlow(ctx, in, &t, func(e *event.Event) error {
					if e.Time.After(t.newest) {
						t.newest = e.Time
					}
					if keep != nil && !keep(e) {
						return nil // a slot left as it is is built over next
					}
					if len(buf) < cap(buf) && e == &buf[:len(buf)+1][len(buf)] {
						buf = buf[:len(buf)+1]
					} else {
						buf = append(buf, *e)
					}
					if len(buf) >= batch {
						return send()
					}
					return nil
				}, prog, slot, flow)
				if err == nil {
					err = send()
				}
				rep.merge(&t)
				filesDone.Add(1)
				if err != nil {
					// The first failure is what ReadAll returns: the
					// others are the cancellation it causes.
					failOnce.Do(func() { failed = err })
					cancel()
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, in := range ins {
			select {
			case jobs <- in:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(full)
	}()

	var tick <-chan time.Time
	if opt.Progress != nil {
		every := opt.ProgressEvery
		if every <= 0 {
			every = time.Second
		}
		t := time.NewTicker(every)
		defer t.Stop()
		tick = t.C
	}
	var emitErr error
	progress := func(final bool) {
		end := "\r"
		if final {
			end = "\n"
		}
		total := opt.FilesTotal
		if total == 0 {
			total = len(ins)
		}
		b := opt.Before
		fmt.Fprintf(opt.Progress, "\rread %d/%d files, %d events, %s%s",
			int64(b.Files)+filesDone.Load(), total, b.Events+evCount.Load(), textutil.Size(b.Bytes+bytesRead.Load()), end)
	}
	shown := false
	for {
		select {
		case b, ok := <-full:
			if !ok {
				if shown {
					progress(true)
				}
				if emitErr != nil {
					return emitErr
				}
				if failed != nil {
					return failed
				}
				return ctx.Err()
			}
			if emitErr == nil {
				if err := emit(b); err != nil {
					emitErr = err
					cancel()
				}
			}
			select {
			case free <- b:
			default:
			}
		case <-tick:
			shown = true
			progress(false)
		}
	}
}
