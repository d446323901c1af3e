package pcap

import (
	"bufio"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// Before reports whether connection a comes before b in the report order:
// worst problems first, then by first packet, client and server, then by
// seq (the order Stream handed them over).
func Before(a *Connection, seqA int, b *Connection, seqB int) bool {
	return rankOf(a, seqA).before(rankOf(b, seqB))
}

// rank is the sort key of a connection in the report order.
type rank struct {
	severity       int
	sec            int64
	nsec           int32
	client, server string
	seq            int
}

func rankOf(c *Connection, seq int) rank {
	return rank{severity: c.severity, sec: c.First.Unix(), nsec: int32(c.First.Nanosecond()), client: c.Client, server: c.Server, seq: seq}
}

func (a rank) before(b rank) bool {
	if a.severity != b.severity {
		return a.severity > b.severity
	}
	if a.sec != b.sec {
		return a.sec < b.sec
	}
	if a.nsec != b.nsec {
		return a.nsec < b.nsec
	}
	if a.client != b.client {
		return a.client < b.client
	}
	if a.server != b.server {
		return a.server < b.server
	}
	return a.seq < b.seq
}

// Top keeps the first N connections in the report order of those added:
// what a report that shows only the worst needs, in memory bounded by N.
type Top struct {
	n int
	h topHeap
}

// NewTop returns a Top keeping n connections.
func NewTop(n int) *Top { return &Top{n: n} }

type topItem struct {
	r rank
	c Connection
}

// topHeap is a max-heap: the root is the last of the kept connections in
// the report order, the first to go when a better one comes.
type topHeap []topItem

func (h topHeap) Len() int           { return len(h) }
func (h topHeap) Less(i, j int) bool { return h[j].r.before(h[i].r) }
func (h topHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *topHeap) Push(x any)        { *h = append(*h, x.(topItem)) }
func (h *topHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	old[len(old)-1] = topItem{}
	*h = old[:len(old)-1]
	return x
}

// Add offers c, numbered seq as by Stream.
func (t *Top) Add(c *Connection, seq int) {
	if t.n <= 0 {
		return
	}
	r := rankOf(c, seq)
	if len(t.h) < t.n {
		heap.Push(&t.h, topItem{r, *c})
		return
	}
	if r.before(t.h[0].r) {
		t.h[0] = topItem{r, *c}
		heap.Fix(&t.h, 0)
	}
}

// Len is how many connections Top holds (at most N).
func (t *Top) Len() int { return len(t.h) }

// Sorted returns the kept connections in the report order.
func (t *Top) Sorted() []Connection {
	items := slices.Clone(t.h)
	slices.SortFunc(items, func(a, b topItem) int {
		if a.r.before(b.r) {
			return -1
		}
		return 1
	})
	out := make([]Connection, len(items))
	for i := range items {
		out[i] = items[i].c
	}
	return out
}

// Sorter puts connections in the report order with memory bounded by its
// run size: it keeps each connection as its JSON element, indented as
// render.JSON writes an element of Report.Connections, and when a run (half
// the run size) is full hands it to a goroutine of its own that sorts it
// and writes it to a temporary file while the next run fills; Each merges
// the runs.
type Sorter struct {
	runSize int
	dir     string
	// mem is the run being filled; the JSON of its connections is in
	// arena, one after the other, reused from run to run.
	mem     []memRec
	arena   []byte
	runs    []*os.File // appended by the writer: read after finish
	n       int
	peakMem int
	// The writer goroutine, started by the first full run: toWrite takes
	// it a run, spare gives one back emptied, written its first error
	// when toWrite is closed.
	toWrite  chan memRun
	spare    chan memRun
	written  chan error
	inFlight int // connections of the run handed to the writer last
	finished bool
	werr     error
}

// memRun is a run of connections in memory.
type memRun struct {
	mem   []memRec
	arena []byte
}

// memRec is a connection of the run in memory: its rank and where its
// JSON is in the arena.
type memRec struct {
	r        rank
	off, end int
}

// sortRec is a connection read back from a run, or of the run in memory.
type sortRec struct {
	r    rank
	json []byte
}

// DefaultRunSize is the run size NewSorter uses when given 0.
const DefaultRunSize = 4096

// runBytes bounds the JSON of the runs in memory: a run of connections
// with long JSON (TLS, DNS, HTTP details) is written out before it has its
// share of runSize connections.
const runBytes = 4 << 20

// NewSorter returns a Sorter that holds at most runSize connections in
// memory (a run being filled and one being written, of runSize/2 each) and
// spills to temporary files in dir (os.TempDir() when empty).
func NewSorter(runSize int, dir string) *Sorter {
	if runSize <= 0 {
		runSize = DefaultRunSize
	}
	return &Sorter{runSize: runSize, dir: dir}
}

// elemIndent is the indentation of an element of Report.Connections as
// render.JSON writes a Report (two spaces a level).
const elemIndent = "    "

// elemBase is the length of elemIndent, the spaces before every line of an
// element but its first.
const elemBase = len(elemIndent)

// Add takes c, numbered seq as by Stream.
func (s *Sorter) Add(c *Connection, seq int) error {
	off := len(s.arena)
	js, err := appendConnectionJSONIndented(s.arena, c, elemBase)
	if err != nil {
		s.arena = js[:off]
		return err
	}
	s.arena = js
	s.mem = append(s.mem, memRec{rankOf(c, seq), off, len(js)})
	s.n++
	s.peakMem = max(s.peakMem, len(s.mem)+s.inFlight)
	if len(s.mem) >= max(s.runSize/2, 1) || len(s.arena) >= runBytes/2 {
		return s.handOver()
	}
	return nil
}

// handOver gives the full run to the writer and takes back the one it
// wrote before (waiting for it to be written); once finished, it writes
// the run itself.
func (s *Sorter) handOver() error {
	if s.finished {
		err := s.writeRun(s.mem, s.arena)
		s.mem, s.arena = emptied(s.mem, s.arena)
		return err
	}
	if s.toWrite == nil {
		s.toWrite, s.spare, s.written = make(chan memRun), make(chan memRun, 1), make(chan error, 1)
		s.spare <- memRun{}
		go s.writer()
	}
	s.toWrite <- memRun{s.mem, s.arena}
	s.inFlight = len(s.mem)
	r := <-s.spare
	s.mem, s.arena = r.mem, r.arena
	return nil
}

// writer writes the runs it is handed until toWrite is closed, then sends
// its first error on written. After an error it only empties the runs.
func (s *Sorter) writer() {
	var first error
	for r := range s.toWrite {
		if first == nil {
			first = s.writeRun(r.mem, r.arena)
		}
		r.mem, r.arena = emptied(r.mem, r.arena)
		s.spare <- r
	}
	s.written <- first
}

// emptied returns a run's buffers emptied for reuse.
func emptied(mem []memRec, arena []byte) ([]memRec, []byte) {
	clear(mem) // drop the endpoint strings
	if cap(arena) > runBytes {
		arena = nil // drop an arena one huge connection grew
	}
	return mem[:0], arena[:0]
}

// finish waits for the writer to write every run handed to it and returns
// its first error; Add writes its runs itself afterwards.
func (s *Sorter) finish() error {
	if !s.finished {
		s.finished = true
		if s.toWrite != nil {
			close(s.toWrite)
			s.werr = <-s.written
		}
	}
	return s.werr
}

// Err waits for the runs being written and returns the first error writing
// them (a temporary file that could not be written).
func (s *Sorter) Err() error { return s.finish() }

// Len is how many connections were added.
func (s *Sorter) Len() int { return s.n }

// PeakInMemory is the most connections the Sorter held in memory at once.
func (s *Sorter) PeakInMemory() int { return s.peakMem }

// Runs is how many runs were written to temporary files (it waits for the
// runs being written).
func (s *Sorter) Runs() int {
	_ = s.finish()
	return len(s.runs)
}

// sortRun puts a run in the report order.
func sortRun(mem []memRec) {
	slices.SortFunc(mem, func(a, b memRec) int {
		if a.r.before(b.r) {
			return -1
		}
		return 1
	})
}

// writeRun sorts a run and writes it to a new temporary file.
func (s *Sorter) writeRun(mem []memRec, arena []byte) error {
	sortRun(mem)
	f, err := os.CreateTemp(s.dir, "pathproof-pcap-run-*")
	if err != nil {
		return fmt.Errorf("spilling sorted connections: %w", err)
	}
	// The file is removed now and read through its descriptor: nothing is
	// left behind however the program ends (on Unix).
	_ = os.Remove(f.Name())
	s.runs = append(s.runs, f)
	w := bufio.NewWriterSize(f, 64<<10)
	for i := range mem {
		m := &mem[i]
		writeRec(w, &sortRec{m.r, arena[m.off:m.end]})
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("spilling sorted connections: %w", err)
	}
	return nil
}

func writeRec(w *bufio.Writer, r *sortRec) {
	var b [binary.MaxVarintLen64]byte
	put := func(v int64) { w.Write(b[:binary.PutVarint(b[:], v)]) }
	put(int64(r.r.severity))
	put(r.r.sec)
	put(int64(r.r.nsec))
	put(int64(len(r.r.client)))
	w.WriteString(r.r.client)
	put(int64(len(r.r.server)))
	w.WriteString(r.r.server)
	put(int64(r.r.seq))
	put(int64(len(r.json)))
	w.Write(r.json)
}

// maxRecord bounds a record read back from a run (a connection's JSON is
// capped by the per-connection limits well below it).
const maxRecord = 64 << 20

func readRec(rd *bufio.Reader, r *sortRec) error {
	var vals [3]int64
	for i := range vals {
		v, err := binary.ReadVarint(rd)
		if err != nil {
			return err
		}
		vals[i] = v
	}
	client, err := readBytes(rd, nil)
	if err != nil {
		return err
	}
	server, err := readBytes(rd, nil)
	if err != nil {
		return err
	}
	seq, err := binary.ReadVarint(rd)
	if err != nil {
		return err
	}
	// The JSON reuses the buffer of the run's previous record: Each is
	// done with it before it reads the next one.
	js, err := readBytes(rd, r.json[:0])
	if err != nil {
		return err
	}
	r.r = rank{severity: int(vals[0]), sec: vals[1], nsec: int32(vals[2]), client: string(client), server: string(server), seq: int(seq)}
	r.json = js
	return nil
}

// readBytes reads a length-prefixed byte string into buf.
func readBytes(rd *bufio.Reader, buf []byte) ([]byte, error) {
	n, err := binary.ReadVarint(rd)
	if err != nil {
		return nil, err
	}
	if n < 0 || n > maxRecord {
		return nil, errors.New("corrupt run file")
	}
	buf = slices.Grow(buf[:0], int(n))[:n]
	if _, err := io.ReadFull(rd, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// Each calls fn with every connection's JSON element (indented as in a
// Report, without a trailing newline), in the report order, and stops at
// the first error. It may be called again.
func (s *Sorter) Each(fn func(elem []byte) error) error {
	if err := s.finish(); err != nil {
		return err
	}
	sortRun(s.mem)
	memJSON := func(i int) []byte { return s.arena[s.mem[i].off:s.mem[i].end] }
	if len(s.runs) == 0 {
		for i := range s.mem {
			if err := fn(memJSON(i)); err != nil {
				return err
			}
		}
		return nil
	}
	// k-way merge of the runs and the in-memory tail.
	h := &mergeHeap{}
	readers := make([]*bufio.Reader, len(s.runs))
	for i, f := range s.runs {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		readers[i] = bufio.NewReaderSize(f, 16<<10)
		var r sortRec
		if err := readRec(readers[i], &r); err != nil {
			if errors.Is(err, io.EOF) {
				continue
			}
			return fmt.Errorf("reading sorted connections: %w", err)
		}
		*h = append(*h, mergeItem{r, i})
	}
	memPos := 0
	if len(s.mem) > 0 {
		*h = append(*h, mergeItem{sortRec{s.mem[0].r, memJSON(0)}, -1})
		memPos = 1
	}
	heap.Init(h)
	for h.Len() > 0 {
		top := &(*h)[0]
		if err := fn(top.rec.json); err != nil {
			return err
		}
		if top.src < 0 {
			if memPos < len(s.mem) {
				top.rec = sortRec{s.mem[memPos].r, memJSON(memPos)}
				memPos++
				heap.Fix(h, 0)
			} else {
				heap.Pop(h)
			}
			continue
		}
		if err := readRec(readers[top.src], &top.rec); err != nil {
			if !errors.Is(err, io.EOF) {
				return fmt.Errorf("reading sorted connections: %w", err)
			}
			heap.Pop(h)
			continue
		}
		heap.Fix(h, 0)
	}
	return nil
}

// Close removes the temporary files.
func (s *Sorter) Close() error {
	first := s.finish()
	for _, f := range s.runs {
		if err := f.Close(); err != nil && first == nil {
			first = err
		}
	}
	s.runs, s.mem, s.arena = nil, nil, nil
	return first
}

type mergeItem struct {
	rec sortRec
	src int // run index, -1 for the in-memory tail
}

type mergeHeap []mergeItem

func (h mergeHeap) Len() int           { return len(h) }
func (h mergeHeap) Less(i, j int) bool { return h[i].rec.r.before(h[j].rec.r) }
func (h mergeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)        { *h = append(*h, x.(mergeItem)) }
func (h *mergeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// appendIndented appends the valid compact JSON src indented as
// json.Indent(dst, src, prefix, indent) would, in one pass without
// encoding/json's scanner (a tenth of the cost): a newline, prefix and
// indent per level before each element and closing bracket, ": " after a
// key, empty objects and arrays kept as {} and [], strings copied as they
// are.
func appendIndented(dst, src []byte, prefix, indent string) []byte {
	depth := 0
	need := false // an opening bracket waits to see whether it is empty
	newline := func(depth int) {
		dst = append(dst, '\n')
		dst = append(dst, prefix...)
		for i := 0; i < depth; i++ {
			dst = append(dst, indent...)
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		if need && c != '}' && c != ']' {
			need = false
			depth++
			newline(depth)
		}
		switch c {
		case '"':
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(src))
			dst = append(dst, src[i:j]...)
			i = j - 1
		case '{', '[':
			need = true
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline(depth)
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if need {
				need = false
			} else {
				depth--
				newline(depth)
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
