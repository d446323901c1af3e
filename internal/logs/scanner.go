package logs

import (
	"bytes"
	"fmt"
	"io"
	"sync"
)

// maxValue bounds one JSON value (a record) the scanner holds in memory; a
// larger record is skipped to its end without being held, and reported.
// Azure's records are far smaller: one record is one resource's minute
// (flow logs) or one operation, the largest in the reference data is
// under 100 KB, and Event Hubs, where diagnostic settings also stream,
// refuses events over 1 MB. 8 MiB leaves eight times that margin and keeps
// a record's decoded form within tens of MB (a 1 GiB gzip-bombed string
// reached 1.13 GB under the old 512 MiB cap, issue #18). A var for tests.
var maxValue = 8 << 20

const readChunk = 256 << 10

// errTooLarge is reported when a single value exceeds maxValue.
func errTooLarge() error {
	return fmt.Errorf("record larger than %d MiB, the most pathproof holds (docs/log-sources.md); skipped to its end", maxValue>>20)
}

// scanState is the outcome of capturing one JSON value.
type scanState int

const (
	scanOK        scanState = iota
	scanTruncated           // input ended inside the value
	scanBroken              // a line break followed by '{' at column 0 inside the value: the value was cut, a new record starts
	scanTooLarge
)

// scanner streams JSON values out of a reader without decoding them: it
// tracks strings and nesting only, so records can be cut out of a
// {"records":[...]} envelope, a JSON Lines blob or a JSON array without
// holding the whole file.
type scanner struct {
	r    io.Reader
	buf  []byte
	pos  int
	end  int
	eof  bool
	rerr error // a read error other than io.EOF
	// tooBig is set while capture skips a value past maxValue.
	tooBig bool
	// bs and nl are the indexes in buf of the first backslash and line
	// break at or after bsFrom and nlFrom (end when there is none); fill
	// invalidates them (from = -1). Strings in logs rarely hold either, so
	// one search serves many strings.
	bs, bsFrom, nl, nlFrom int
}

// bufPool keeps read buffers between inputs: a folder of many small blobs
// would otherwise allocate one per file.
var bufPool = sync.Pool{New: func() any { b := make([]byte, readChunk); return &b }}

// maxPooled is the largest buffer returned to the pool (one huge record
// must not pin its buffer).
const maxPooled = 4 << 20

func newScanner(r io.Reader) *scanner {
	return &scanner{r: r, buf: *bufPool.Get().(*[]byte), bsFrom: -1, nlFrom: -1}
}

// plainUntil reports whether buf[i:k] holds no backslash and no line break.
func (s *scanner) plainUntil(i, k int) bool {
	if s.bsFrom < 0 || i < s.bsFrom || s.bs < i {
		s.bs, s.bsFrom = s.end, i
		if j := bytes.IndexByte(s.buf[i:s.end], '\\'); j >= 0 {
			s.bs = i + j
		}
	}
	if s.bs < k {
		return false
	}
	if s.nlFrom < 0 || i < s.nlFrom || s.nl < i {
		s.nl, s.nlFrom = s.end, i
		if j := bytes.IndexByte(s.buf[i:s.end], '\n'); j >= 0 {
			s.nl = i + j
		}
	}
	return s.nl >= k
}

// release returns the scanner's buffer to the pool; the scanner must not be
// used afterwards.
func (s *scanner) release() {
	if cap(s.buf) <= maxPooled {
		b := s.buf[:cap(s.buf)]
		bufPool.Put(&b)
	}
	s.buf = nil
}

// fill drops buf[:keep], reads more, and returns how far indices moved. ok
// is false when nothing more can be read.
func (s *scanner) fill(keep int) (shift int, ok bool) {
	s.bsFrom, s.nlFrom = -1, -1
	if keep > 0 {
		copy(s.buf, s.buf[keep:s.end])
		s.end -= keep
		s.pos -= keep
		shift = keep
	}
	if s.eof {
		return shift, false
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxValue {
			return shift, false
		}
		nb := make([]byte, min(2*len(s.buf), maxValue))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for tries := 0; tries < 100; tries++ {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.rerr = err
			}
			return shift, n > 0
		}
		if n > 0 {
			return shift, true
		}
	}
	s.eof = true
	s.rerr = io.ErrNoProgress
	return shift, false
}

// peek returns the byte at pos+off, reading more if needed.
func (s *scanner) peek(off int) (byte, bool) {
	for s.pos+off >= s.end {
		if _, ok := s.fill(s.pos); !ok {
			return 0, false
		}
	}
	return s.buf[s.pos+off], true
}

// skipWS skips whitespace (and a UTF-8 BOM) and returns the next byte.
func (s *scanner) skipWS() (byte, bool) {
	for {
		c, ok := s.peek(0)
		if !ok {
			return 0, false
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			s.pos++
		case 0xEF:
			if b, _ := s.peek(1); b == 0xBB {
				if b2, _ := s.peek(2); b2 == 0xBF {
					s.pos += 3
					continue
				}
			}
			return c, true
		default:
			return c, true
		}
	}
}

// skipLine moves past the next newline (or to the end).
func (s *scanner) skipLine() {
	for {
		for i := s.pos; i < s.end; i++ {
			if s.buf[i] == '\n' {
				s.pos = i + 1
				return
			}
		}
		s.pos = s.end
		if _, ok := s.fill(s.pos); !ok {
			return
		}
	}
}

// strStop marks the bytes a string scan must look at.
var strStop = [256]bool{'"': true, '\\': true, '\n': true}

// capture returns the next JSON value's bytes, starting at pos (which must
// be at its first byte). The slice is valid until the next scanner call.
// A value larger than maxValue is read to its end without being kept and
// reported as scanTooLarge, so the next value is found where it starts.
func (s *scanner) capture() ([]byte, scanState) {
	v, st := s.captureValue()
	if s.tooBig || len(v) > maxValue {
		s.tooBig = false
		return nil, scanTooLarge
	}
	return v, st
}

func (s *scanner) captureValue() ([]byte, scanState) {
	m := s.pos
	i := s.pos
	depth := 0
	inStr := false
	scalar := false
	for {
		if i >= s.end {
			if s.tooBig || s.end-m >= maxValue {
				// Too large: keep scanning for its end, holding nothing.
				s.tooBig = true
				m = i
			}
			shift, ok := s.fill(m)
			i -= shift
			m -= shift
			if !ok {
				s.pos = i
				if scalar && depth == 0 && !inStr {
					return s.buf[m:i], scanOK
				}
				return s.buf[m:i], scanTruncated
			}
			continue
		}
		if inStr {
			buf := s.buf[i:s.end]
			j := bytes.IndexByte(buf, '"')
			if j < 0 || !s.plainUntil(i, i+j) {
				j = 0
				for j < len(buf) && !strStop[buf[j]] {
					j++
				}
			}
			i += j
			if i >= s.end {
				continue
			}
			switch s.buf[i] {
			case '"':
				inStr = false
				i++
				if depth == 0 {
					s.pos = i
					return s.buf[m:i], scanOK
				}
			case '\\':
				if i+1 >= s.end {
					// Need the escaped byte too.
					shift, ok := s.fill(m)
					i -= shift
					m -= shift
					if !ok {
						s.pos = s.end
						return s.buf[m:s.end], scanTruncated
					}
					continue
				}
				i += 2
			case '\n':
				if st, cut := s.resync(&i, &m); cut {
					return s.buf[m:i], st
				}
				i++
			}
			continue
		}
		c := s.buf[i]
		switch c {
		case '"':
			inStr = true
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth <= 0 {
				i++
				s.pos = i
				if depth < 0 {
					return s.buf[m:i], scanBroken
				}
				return s.buf[m:i], scanOK
			}
		case '\n':
			if depth > 0 {
				if st, cut := s.resync(&i, &m); cut {
					return s.buf[m:i], st
				}
			} else if scalar {
				s.pos = i
				return s.buf[m:i], scanOK
			}
		case ',', ' ', '\t', '\r':
			if depth == 0 && scalar {
				s.pos = i
				return s.buf[m:i], scanOK
			}
		default:
			if depth == 0 {
				scalar = true
			}
		}
		i++
	}
}

// resync is called at a newline inside a value: when the next byte is '{'
// at column 0, the value was cut (a broken JSON Lines record) and a new
// record starts there.
func (s *scanner) resync(i, m *int) (scanState, bool) {
	if *i+1 >= s.end {
		shift, ok := s.fill(*m)
		*i -= shift
		*m -= shift
		if !ok {
			return 0, false
		}
	}
	if *i+1 < s.end && s.buf[*i+1] == '{' {
		s.pos = *i + 1
		return scanBroken, true
	}
	return 0, false
}

// expect consumes byte c after optional whitespace.
func (s *scanner) expect(c byte) bool {
	b, ok := s.skipWS()
	if !ok || b != c {
		return false
	}
	s.pos++
	return true
}

// startsWithKey reports whether the object at pos (at '{') has key as its
// first key, without consuming anything.
func (s *scanner) startsWithKey(key string) bool {
	off := 1
	for {
		c, ok := s.peek(off)
		if !ok {
			return false
		}
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			off++
			continue
		}
		if c != '"' {
			return false
		}
		for k := 0; k < len(key); k++ {
			b, ok := s.peek(off + 1 + k)
			if !ok || b != key[k] {
				return false
			}
		}
		b, ok := s.peek(off + 1 + len(key))
		return ok && b == '"'
	}
}
