package azlive

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/pathproof/pathproof/internal/redact"
)

// Error is a failed call, condensed to one line: the HTTP status and
// Azure's error code and message, never the SDK's dump of the request.
type Error struct {
	Status  int    // HTTP status; 0 when the call never got an answer (sign-in, network)
	Code    string // Azure's error code, e.g. AuthorizationFailed
	Message string // one line, redacted
}

func (e *Error) Error() string {
	switch {
	case e.Status == 0:
		return e.Message
	case e.Message == "":
		return fmt.Sprintf("HTTP %d %s", e.Status, e.Code)
	}
	return fmt.Sprintf("HTTP %d %s: %s", e.Status, e.Code, e.Message)
}

// Forbidden reports whether the call was refused for lack of permission.
func (e *Error) Forbidden() bool { return e.Status == 401 || e.Status == 403 }

// maxMessage bounds a message taken from a response.
const maxMessage = 400

// asError condenses an SDK error into an *Error with a hint.
func asError(err error) error {
	if err == nil {
		return nil
	}
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		e := &Error{Status: re.StatusCode, Code: re.ErrorCode}
		if re.RawResponse != nil {
			if body, perr := runtime.Payload(re.RawResponse); perr == nil {
				e.Message = errorMessage(body)
			}
		}
		if e.Forbidden() {
			e.Message = strings.TrimSpace(e.Message + " (the signed-in identity needs the Reader role on this scope; see docs/connectors.md#live-topology)")
		}
		return e
	}
	var af *azidentity.AuthenticationFailedError
	if errors.As(err, &af) || strings.Contains(err.Error(), "DefaultAzureCredential") {
		return &Error{Message: "signing in to Azure failed: " + cleanErr(err) + " (run 'az login', or set AZURE_TENANT_ID, AZURE_CLIENT_ID and a secret or certificate for a service principal)"}
	}
	return &Error{Message: cleanErr(err)}
}

// errorMessage reads error.message from an ARM error body.
func errorMessage(body []byte) string {
	var b struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &b) != nil {
		return ""
	}
	return oneLine(b.Error.Message)
}

// rules are the dashed separator lines of SDK error dumps.
var rules = regexp.MustCompile(`-{3,}`)

// cleanErr is err on one line, bounded and redacted.
func cleanErr(err error) string {
	return oneLine(err.Error())
}

func oneLine(s string) string {
	s = rules.ReplaceAllString(s, " ")
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ; ")), " ")
	if r := []rune(s); len(r) > maxMessage {
		s = string(r[:maxMessage]) + "…"
	}
	return redact.String(s)
}
