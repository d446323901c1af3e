// Package docs embeds pathproof's user documentation (this folder's
// Markdown pages and the generated codes pages), so the MCP server can
// offer them as resources an assistant can quote.
package docs

import "embed"

// FS holds *.md and codes/*.md.
//
//go:embed *.md codes/*.md
var FS embed.FS
