package azlive

import (
	"errors"
	"time"
)

// Document is one response body as Azure returned it (Resource Graph's
// skip token taken out), named by its path in an export folder.
type Document struct {
	Name string // slash-separated, e.g. "resource-graph/SUB/page-0001.json"
	Data []byte
}

// ScopeResult is what one scope gave.
type ScopeResult struct {
	Scope Scope
	Pages int // Resource Graph pages read
	Rows  int // Resource Graph rows read
	// ARMCalls counts the ARM reads for what Resource Graph lacks.
	ARMCalls int
	// Err is set when the scope could not be read at all (its rows are
	// missing from the snapshot).
	Err error
	// Problems are parts of the scope that could not be read (a firewall
	// policy's rule collection groups, a truncated result).
	Problems []error
}

// Partial reports whether the scope was read only in part or not at all.
func (r ScopeResult) Partial() bool { return r.Err != nil || len(r.Problems) > 0 }

// Snapshot is what one fetch read: the raw documents in the order they
// were fetched, and per scope what was read and what failed.
type Snapshot struct {
	Fetched   time.Time
	Scopes    []ScopeResult
	Documents []Document
	// Types counts the resources read per lower-cased ARM type.
	Types map[string]int
}

// Partial reports whether any scope was read only in part.
func (s *Snapshot) Partial() bool {
	for _, r := range s.Scopes {
		if r.Partial() {
			return true
		}
	}
	return false
}

// Problems lists every failure, scope by scope, each naming its scope.
func (s *Snapshot) Problems() []*ScopeError {
	var out []*ScopeError
	for _, r := range s.Scopes {
		if r.Err != nil {
			out = append(out, &ScopeError{Scope: r.Scope, Err: r.Err})
		}
		for _, p := range r.Problems {
			out = append(out, &ScopeError{Scope: r.Scope, Err: p, Part: true})
		}
	}
	return out
}

// ScopeError is a failure while reading one scope.
type ScopeError struct {
	Scope Scope
	Err   error
	// Part is true when only part of the scope is missing.
	Part bool
}

func (e *ScopeError) Error() string {
	if e.Part {
		return e.Scope.String() + " read in part: " + e.Err.Error()
	}
	return e.Scope.String() + " not read: " + e.Err.Error()
}

func (e *ScopeError) Unwrap() error { return e.Err }

// Code is the registered code of the failure.
func (e *ScopeError) Code() string {
	if e.Part {
		return CodePartRead
	}
	return CodeScopeUnreadable
}

// ErrNothingRead is wrapped by the error of Fetch (and Load) when no
// scope could be read.
var ErrNothingRead = errors.New("no azure:// scope could be read")
