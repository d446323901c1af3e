// Package codes is the registry of every stable code pathproof prints:
// findings (trace, pcap), failure classes (probe), verdicts and drop
// reasons. Each code says what it means and what to check next; docs/codes
// is generated from this registry (go generate ./internal/codes) and a test
// keeps the two in step.
package codes

import (
	"fmt"
	"sort"
	"sync"
)

// Code is one stable code. Its JSON is what `pathproof codes -o json`
// prints for it.
type Code struct {
	// ID is the code as printed, e.g. "tcp.no-response" or "asymmetric-stateful".
	ID string `json:"id"`
	// Domain groups codes into one docs page: "trace", "pcap", "probe", "logs", ...
	Domain string `json:"domain"`
	// Kind is "finding", "failure", "verdict", "drop-reason" or "state".
	Kind string `json:"kind"`
	// Severity is the default severity of a finding: "info", "warning", "error".
	Severity string `json:"severity,omitempty"`
	// Meaning says in one or two sentences what the code asserts.
	Meaning string `json:"meaning"`
	// Next says what to check or do next.
	Next string `json:"next"`
}

var (
	mu  sync.Mutex
	all = map[string]Code{}
)

// Register adds codes to the registry; a package calls it from an init
// function next to the code that emits them. It panics on a duplicate ID
// within a domain or an incomplete entry, which the tests catch.
func Register(cs ...Code) {
	mu.Lock()
	defer mu.Unlock()
	for _, c := range cs {
		if c.ID == "" || c.Domain == "" || c.Kind == "" || c.Meaning == "" || c.Next == "" {
			panic(fmt.Sprintf("codes: incomplete code %+v", c))
		}
		k := c.Domain + "/" + c.ID
		if _, dup := all[k]; dup {
			panic("codes: duplicate code " + k)
		}
		all[k] = c
	}
}

// Lookup returns the code with id in domain.
func Lookup(domain, id string) (Code, bool) {
	mu.Lock()
	defer mu.Unlock()
	c, ok := all[domain+"/"+id]
	return c, ok
}

// All returns every registered code sorted by domain, then ID.
func All() []Code {
	mu.Lock()
	defer mu.Unlock()
	out := make([]Code, 0, len(all))
	for _, c := range all {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Domain != out[j].Domain {
			return out[i].Domain < out[j].Domain
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Select returns the registered codes of domain with the given id, in the
// order of All; an empty domain or id matches any. It never returns nil.
func Select(domain, id string) []Code {
	out := []Code{}
	for _, c := range All() {
		if (domain == "" || c.Domain == domain) && (id == "" || c.ID == id) {
			out = append(out, c)
		}
	}
	return out
}
