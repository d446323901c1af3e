package logs

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// escapeLine makes untrusted text from a log safe for one terminal line:
// control and format characters and invalid UTF-8 become Go escapes. (The
// render package does the same for the CLI; logs does not import render.)
func escapeLine(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) || unicode.Is(unicode.Cf, r) {
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
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i]), 16))
		case !unicode.IsPrint(r) || unicode.Is(unicode.Cf, r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
