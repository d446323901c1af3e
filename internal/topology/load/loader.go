package load

import (
	"errors"
	"strings"

	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/armset"
	"github.com/pathproof/pathproof/internal/topology/design"
)

// Loader is one load: the files read so far, in order. Make it with New,
// add files with File or Bytes, and end with Finish. It is not safe for
// concurrent use.
//
// Azure exports reference each other across files (a subnet listed on its
// own, a private endpoint's NIC, the public IP resources holding
// addresses, a policy's rule collection groups, Terraform's association
// resources), so the Azure formats add to one armset.Set that is mapped
// once, in Finish. The mapped resources take the place of the last Azure
// file among the inputs: resources and diagnostics from files read after
// it come after them.
type Loader struct {
	// net and diags hold what was read up to the last Azure file; tail
	// and tailDiags what came after it.
	net, tail        *topology.Network
	diags, tailDiags *topology.Diagnostics
	skipped          int

	azure     bool       // an Azure file was read
	set       armset.Set // every Azure resource read so far
	azNotes   []topology.Diag
	azSkipped int
}

// New starts a load.
func New() *Loader {
	return &Loader{net: &topology.Network{}, tail: &topology.Network{},
		diags: &topology.Diagnostics{}, tailDiags: &topology.Diagnostics{}}
}

func (l *Loader) errorf(src topology.Source, format string, a ...any) {
	l.tailDiags.Errorf(src, "", format, a...)
}

func (l *Loader) warnf(src topology.Source, format string, a ...any) {
	l.tailDiags.Warnf(src, "", format, a...)
}

// readDesign reads pathproof's design format.
func (l *Loader) readDesign(in *input) error {
	n, err := design.Parse(in.path, in.data)
	if err != nil {
		// design names the file; the diagnostic does too.
		return errors.New(strings.TrimPrefix(err.Error(), in.path+": "))
	}
	l.tail.Merge(n)
	return nil
}

// azure makes the read function of an Azure format: read adds one file's
// resources, from its decoded JSON, to the load's Set and returns notes
// about what it skipped. A file that is not JSON fails with the decoder's
// error (line and column).
func azure(read func(s *armset.Set, path string, doc any) ([]topology.Diag, int, error)) func(*Loader, *input) error {
	return func(l *Loader, in *input) error {
		doc, err := in.json()
		if err != nil {
			return err
		}
		notes, skipped, err := read(&l.set, in.path, doc)
		if err != nil {
			return err
		}
		l.azure = true
		l.azNotes = append(l.azNotes, notes...)
		l.azSkipped += skipped
		// What was read since the previous Azure file goes before the
		// Azure resources.
		l.net.Merge(l.tail)
		l.diags.Errors = append(l.diags.Errors, l.tailDiags.Errors...)
		l.diags.Warnings = append(l.diags.Warnings, l.tailDiags.Warnings...)
		l.tail, l.tailDiags = &topology.Network{}, &topology.Diagnostics{}
		return nil
	}
}

// Finish maps the Azure resources, joins everything read into one
// Network, indexes and validates it. Call it once, after the last file.
func (l *Loader) Finish() (*topology.Network, *topology.Diagnostics) {
	net, d := l.net, l.diags
	if l.azure {
		mapped, md := l.set.Network()
		d.Errors = append(d.Errors, md.Errors...)
		d.Warnings = append(d.Warnings, l.azNotes...)
		d.Warnings = append(d.Warnings, md.Warnings...)
		d.Missing = append(d.Missing, md.Missing...)
		d.Skipped += l.azSkipped
		net.Merge(mapped)
	}
	net.Merge(l.tail)
	d.Errors = append(d.Errors, l.tailDiags.Errors...)
	d.Warnings = append(d.Warnings, l.tailDiags.Warnings...)
	d.Skipped += l.skipped
	net.Finish(d)
	return net, d
}
