package blob

import (
	"context"
	"errors"
	"fmt"

	"github.com/pathproof/pathproof/internal/redact"
)

// redactedError is an error whose text has been redacted. It deliberately
// does not unwrap to the SDK error, whose text may hold the secret.
type redactedError struct {
	msg string
	// cancel keeps errors.Is(err, context.Canceled) working.
	cancel error
}

func (e *redactedError) Error() string { return e.msg }

func (e *redactedError) Unwrap() error { return e.cancel }

// safeErrorf formats an error like fmt.Errorf, then redacts its text and
// drops the wrapped chain (except context cancellation).
func safeErrorf(format string, a ...any) error {
	err := fmt.Errorf(format, a...)
	re := &redactedError{msg: redact.String(err.Error())}
	switch {
	case errors.Is(err, context.Canceled):
		re.cancel = context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		re.cancel = context.DeadlineExceeded
	}
	return re
}
