package safeyaml

import (
	"bytes"
	"fmt"

	"github.com/goccy/go-yaml/ast"
)

// Check refuses data larger than MaxSize or nested deeper than MaxDepth,
// in one pass over the bytes, before the library tokenises anything (its
// tokens cost about 280 bytes each: a 1 MB file of brackets took 278 MB
// just to tokenise).
func Check(file string, data []byte) error {
	if len(data) > MaxSize {
		return &Error{File: file, Msg: fmt.Sprintf("file is %d bytes, more than the %d bytes a YAML input may have", len(data), MaxSize)}
	}
	sc := scan(data)
	if sc.deepLine > 0 {
		return &Error{File: file, Line: sc.deepLine, Msg: fmt.Sprintf("nested more than %d levels deep (%d here)", MaxDepth, sc.depth)}
	}
	if sc.tokens > MaxTokens {
		return &Error{File: file, Line: sc.tokensLine, Msg: fmt.Sprintf("more than %d tokens (values, keys and punctuation); split the file or write it as JSON", MaxTokens)}
	}
	return nil
}

// scanResult is what scan found: the line where nesting first passed
// MaxDepth (0 if it never did) and the depth there; the estimated token
// count and the line where it passed MaxTokens.
type scanResult struct {
	deepLine, depth    int
	tokens, tokensLine int
}

// scan measures nesting and tokens. It over-estimates rather than misses:
// flow collections count one level per open bracket outside quotes and
// comments; block collections one level per indentation column still
// open, plus one per "- " that opens a nested sequence on the same line.
func scan(data []byte) (r scanResult) {
	flow := 0
	var cols []int // open block levels, by column
	var quote byte
	for ln, rest := 1, data; len(rest) > 0; ln++ {
		l := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		i := 0
		if flow == 0 && quote == 0 {
			for i < len(l) && l[i] == ' ' {
				i++
			}
			if i == len(l) || l[i] == '#' {
				continue
			}
			for len(cols) > 0 && cols[len(cols)-1] >= i {
				cols = cols[:len(cols)-1]
			}
			cols = append(cols, i)
			for i+1 < len(l) && l[i] == '-' && l[i+1] == ' ' {
				for i++; i < len(l) && l[i] == ' '; i++ {
				}
				cols = append(cols, i)
			}
			if n := len(cols); n > MaxDepth {
				return scanResult{deepLine: ln, depth: n}
			}
		}
		word := false
		for ; i < len(l); i++ {
			c := l[i]
			if quote != 0 {
				switch {
				case c == '\\' && quote == '"':
					i++
				case c == quote:
					quote = 0
				}
				continue
			}
			prev := byte(' ')
			if i > 0 {
				prev = l[i-1]
			}
			switch c {
			case '"', '\'':
				if prev == ' ' || prev == '[' || prev == '{' || prev == ',' || prev == ':' || prev == '\t' {
					quote = c
				}
			case '#':
				if prev == ' ' || prev == '\t' {
					i = len(l)
				}
			case '[', '{':
				flow++
				if n := flow + len(cols); n > MaxDepth {
					return scanResult{deepLine: ln, depth: n}
				}
			case ']', '}':
				if flow > 0 {
					flow--
				}
			}
			switch c {
			case ' ', '\t', '\r':
				word = false
			case '[', ']', '{', '}', ',', ':', '-', '"', '\'', '&', '*', '!', '|', '>':
				word = false
				r.tokens++
			default:
				if !word {
					r.tokens++
				}
				word = true
			}
			if r.tokens > MaxTokens && r.tokensLine == 0 {
				r.tokensLine = ln
			}
		}
	}
	return r
}

// standardTags are the YAML 1.2 core tags; pathproof's formats use no
// others, and the library mishandles some custom ones.
var standardTags = map[string]bool{
	"!!str": true, "!!int": true, "!!float": true, "!!bool": true, "!!null": true,
	"!!map": true, "!!seq": true, "!!binary": true, "!!timestamp": true,
	"!!merge": true, "!!omap": true, "!!set": true,
}

// checkTree refuses custom or empty tags and alias expansion past MaxNodes,
// with the line of the node at fault.
func checkTree(file string, f *ast.File) error {
	w := &weigher{anchors: map[string]int{}}
	for _, d := range f.Docs {
		if d == nil || d.Body == nil {
			continue
		}
		w.total += w.weigh(d.Body)
		if w.err != nil {
			w.err.File = file
			return w.err
		}
		if w.total > MaxNodes {
			return &Error{File: file, Msg: fmt.Sprintf("aliases expand the document past %d nodes", MaxNodes)}
		}
	}
	return nil
}

type weigher struct {
	anchors map[string]int
	total   int
	err     *Error
}

func line(n ast.Node) int {
	if t := n.GetToken(); t != nil && t.Position != nil {
		return t.Position.Line
	}
	return 0
}

// weigh returns the node count of n with aliases expanded, capped near
// MaxNodes so the sum cannot overflow.
func (w *weigher) weigh(n ast.Node) int {
	if n == nil || w.err != nil {
		return 0
	}
	sum := 1
	add := func(k int) {
		sum += k
		if sum > MaxNodes {
			sum = MaxNodes + 1
		}
	}
	switch v := n.(type) {
	case *ast.TagNode:
		tag := ""
		if v.Start != nil {
			tag = v.Start.Value
		}
		if !standardTags[tag] {
			w.err = &Error{Line: line(n), Msg: fmt.Sprintf("tag %q is not supported (only the standard !! tags are)", tag)}
			return 0
		}
		if v.Value == nil {
			w.err = &Error{Line: line(n), Msg: fmt.Sprintf("tag %q has no value", tag)}
			return 0
		}
		add(w.weigh(v.Value))
	case *ast.DocumentNode:
		add(w.weigh(v.Body))
	case *ast.MappingNode:
		for _, m := range v.Values {
			add(w.weigh(m))
		}
	case *ast.MappingKeyNode:
		add(w.weigh(v.Value))
	case *ast.MappingValueNode:
		add(w.weigh(v.Key))
		add(w.weigh(v.Value))
	case *ast.SequenceNode:
		for _, e := range v.Values {
			add(w.weigh(e))
		}
	case *ast.AnchorNode:
		k := w.weigh(v.Value)
		if v.Name != nil {
			w.anchors[v.Name.String()] = k
		}
		add(k)
	case *ast.AliasNode:
		if v.Value != nil {
			add(w.anchors[v.Value.String()])
		}
	case *ast.LiteralNode:
	}
	return sum
}
