package azjson

import (
	"bytes"
	"fmt"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/armset"
)

// Sniff claims any JSON document: az CLI, ARM, Resource Graph and Network
// Watcher outputs. Try it after the formats that are JSON too (the design
// format written as JSON, terraform show -json).
func Sniff(_ string, data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	t = bytes.TrimPrefix(t, []byte("\xef\xbb\xbf"))
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// ReadValue adds the resources of one file, already decoded by
// jsonobj.Decode (the topology loader decodes a JSON file once for every
// format), to s. It returns notes about what it skipped or could not read
// (warnings naming the file and resource) and how many of them are skipped
// resources or files. The error is for a file that cannot be read as a
// whole.
func ReadValue(s *armset.Set, path string, v any) (notes []topology.Diag, skipped int, err error) {
	doc, err := DecodeValue(v)
	if err != nil {
		return nil, 0, err
	}
	note := func(id, msg string) {
		notes = append(notes, topology.Diag{Src: topology.Source{File: path, ID: id}, Message: msg})
	}
	switch {
	case doc.Dialect == DialectTerraform:
		return nil, 0, fmt.Errorf("terraform show -json output inside another document; give pathproof the output of terraform show -json as it is")
	case doc.Watcher != nil:
		note("", fmt.Sprintf("Network Watcher %s output, not topology; skipped (pathproof computes this answer itself)", doc.Watcher.Kind))
		return notes, 1, nil
	}
	for _, n := range doc.Notes {
		note("", n)
		skipped++
	}
	for _, r := range doc.Resources {
		msg, err := add(s, path, r)
		if err != nil {
			note(r.ID.Raw, err.Error())
		}
		if msg != "" {
			note(r.ID.Raw, msg)
			skipped++
		}
	}
	if len(doc.Resources) == 0 && len(doc.Notes) == 0 {
		note("", "no resources in this file")
	}
	return notes, skipped, nil
}
