// Package exitcode names pathproof's process exit codes, shared by every
// command and by the demos that run commands in-process. It imports nothing.
package exitcode

// The exit codes of every pathproof command.
const (
	OK      = 0 // everything ran and every check passed
	Failed  = 1 // ran, and a check or probe failed (or an internal failure)
	Usage   = 2 // the command line was wrong; nothing ran
	Partial = 4 // results were printed but some input was skipped
)

// Succeeded reports whether code means the command printed its results:
// everything read (OK) or some input skipped (Partial).
func Succeeded(code int) bool { return code == OK || code == Partial }
