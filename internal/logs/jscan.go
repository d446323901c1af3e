package logs

import (
	"bytes"
	"encoding/json"
	"errors"
)

// jscan is a minimal in-memory JSON walker for the flow-log record shape:
// it reads strings without allocating (raw bytes between the quotes) and
// skips values it does not need. Anything unexpected returns errOdd and the
// caller falls back to encoding/json.
type jscan struct {
	b []byte
	i int
	// esc is the index of the first backslash at or after escFrom (the
	// string start that looked for it), len(b) when there is none; escKnown
	// says it was computed. Flow logs hold almost no backslashes, so one search serves
	// every string up to the next one instead of one search per string.
	esc, escFrom int
	escKnown     bool
}

var errOdd = errors.New("unexpected JSON shape")

func (p *jscan) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

// next returns the next non-space byte without consuming it (0 at the end).
func (p *jscan) next() byte {
	p.ws()
	if p.i >= len(p.b) {
		return 0
	}
	return p.b[p.i]
}

func (p *jscan) eat(c byte) bool {
	if p.next() == c {
		p.i++
		return true
	}
	return false
}

// str reads a string; raw is its bytes between the quotes, esc reports a
// backslash inside (the caller must unescape).
func (p *jscan) str() (raw []byte, esc bool, err error) {
	if !p.eat('"') {
		return nil, false, errOdd
	}
	start := p.i
	if j := bytes.IndexByte(p.b[p.i:], '"'); j >= 0 {
		if !p.escKnown || p.esc < start || start < p.escFrom {
			p.esc, p.escFrom, p.escKnown = len(p.b), start, true
			if k := bytes.IndexByte(p.b[start:], '\\'); k >= 0 {
				p.esc = start + k
			}
		}
		if p.esc > start+j {
			p.i += j + 1
			return p.b[start : p.i-1], false, nil
		}
	}
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c == '"' {
			raw = p.b[start:p.i]
			p.i++
			return raw, esc, nil
		}
		if c == '\\' {
			esc = true
			p.i++
		}
		p.i++
	}
	return nil, false, errOdd
}

// strVal reads a string value and unescapes it when needed.
func (p *jscan) strVal() ([]byte, error) {
	start := p.i
	raw, esc, err := p.str()
	if err != nil || !esc {
		return raw, err
	}
	var s string
	p.ws()
	if err := json.Unmarshal(p.b[start:p.i], &s); err != nil {
		return nil, errOdd
	}
	return []byte(s), nil
}

// skip skips one value of any type.
func (p *jscan) skip() error {
	switch c := p.next(); c {
	case '"':
		_, _, err := p.str()
		return err
	case '{', '[':
		depth := 0
		for p.i < len(p.b) {
			switch p.b[p.i] {
			case '"':
				if _, _, err := p.str(); err != nil {
					return err
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					p.i++
					return nil
				}
			}
			p.i++
		}
		return errOdd
	case 0:
		return errOdd
	default:
		for p.i < len(p.b) {
			switch p.b[p.i] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				return nil
			}
			p.i++
		}
		return nil
	}
}

// object calls f for each key of an object; f must consume the value.
func (p *jscan) object(f func(key []byte) error) error {
	if !p.eat('{') {
		if p.next() == 'n' { // null
			return p.skip()
		}
		return errOdd
	}
	if p.eat('}') {
		return nil
	}
	for {
		k, _, err := p.str()
		if err != nil {
			return err
		}
		if !p.eat(':') {
			return errOdd
		}
		p.ws()
		if err := f(k); err != nil {
			return err
		}
		if p.eat(',') {
			continue
		}
		if p.eat('}') {
			return nil
		}
		return errOdd
	}
}

// array calls f for each element; f must consume it.
func (p *jscan) array(f func() error) error {
	if !p.eat('[') {
		if p.next() == 'n' {
			return p.skip()
		}
		return errOdd
	}
	if p.eat(']') {
		return nil
	}
	for {
		p.ws()
		if err := f(); err != nil {
			return err
		}
		if p.eat(',') {
			continue
		}
		if p.eat(']') {
			return nil
		}
		return errOdd
	}
}
