package cli

import (
	"io"
	"os"
	"strconv"

	"golang.org/x/term"
)

// isTerminal reports whether w is a terminal: progress lines go to stderr
// only then. /dev/null and files are not, though /dev/null is a character
// device. It sees through writers that wrap a file and say so with Fd
// (stderr's redacting writer).
func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

// tableWidth is the width tables fit in: the terminal's when w is one,
// else $COLUMNS when set (a user who pipes through less -S or a test), else
// 0, no limit.
func tableWidth(w io.Writer) int {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if width, _, err := term.GetSize(int(f.Fd())); err == nil && width > 0 {
			return width
		}
	}
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return 0
}
