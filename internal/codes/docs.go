package codes

import (
	"fmt"
	"strings"
	"unicode"
)

//go:generate go run ./gendocs -out ../../docs/codes

// DomainTitles gives each domain's page its title. A domain without an
// entry is titled by its name.
var DomainTitles = map[string]string{
	"azure-live": "Live Azure: scopes read and effective routes and rules compared",
	"explain":    "Explain: verdicts and findings",
	"logs":       "Log evidence: verdicts and skip reasons",
	"model":      "Offline Network Watcher",
	"trace":      "Path trace: results, drop reasons and findings",
	"pcap":       "Capture diagnosis findings",
	"probe":      "Probe failure classes",
}

// Pages renders one Markdown page per domain, keyed by file name
// ("pcap.md"), plus "README.md" indexing them.
func Pages() map[string]string {
	byDomain := map[string][]Code{}
	var domains []string
	for _, c := range All() {
		if _, seen := byDomain[c.Domain]; !seen {
			domains = append(domains, c.Domain)
		}
		byDomain[c.Domain] = append(byDomain[c.Domain], c)
	}
	pages := map[string]string{}
	var idx strings.Builder
	idx.WriteString("# Codes\n\nEvery code pathproof prints is stable: scripts may match on it. ")
	idx.WriteString("This folder is generated from `internal/codes` by `go generate ./internal/codes`; edit the registry, not these pages.\n\n")
	idx.WriteString("| page | codes |\n|---|---|\n")
	for _, d := range domains {
		title := DomainTitles[d]
		if title == "" {
			title = d
		}
		var b strings.Builder
		fmt.Fprintf(&b, "# %s\n\nGenerated from `internal/codes`; do not edit by hand.\n\n", title)
		for _, c := range byDomain[d] {
			fmt.Fprintf(&b, "## `%s`\n\n", c.ID)
			fmt.Fprintf(&b, "- kind: %s\n", c.Kind)
			if c.Severity != "" {
				fmt.Fprintf(&b, "- severity: %s\n", c.Severity)
			}
			fmt.Fprintf(&b, "\n%s\n\n**What to check next.** %s\n\n", c.Meaning, c.Next)
		}
		pages[d+".md"] = b.String()
		fmt.Fprintf(&idx, "| [%s](%s.md) | %d |\n", title, d, len(byDomain[d]))
	}
	pages["README.md"] = idx.String()
	return pages
}

// DocsPath is the code's section in the generated pages, relative to the
// repository root, e.g. "docs/codes/pcap.md#tcpno-response" (the anchor
// GitHub gives the section's heading).
func (c Code) DocsPath() string {
	return "docs/codes/" + c.Domain + ".md#" + anchor(c.ID)
}

// anchor is GitHub's heading anchor: lower case, letters, digits, '-' and
// '_' kept, spaces to '-', everything else dropped.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}
