package blob

import (
	"errors"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

// sdkErr condenses a storage SDK error to one line: "HTTP 403
// AuthorizationFailure" and what to check, instead of the SDK's multi-line
// dump of the request and response body. The caller still redacts it.
func sdkErr(err error) string {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		msg := fmt.Sprintf("HTTP %d %s", re.StatusCode, re.ErrorCode)
		switch {
		case re.StatusCode == 403 && (strings.Contains(re.ErrorCode, "Authorization") || re.ErrorCode == "AuthenticationFailed"):
			msg += " (check the SAS: Read and List permissions, start and expiry; or the account key; or, with Entra ID, the Storage Blob Data Reader role)"
		case re.StatusCode == 403:
			msg += " (the storage account's network rules or the SAS's allowed IPs may exclude this machine)"
		case re.ErrorCode == "ContainerNotFound":
			msg += " (no such container)"
		case re.ErrorCode == "BlobNotFound":
			msg += " (the blob was deleted after listing)"
		}
		return msg
	}
	// Sign-in failures list every credential tried on separate lines: keep
	// them, on one line.
	s := strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", " ; ")), " ")
	if r := []rune(s); len(r) > 600 {
		s = string(r[:600]) + "…"
	}
	return s
}
