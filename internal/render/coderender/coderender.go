// Package coderender prints the codes registry for people: the table of
// codes and one code in full. Its JSON is the []codes.Code itself
// (render.JSON).
package coderender

import (
	"fmt"
	"io"

	"github.com/pathproof/pathproof/internal/codes"
	"github.com/pathproof/pathproof/internal/render"
)

// List writes codes as a table (code, domain, kind, severity, meaning)
// and says how to see one code in full.
func List(w io.Writer, list []codes.Code) error {
	t := render.Table{Header: []string{"CODE", "DOMAIN", "KIND", "SEVERITY", "MEANING"}}
	for _, c := range list {
		t.Add(c.ID, c.Domain, c.Kind, c.Severity, c.Meaning)
	}
	if err := t.Write(w); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "\npathproof codes CODE shows what to check next for one code.")
	return err
}

// Detail writes one code with everything its JSON has: its meaning, what
// to check next and the docs section.
func Detail(w io.Writer, c codes.Code) error {
	kind := c.Domain + " " + c.Kind
	if c.Severity != "" {
		kind += ", " + c.Severity
	}
	_, err := fmt.Fprintf(w, "%s  (%s)\n\n%s\n\nWhat to check next: %s\n\nDocs: %s\n",
		render.Escape(c.ID), kind, c.Meaning, c.Next, c.DocsPath())
	return err
}
