package blob

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"
)

// account gives container clients for one source.
type account struct {
	// endpoint is the service URL without query or trailing slash, for
	// display names.
	endpoint string
	// svc lists containers; nil when only a container SAS is at hand.
	svc *service.Client
	// container returns the client for one container.
	container func(name string) (*container.Client, error)
}

// connString holds the parts of a storage connection string.
type connString map[string]string

// parseConnString splits "k=v;k=v" (values may contain '='); keys are
// matched case-insensitively.
func parseConnString(s string) connString {
	cs := connString{}
	for _, part := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok {
			cs[strings.ToLower(k)] = v
		}
	}
	return cs
}

func clientOptions() *policy.ClientOptions {
	return &policy.ClientOptions{Retry: policy.RetryOptions{MaxRetries: 3}}
}

// connect resolves the credentials for src and returns its account.
func connect(src Source, opt Options) (*account, error) {
	copt := &service.ClientOptions{ClientOptions: *clientOptions()}
	ccopt := &container.ClientOptions{ClientOptions: *clientOptions()}
	cs := parseConnString(opt.ConnectionString)
	switch {
	case src.Kind == "url" && src.sas != "":
		if src.Container != "" {
			u := src.Endpoint + "/" + url.PathEscape(src.Container) + "?" + src.sas
			cc, err := container.NewClientWithNoCredential(u, ccopt)
			if err != nil {
				return nil, safeErrorf("blob source %s: %v", src, err)
			}
			return &account{endpoint: src.Endpoint, container: func(string) (*container.Client, error) { return cc, nil }}, nil
		}
		svc, err := service.NewClientWithNoCredential(src.Endpoint+"/?"+src.sas, copt)
		if err != nil {
			return nil, safeErrorf("blob source %s: %v", src, err)
		}
		return fromService(src.Endpoint, svc), nil

	case src.Kind == "url":
		// A URL without SAS: the connection string's key when it is for the
		// same account, else Entra ID.
		if key := cs["accountkey"]; key != "" && strings.EqualFold(cs["accountname"], src.Account) {
			cred, err := service.NewSharedKeyCredential(cs["accountname"], key)
			if err != nil {
				return nil, safeErrorf("blob source %s: account key from AZURE_STORAGE_CONNECTION_STRING: %v", src, err)
			}
			svc, err := service.NewClientWithSharedKeyCredential(src.Endpoint+"/", cred, copt)
			if err != nil {
				return nil, safeErrorf("blob source %s: %v", src, err)
			}
			return fromService(src.Endpoint, svc), nil
		}
		cred, err := tokenCredential(opt)
		if err != nil {
			return nil, safeErrorf("blob source %s: %v", src, err)
		}
		svc, err := service.NewClient(src.Endpoint+"/", cred, copt)
		if err != nil {
			return nil, safeErrorf("blob source %s: %v", src, err)
		}
		return fromService(src.Endpoint, svc), nil

	default: // azblob://
		useConn := opt.ConnectionString != "" &&
			(opt.StorageAccount == "" || strings.EqualFold(opt.StorageAccount, cs["accountname"]))
		if useConn {
			svc, err := service.NewClientFromConnectionString(opt.ConnectionString, copt)
			if err != nil {
				return nil, safeErrorf("blob source %s: AZURE_STORAGE_CONNECTION_STRING: %v", src, err)
			}
			return fromService(strings.TrimSuffix(stripQuery(svc.URL()), "/"), svc), nil
		}
		if opt.StorageAccount == "" {
			return nil, fmt.Errorf("blob source %s: no storage account: set AZURE_STORAGE_CONNECTION_STRING or pass --storage-account NAME", src)
		}
		if !validAccount(opt.StorageAccount) {
			return nil, fmt.Errorf("--storage-account %q is not a storage account name (3-24 lower-case letters and digits)", opt.StorageAccount)
		}
		cred, err := tokenCredential(opt)
		if err != nil {
			return nil, safeErrorf("blob source %s: %v", src, err)
		}
		endpoint := "https://" + opt.StorageAccount + ".blob.core.windows.net"
		svc, err := service.NewClient(endpoint+"/", cred, copt)
		if err != nil {
			return nil, safeErrorf("blob source %s: %v", src, err)
		}
		return fromService(endpoint, svc), nil
	}
}

func fromService(endpoint string, svc *service.Client) *account {
	return &account{endpoint: endpoint, svc: svc, container: func(name string) (*container.Client, error) {
		return svc.NewContainerClient(name), nil
	}}
}

func tokenCredential(opt Options) (azcore.TokenCredential, error) {
	if opt.Credential != nil {
		return opt.Credential, nil
	}
	cred, err := azidentity.NewDefaultAzureCredential(nil)
	if err != nil {
		return nil, fmt.Errorf("signing in to Azure (DefaultAzureCredential): %v", err)
	}
	return cred, nil
}

func stripQuery(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i]
	}
	return u
}

func validAccount(a string) bool {
	if len(a) < 3 || len(a) > 24 {
		return false
	}
	for _, r := range a {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
