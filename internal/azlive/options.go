package azlive

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// Options say how to reach Azure. The zero value signs in with
// azidentity's default credential chain (environment, workload identity,
// managed identity, az CLI, azd, PowerShell) and talks to the public
// cloud's Resource Manager.
type Options struct {
	// Credential signs the calls; nil: azidentity.DefaultAzureCredential.
	Credential azcore.TokenCredential
	// Endpoint is the Resource Manager endpoint; empty:
	// https://management.azure.com. Tests point it at a loopback server.
	Endpoint string
	// HTTPClient sends the requests; nil: the SDK's default client.
	HTTPClient *http.Client
	// PollFrequency is how often a long-running operation (effective
	// routes and rules) is polled when Azure sends no Retry-After; zero:
	// 5 seconds.
	PollFrequency time.Duration
	// PageSize is the Resource Graph page size ($top, at most 1000); zero:
	// 1000.
	PageSize int
}

// armAudience is the token audience of the public cloud's Resource Manager.
const armAudience = "https://management.azure.com"

// credential returns the credential to sign with.
func (o Options) credential() (azcore.TokenCredential, error) {
	if o.Credential != nil {
		return o.Credential, nil
	}
	c, err := azidentity.NewDefaultAzureCredential(nil)
	if err != nil {
		return nil, fmt.Errorf("signing in to Azure (DefaultAzureCredential): %s", cleanErr(err))
	}
	return c, nil
}

// clientOptions are the SDK client options: resource-provider
// registration (a write) off, the read-only guard, the endpoint and
// transport of o.
func (o Options) clientOptions() *arm.ClientOptions {
	co := &arm.ClientOptions{DisableRPRegistration: true}
	co.Telemetry.ApplicationID = "pathproof"
	co.Retry.MaxRetries = 5
	co.PerCallPolicies = []policy.Policy{readOnly{}}
	if o.Endpoint != "" {
		co.Cloud = cloud.Configuration{
			ActiveDirectoryAuthorityHost: cloud.AzurePublic.ActiveDirectoryAuthorityHost,
			Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
				cloud.ResourceManager: {Audience: armAudience, Endpoint: strings.TrimSuffix(o.Endpoint, "/")},
			},
		}
	}
	if o.HTTPClient != nil {
		co.Transport = o.HTTPClient
	}
	return co
}

func (o Options) pageSize() int32 {
	if o.PageSize <= 0 || o.PageSize > 1000 {
		return 1000
	}
	return int32(o.PageSize)
}

func (o Options) pollFrequency() time.Duration {
	if o.PollFrequency <= 0 {
		return 5 * time.Second
	}
	return o.PollFrequency
}
