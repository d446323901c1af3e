package pcap

import (
	"encoding/json"
	"slices"
)

// SummaryOptions choose what a Summary keeps.
type SummaryOptions struct {
	// Keep selects the connections the summary counts and keeps (a
	// filter); nil keeps every one.
	Keep func(c *Connection) bool
	// Table and Detail are how many connections to keep in the report
	// order: the first Table of all kept, the first Detail of those with
	// findings.
	Table, Detail int
	// All keeps every connection, in the report order, in a Sorter that
	// spills to temporary files (for a full listing or JSON).
	All bool
}

// Summary is what a report keeps of the connections Stream hands over,
// bounded whatever the capture's length: totals, counts per finding code,
// the first connections in the report order, and with All every
// connection in a Sorter. Add it as Stream's callback.
type Summary struct {
	opts SummaryOptions
	// Total counts the connections handed over, Kept those Keep selected,
	// WithFindings those of them with findings.
	Total, Kept, WithFindings int
	codes                     map[string]*CodeCount
	table, detail             *Top
	sorter                    *Sorter
	err                       error
}

// CodeCount is how many kept connections carry one finding code.
type CodeCount struct {
	Code     string
	Severity string
	// Connections counts the connections with the code.
	Connections int
	// First is the first of them in the report order.
	First Connection
	seq   int
}

// NewSummary returns an empty Summary; Close it to remove its temporary
// files.
func NewSummary(opts SummaryOptions) *Summary {
	s := &Summary{opts: opts, codes: map[string]*CodeCount{}, table: NewTop(opts.Table), detail: NewTop(opts.Detail)}
	if opts.All {
		s.sorter = NewSorter(0, "")
	}
	return s
}

// Add counts c, numbered seq as by Stream, and keeps it when Keep selects
// it. Its signature is Stream's callback.
func (s *Summary) Add(c *Connection, seq int) {
	s.Total++
	if s.opts.Keep != nil && !s.opts.Keep(c) {
		return
	}
	s.Kept++
	if len(c.Findings) > 0 {
		s.WithFindings++
		s.detail.Add(c, seq)
	}
	for _, f := range c.Findings {
		cc := s.codes[f.Code]
		if cc == nil {
			cc = &CodeCount{Code: f.Code, seq: -1}
			s.codes[f.Code] = cc
		}
		if cc.seq < 0 || Before(c, seq, &cc.First, cc.seq) {
			cc.First, cc.seq, cc.Severity = *c, seq, f.Severity
		}
		cc.Connections++
	}
	s.table.Add(c, seq)
	if s.sorter != nil && s.err == nil {
		s.err = s.sorter.Add(c, seq)
	}
}

// Err is the first error keeping every connection met (a temporary file
// that could not be written). Call it after the last Add: it waits for the
// temporary files being written.
func (s *Summary) Err() error {
	if s.err == nil && s.sorter != nil {
		s.err = s.sorter.Err()
	}
	return s.err
}

// All reports whether the summary keeps every connection (Each works).
func (s *Summary) All() bool { return s.sorter != nil }

// Codes returns the finding codes worst first: by severity, then by how
// many connections carry them, then by code.
func (s *Summary) Codes() []CodeCount {
	out := make([]CodeCount, 0, len(s.codes))
	for _, cc := range s.codes {
		out = append(out, *cc)
	}
	slices.SortFunc(out, func(a, b CodeCount) int {
		if ra, rb := SeverityRank(a.Severity), SeverityRank(b.Severity); ra != rb {
			return rb - ra
		}
		if a.Connections != b.Connections {
			return b.Connections - a.Connections
		}
		if a.Code < b.Code {
			return -1
		}
		if a.Code > b.Code {
			return 1
		}
		return 0
	})
	return out
}

// Table returns the first SummaryOptions.Table kept connections in the
// report order.
func (s *Summary) Table() []Connection { return s.table.Sorted() }

// Detail returns the first SummaryOptions.Detail kept connections with
// findings in the report order.
func (s *Summary) Detail() []Connection { return s.detail.Sorted() }

// Each calls fn with every kept connection in the report order (needs
// All), and stops at the first error.
func (s *Summary) Each(fn func(c *Connection) error) error {
	return s.EachJSON(func(elem []byte) error {
		var c Connection
		if err := json.Unmarshal(elem, &c); err != nil {
			return err
		}
		return fn(&c)
	})
}

// EachJSON calls fn with every kept connection's JSON element, indented as
// in a Report (see Sorter.Each), in the report order (needs All).
func (s *Summary) EachJSON(fn func(elem []byte) error) error {
	if s.sorter == nil {
		panic("pcap: Summary.Each without SummaryOptions.All")
	}
	return s.sorter.Each(fn)
}

// Close removes the temporary files of the Sorter.
func (s *Summary) Close() error {
	if s.sorter == nil {
		return nil
	}
	return s.sorter.Close()
}
