// Package textutil holds small text helpers shared by the readers and the
// output layer. It imports nothing from pathproof, so any package can use it.
package textutil

import (
	"strconv"
	"strings"
	"unicode"
)

// Escape makes an untrusted string safe to print on a terminal: control
// characters (including ESC, so no terminal escape sequences get through),
// invalid UTF-8 and Unicode format characters are written as Go escapes.
// Printable text, including non-ASCII letters, is kept as is.
func Escape(s string) string {
	clean := true
	for _, r := range s {
		if r == unicode.ReplacementChar || !printable(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == unicode.ReplacementChar && !strings.HasPrefix(s[i:], "\uFFFD"):
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i]), 16))
		case !printable(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func printable(r rune) bool {
	return unicode.IsPrint(r) && !unicode.Is(unicode.Cf, r)
}

// EscapeLines escapes each line of a multi-line text (such as an error
// listing one problem per line) and keeps the line breaks, so the text
// stays readable and no line can carry a control character. A CR before
// a line break is dropped; any other control character is escaped.
func EscapeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Escape(strings.TrimSuffix(l, "\r"))
	}
	return strings.Join(lines, "\n")
}
