package scenario

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/pathproof/pathproof/internal/safeyaml"
	"github.com/pathproof/pathproof/internal/topology"
)

// The scenario schema (docs/topology-format.md): every key a scenario file
// may have. Unknown keys are errors, so a misspelled key is reported
// instead of being compared as null or silently ignored. The keys of a
// query's input and expect belong to its kind (Register); those of a
// modify operation to the op (opKeys).
var (
	fileKeys  = schemaKeys()
	queryKeys = KeysOf(reflect.TypeFor[Query]())
)

// schemaKeys derives the top-level keys from File: the topology has the
// design format's keys, the profile one key, and queries are checked per
// kind by checkQueries.
func schemaKeys() Keys {
	k := KeysOf(reflect.TypeFor[File]())
	k["topology"] = KeysOf(reflect.TypeFor[topology.Network]())
	k["profile"] = Keys{ProfileNoneRoutes: nil}
	k["queries"] = nil
	return k
}

// maxKeyErrors bounds the unknown keys one error lists.
const maxKeyErrors = 20

// checkKeys reports every unknown key, unknown query kind, unknown modify
// op and query without id or kind in data, one line each as
// "path:line:col: problem".
func checkKeys(path string, data []byte) error {
	file, err := parseYAML(data)
	if err != nil || file == nil || len(file.Docs) == 0 {
		return nil // the decoder has already reported malformed YAML
	}
	c := &keyChecker{}
	root := file.Docs[0].Body
	c.check(root, fileKeys, "")
	c.checkQueries(value(root, "queries"))
	if len(c.errs) == 0 {
		return nil
	}
	lines := make([]string, 0, len(c.errs))
	for i, e := range c.errs {
		if i == maxKeyErrors {
			lines = append(lines, fmt.Sprintf("%s: ... and %d more", path, len(c.errs)-i))
			break
		}
		lines = append(lines, fmt.Sprintf("%s:%d:%d: %s", path, e.line, e.col, e.msg))
	}
	return &SchemaError{Path: path, Problems: len(c.errs), Text: strings.Join(lines, "\n")}
}

// SchemaError lists the schema problems of one scenario file, one per line.
type SchemaError struct {
	Path     string
	Problems int
	Text     string
}

func (e *SchemaError) Error() string { return e.Text }

func (c *keyChecker) checkQueries(n ast.Node) {
	seq, ok := unwrap(n).(*ast.SequenceNode)
	if !ok {
		return
	}
	for i, q := range seq.Values {
		where := fmt.Sprintf("queries[%d]", i)
		if id := scalarText(value(q, "id")); id != "" {
			where += " (" + id + ")"
		}
		c.check(q, queryKeys, where)
		kindNode := value(q, "kind")
		kind := scalarText(kindNode)
		if scalarText(value(q, "id")) == "" || kind == "" {
			c.add(q, "%s has no id or kind", where)
			continue
		}
		k, ok := lookupKind(kind)
		if !ok {
			c.add(kindNode, "%s: unknown query kind %q (known kinds: %s)", where, kind, strings.Join(Kinds(), ", "))
			continue
		}
		c.check(value(q, "input"), k.input, where+".input")
		c.check(value(q, "expect"), k.expect, where+".expect")
		c.checkModify(value(q, "modify"), where+".modify")
	}
}

func (c *keyChecker) checkModify(n ast.Node, where string) {
	seq, ok := unwrap(n).(*ast.SequenceNode)
	if !ok {
		return
	}
	for j, item := range seq.Values {
		at := fmt.Sprintf("%s[%d]", where, j)
		opNode := value(item, "op")
		op := scalarText(opNode)
		keys, ok := opKeys[op]
		if !ok {
			if opNode == nil {
				opNode = item
			}
			c.add(opNode, "%s: unknown op %q (known ops: %s)", at, op, known(opKeys))
			continue
		}
		c.check(item, keys, at)
	}
}

// parseYAML parses data into a syntax tree through safeyaml (its limits
// first; a panic of the YAML library becomes an error).
func parseYAML(data []byte) (*ast.File, error) { return safeyaml.Parse("", data) }
