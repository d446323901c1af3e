package topology

import (
	"fmt"
	"strings"
)

// Diag is one problem found while loading or validating a topology.
type Diag struct {
	Src      Source
	Resource string // "kind name", e.g. "nic vm1-nic"
	Message  string
	// Ref is, for a missing reference, the id of the resource the inputs
	// lack.
	Ref string
}

func (d Diag) String() string {
	if d.Resource == "" {
		return fmt.Sprintf("%s: %s", d.Src, d.Message)
	}
	return fmt.Sprintf("%s: %s: %s", d.Src, d.Resource, d.Message)
}

// Diagnostics collects errors (input that is invalid or inconsistent),
// warnings (input that was ignored or assumed) and missing references (an
// export refers to a resource the inputs lack: the referring part is left
// out, the rest loads, and commands answer, then exit 4).
type Diagnostics struct {
	Errors   []Diag
	Warnings []Diag
	// Missing lists references to resources the inputs lack; each names
	// the referring resource and the missing resource's id.
	Missing []Diag
	// Skipped counts resources or files that were not loaded.
	Skipped int
}

// Errorf records an error about resource res read from src.
func (d *Diagnostics) Errorf(src Source, res, format string, a ...any) {
	d.Errors = append(d.Errors, Diag{Src: src, Resource: res, Message: fmt.Sprintf(format, a...)})
}

// Warnf records a warning about resource res read from src.
func (d *Diagnostics) Warnf(src Source, res, format string, a ...any) {
	d.Warnings = append(d.Warnings, Diag{Src: src, Resource: res, Message: fmt.Sprintf(format, a...)})
}

// Missingf records that resource res read from src refers to the resource
// ref (an id) the inputs lack.
func (d *Diagnostics) Missingf(src Source, res, ref, format string, a ...any) {
	d.Missing = append(d.Missing, Diag{Src: src, Resource: res, Message: fmt.Sprintf(format, a...), Ref: ref})
}

// Err returns nil when there are no errors, else one error listing them.
func (d *Diagnostics) Err() error {
	if d == nil || len(d.Errors) == 0 {
		return nil
	}
	lines := make([]string, len(d.Errors))
	for i, e := range d.Errors {
		lines[i] = e.String()
	}
	return fmt.Errorf("invalid topology (%d problem(s)):\n  %s", len(d.Errors), strings.Join(lines, "\n  "))
}
