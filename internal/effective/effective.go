// Package effective compares pathproof's effective routes and effective
// security rules of a NIC with the ones Azure returned for it (Network
// Watcher's answers, fetched live by azlive or read from a file). Every
// difference is a Finding with a registered code: a route or rule Azure
// lists that pathproof does not compute, one pathproof computes that
// Azure does not list, or one both list but with different values.
package effective

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pathproof/pathproof/internal/topology/azjson"
)

// Finding is one difference between Azure and pathproof.
type Finding struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	// What names the route or rule: "Default 10.0.0.0/16", "nic nsg-web
	// Inbound securityRules/Allow-HTTPS".
	What      string `json:"what"`
	Azure     string `json:"azure,omitempty"`     // Azure's value; empty: Azure does not list it
	Pathproof string `json:"pathproof,omitempty"` // pathproof's value; empty: pathproof does not compute it
	Message   string `json:"message"`
}

// Result is one comparison.
type Result struct {
	NIC       string    `json:"nic"`
	NICID     string    `json:"nic_id"`
	Kind      string    `json:"kind"` // "routes" or "rules"
	Azure     int       `json:"azure_count"`
	Pathproof int       `json:"pathproof_count"`
	Agree     int       `json:"agree"`
	Findings  []Finding `json:"findings"`
	// Notes say what was not compared and why.
	Notes []string `json:"notes,omitempty"`
}

// Differ reports whether Azure and pathproof disagree.
func (r *Result) Differ() bool { return len(r.Findings) > 0 }

func (r *Result) add(code, what, az, pp, msg string) {
	r.Findings = append(r.Findings, Finding{Code: code, Severity: "error", What: what, Azure: az, Pathproof: pp, Message: msg})
}

// decode reads Azure's body as the Network Watcher output of kind.
func decode(body []byte, kind string) (*azjson.WatcherOutput, error) {
	doc, err := azjson.Decode(body)
	if err != nil {
		return nil, fmt.Errorf("reading Azure's answer: %w", err)
	}
	if doc.Watcher == nil {
		if len(doc.Resources) == 0 && len(doc.Notes) == 0 {
			// {"value": []}: Azure lists nothing.
			return &azjson.WatcherOutput{Kind: kind}, nil
		}
		return nil, fmt.Errorf("the answer from Azure is not a list of effective %s", strings.TrimPrefix(kind, "effective-"))
	}
	if doc.Watcher.Kind != kind {
		return nil, fmt.Errorf("the answer from Azure holds %s, not %s", doc.Watcher.Kind, kind)
	}
	return doc.Watcher, nil
}

// sortFindings orders findings by code, then what they name.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Code != fs[j].Code {
			return fs[i].Code < fs[j].Code
		}
		return fs[i].What < fs[j].What
	})
}
