// Package safeyaml is the one way pathproof decodes YAML it did not write
// (topology designs, scenario files, monitor configs). It refuses, before
// the YAML library builds its tree, input that is too large or nested too
// deep, custom tags and alias expansions that would multiply the document,
// and it turns any panic of the library into a "malformed YAML" error with
// the file and, where known, the line.
//
// The limits exist because the library's costs are not linear: a 64 KB
// file of nested brackets took 9.8 s and 1.65 GB before these checks, and
// a custom tag on a mapping value made it dereference nil (issue #18).
package safeyaml

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Limits on untrusted YAML. Real designs, scenarios and configs are far
// smaller (the largest reference scenario is 10 KB, about 1,500 tokens,
// 9 levels deep). The library keeps about 250 bytes per token and
// allocates twice that while parsing, so MaxTokens holds a parse to about
// 30 MB; large generated topologies use the design's JSON form instead.
const (
	// MaxSize is the largest YAML file accepted, in bytes.
	MaxSize = 4 << 20
	// MaxTokens is the most tokens (scalars, keys, punctuation, as
	// estimated by Check) a YAML file may have.
	MaxTokens = 50_000
	// MaxDepth is the deepest nesting of sequences and mappings accepted.
	MaxDepth = 100
	// MaxNodes is the most nodes a document may have once every alias is
	// expanded (the "billion laughs" guard).
	MaxNodes = 1 << 20
)

// Error is a YAML document refused or not understood: File and, when
// known, Line say where.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: malformed YAML: %s", e.File, e.Line, e.Msg)
	case e.File != "":
		return fmt.Sprintf("%s: malformed YAML: %s", e.File, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("line %d: malformed YAML: %s", e.Line, e.Msg)
	}
	return "malformed YAML: " + e.Msg
}

// Parse checks data against the limits and parses it into a syntax tree.
// Syntax errors come back as the library's error (so callers can read its
// position); refusals and library panics as *Error.
func Parse(file string, data []byte) (f *ast.File, err error) {
	if err := Check(file, data); err != nil {
		return nil, err
	}
	f, err = parse(file, data)
	if err != nil {
		return nil, err
	}
	if err := checkTree(file, f); err != nil {
		return nil, err
	}
	return f, nil
}

// Unmarshal decodes data into v after the checks of Parse. A library error
// is returned wrapped (errors.As finds *yaml.SyntaxError and friends); a
// refusal or a library panic is an *Error.
func Unmarshal(file string, data []byte, v any, opts ...yaml.DecodeOption) error {
	f, err := Parse(file, data)
	if err != nil {
		return err
	}
	if len(f.Docs) == 0 || f.Docs[0] == nil {
		return nil
	}
	return DecodeNode(file, f.Docs[0].Body, v, opts...)
}

// DecodeNode decodes n, a node of a tree from Parse, into v; a nil node
// leaves v as it is. A library panic becomes an *Error.
func DecodeNode(file string, n ast.Node, v any, opts ...yaml.DecodeOption) (err error) {
	if n == nil {
		return nil
	}
	isolateScalars(n)
	defer func() {
		if r := recover(); r != nil {
			err = &Error{File: file, Line: line(n), Msg: fmt.Sprintf("the YAML library failed on this input (%v)", r)}
		}
	}()
	return yaml.NodeToValue(n, v, opts...)
}

// isolateScalars unlinks every scalar's token from its neighbours. The
// library formats a scalar it hands to an encoding.TextUnmarshaler
// (netip.Prefix, netip.Addr) by first indexing every token reachable from
// it, the whole file: decoding cost O(tokens²) (a 1 MB design with 18,000
// prefixes did not finish in 5 minutes). A lone token formats alone.
func isolateScalars(n ast.Node) {
	ast.Walk(isolator{}, n)
}

type isolator struct{}

func (isolator) Visit(n ast.Node) ast.Visitor {
	if _, ok := n.(ast.ScalarNode); ok {
		if t := n.GetToken(); t != nil {
			t.Prev, t.Next = nil, nil
		}
	}
	return isolator{}
}

// FormatError is err as one message: a library error in the library's own
// format (line, column, message, no source excerpt), anything else as is.
func FormatError(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return strings.TrimSpace(yaml.FormatError(err, false, false))
}

func parse(file string, data []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, &Error{File: file, Msg: fmt.Sprintf("the YAML library failed on this input (%v)", r)}
		}
	}()
	return parser.ParseBytes(data, 0)
}
