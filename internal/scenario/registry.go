package scenario

import (
	"sort"
	"sync"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology"
)

// Context is what a query kind gets: the (modified) network and an engine
// built on it.
type Context struct {
	Net    *topology.Network
	Engine *azure.Engine
	// Options are the engine options (profile, service tags) for kinds that
	// build their own engines.
	Options azure.Options
}

// Outcome is a kind's answer to one query.
type Outcome struct {
	// Actual has the shape of the query's expect.
	Actual any
	// Diff lists the differences; empty means the query passed.
	Diff []string
	// Assumptions lists [?] defaults the answer depends on.
	Assumptions []string
}

// KindFunc answers one query. It returns an error when the query cannot be
// run at all (bad input, unknown resource).
type KindFunc func(c *Context, input map[string]any, expect any) (Outcome, error)

// kindEntry is a registered kind: how it answers and the keys its input
// and expect may have.
type kindEntry struct {
	fn            KindFunc
	input, expect Keys
}

var (
	kindsMu sync.RWMutex
	kinds   = map[string]kindEntry{}
)

// Register adds a query kind; call it from an init function. input and
// expect are the keys a query of this kind may have there (a scenario file
// with any other key does not parse). A kind registered twice panics.
func Register(kind string, fn KindFunc, input, expect Keys) {
	kindsMu.Lock()
	defer kindsMu.Unlock()
	if _, dup := kinds[kind]; dup {
		panic("scenario: kind registered twice: " + kind)
	}
	kinds[kind] = kindEntry{fn: fn, input: input, expect: expect}
}

// Kinds returns the registered kind names, sorted.
func Kinds() []string {
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	out := make([]string, 0, len(kinds))
	for k := range kinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func lookupKind(k string) (kindEntry, bool) {
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	e, ok := kinds[k]
	return e, ok
}
