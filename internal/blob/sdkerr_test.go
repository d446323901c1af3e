package blob

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

func TestSDKErr(t *testing.T) {
	re := &azcore.ResponseError{StatusCode: 403, ErrorCode: "AuthorizationFailure",
		RawResponse: &http.Response{StatusCode: 403, Request: &http.Request{Method: "GET"}}}
	got := sdkErr(re)
	if !strings.HasPrefix(got, "HTTP 403 AuthorizationFailure (check the SAS") || strings.Contains(got, "\n") {
		t.Errorf("sdkErr = %q", got)
	}
	if got := sdkErr(errors.New("DefaultAzureCredential: failed\nAttempted credentials:\n\tEnvironmentCredential: missing")); strings.Contains(got, "\n") || !strings.Contains(got, "EnvironmentCredential") {
		t.Errorf("sdkErr = %q", got)
	}
}
