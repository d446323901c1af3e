package blob

import (
	"context"
	"errors"
	"fmt"
	"regexp"
)

var redactions = []struct {
	re   *regexp.Regexp
	with string
}{
	// A URL's query string (a SAS token is the whole query).
	{regexp.MustCompile(`((?i:https?|azblob)://[^\s"'<>?]*)\?[^\s"'<>]*`), `${1}?REDACTED`},
	// A bare SAS signature or query anywhere else.
	{regexp.MustCompile(`(?i)(sig|signature)=[^&\s"';]+`), `${1}=REDACTED`},
	// Connection-string secrets.
	{regexp.MustCompile(`(?i)(AccountKey|SharedAccessSignature|SharedAccessKey)=[^;\s"']+`), `${1}=REDACTED`},
	// Shared Key authorization headers echoed by a dump.
	{regexp.MustCompile(`(?i)\bSharedKey(Lite)? +[^\s"':]+:[^\s"']+`), `SharedKey${1} REDACTED`},
	// Bearer tokens.
	{regexp.MustCompile(`(?i)\bBearer +[A-Za-z0-9._~+/=-]+`), `Bearer REDACTED`},
}

// Redact removes secrets from text: URL query strings (SAS tokens), sig=
// values, AccountKey / SharedAccessSignature values of connection strings,
// Shared Key and bearer authorization values. Use it on any text that may
// carry a storage URL or an SDK error.
func Redact(s string) string {
	for _, r := range redactions {
		s = r.re.ReplaceAllString(s, r.with)
	}
	return s
}

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
	re := &redactedError{msg: Redact(err.Error())}
	switch {
	case errors.Is(err, context.Canceled):
		re.cancel = context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		re.cancel = context.DeadlineExceeded
	}
	return re
}
