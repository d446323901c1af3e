package render

import "github.com/pathproof/pathproof/internal/textutil"

// Escape makes an untrusted string safe to print on a terminal: control
// characters (including ESC, so no terminal escape sequences get through),
// invalid UTF-8 and Unicode format characters are written as Go escapes.
// Printable text, including non-ASCII letters, is kept as is.
func Escape(s string) string { return textutil.Escape(s) }

// EscapeLines escapes each line of a multi-line text and keeps the line
// breaks (textutil.EscapeLines).
func EscapeLines(s string) string { return textutil.EscapeLines(s) }
