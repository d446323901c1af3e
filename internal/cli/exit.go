package cli

import (
	"errors"
	"fmt"

	"github.com/pathproof/pathproof/internal/exitcode"
)

// Exit codes shared by every command.
const (
	ExitOK      = exitcode.OK      // everything ran and every check passed
	ExitFailed  = exitcode.Failed  // ran, and a check or probe failed (or an internal failure)
	ExitUsage   = exitcode.Usage   // the command line was wrong; nothing ran
	ExitPartial = exitcode.Partial // results were printed but some input was skipped
)

// ExitError carries an exit code through cobra's error return.
type ExitError struct {
	Code int
	Err  error
	// Silent suppresses the "pathproof: ..." line, for outcomes the command
	// already reported (a failed check, a partial read).
	Silent bool
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// UsageError is a command line pathproof cannot run: an unknown command or
// flag, a bad flag value, wrong arguments, a missing input. It exits 2.
type UsageError struct {
	Err error
	// syntax marks the errors cobra found before the command started; Main
	// points to --help after them.
	syntax bool
}

func (e *UsageError) Error() string { return e.Err.Error() }

func (e *UsageError) Unwrap() error { return e.Err }

// Usagef returns a usage error (exit 2).
func Usagef(format string, a ...any) error {
	return &UsageError{Err: fmt.Errorf(format, a...)}
}

// Failed returns a silent exit-1 outcome: the command printed its results and
// something it checked did not hold.
func Failed() error { return &ExitError{Code: ExitFailed, Silent: true} }

// Partial returns a silent exit-4 outcome: results were printed but some input
// was skipped (the command already said what on stderr).
func Partial() error { return &ExitError{Code: ExitPartial, Silent: true} }

// ExitCode maps an error returned by a command to a process exit code:
// an *ExitError's code, ExitUsage for a *UsageError, ExitFailed otherwise.
// Only the error's type decides, never its text.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	var ue *UsageError
	if errors.As(err, &ue) {
		return ExitUsage
	}
	return ExitFailed
}

// isSilent reports whether err is an outcome the command already reported.
func isSilent(err error) bool {
	var ee *ExitError
	return errors.As(err, &ee) && ee.Silent
}
