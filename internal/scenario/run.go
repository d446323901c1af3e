package scenario

import (
	"fmt"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
)

// Result is the outcome of one query. JSON keys are the `check --output
// json` contract.
type Result struct {
	ID          string   `json:"id"`
	Kind        string   `json:"kind"`
	Pass        bool     `json:"pass"`
	Actual      any      `json:"actual"`
	Diff        []string `json:"diff"`
	Skipped     bool     `json:"skipped,omitempty"`
	Error       string   `json:"error,omitempty"`
	Assumptions []string `json:"assumptions,omitempty"`
}

// Report is the outcome of one scenario file.
type Report struct {
	Scenario string   `json:"scenario"`
	File     string   `json:"-"`
	Results  []Result `json:"results"`
}

// Counts returns passed, failed and skipped query counts.
func (r *Report) Counts() (pass, fail, skip int) {
	for _, x := range r.Results {
		switch {
		case x.Skipped:
			skip++
		case x.Pass:
			pass++
		default:
			fail++
		}
	}
	return
}

// RunOptions choose the topology and engine options.
type RunOptions struct {
	// Topology replaces the file's own topology when set (check --topology).
	Topology *topology.Network
	// Engine options; Profile defaults to the file's profile.
	Engine azure.Options
}

// NotSupported is the error text of a kind nobody registered yet.
const NotSupported = "not yet supported"

// Run answers every query of f.
func Run(f *File, o RunOptions) *Report {
	base := f.Topology
	if o.Topology != nil {
		base = o.Topology
	}
	opts := o.Engine
	if opts.Profile == "" {
		opts.Profile = f.Profile[ProfileNoneRoutes]
	}
	rep := &Report{Scenario: f.ID, File: f.Path}
	var shared *azure.Engine
	for _, q := range f.Queries {
		res := Result{ID: q.ID, Kind: q.Kind, Diff: []string{}}
		k, ok := lookupKind(q.Kind)
		if !ok {
			res.Skipped = true
			res.Error = fmt.Sprintf("query kind %s: %s", q.Kind, NotSupported)
			rep.Results = append(rep.Results, res)
			continue
		}
		net, eng := base, shared
		if len(q.Modify) > 0 {
			net = base.Clone()
			if err := Apply(net, q.Modify); err != nil {
				res.Error = err.Error()
				res.Diff = []string{err.Error()}
				rep.Results = append(rep.Results, res)
				continue
			}
			eng = azure.New(net, opts)
		} else if eng == nil {
			shared = azure.New(base, opts)
			eng = shared
		}
		out, err := runKind(k.fn, &Context{Net: net, Engine: eng, Options: opts}, q)
		if err != nil {
			res.Error = err.Error()
			res.Diff = []string{err.Error()}
		} else {
			res.Actual, res.Assumptions = out.Actual, out.Assumptions
			if out.Diff != nil {
				res.Diff = out.Diff
			}
			res.Pass = len(out.Diff) == 0
		}
		rep.Results = append(rep.Results, res)
	}
	return rep
}

// runKind calls fn, turning a panic in a kind into an error for that query.
func runKind(fn KindFunc, c *Context, q Query) (out Outcome, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error answering %s: %v", q.ID, r)
		}
	}()
	return fn(c, q.Input, q.Expect)
}
