package azlive

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// queryPosts are the only POSTs azlive sends: each asks a question and
// changes nothing (Resource Graph queries, a NIC's effective routes and
// effective security rules).
var queryPosts = []string{
	"/providers/microsoft.resourcegraph/resources",
	"/effectiveroutetable",
	"/effectivenetworksecuritygroups",
}

// readOnly is a pipeline policy that refuses every request but a GET or a
// query POST before it leaves the machine, so no code path of this
// package can change anything in Azure.
type readOnly struct{}

func (readOnly) Do(req *policy.Request) (*http.Response, error) {
	r := req.Raw()
	if !allowed(r.Method, r.URL.Path) {
		return nil, fmt.Errorf("azlive: refused %s %s: pathproof only reads from Azure", r.Method, r.URL.Path)
	}
	return req.Next()
}

// allowed reports whether a request only reads.
func allowed(method, path string) bool {
	switch method {
	case http.MethodGet, http.MethodHead:
		return true
	case http.MethodPost:
		p := strings.ToLower(strings.TrimSuffix(path, "/"))
		for _, q := range queryPosts {
			if strings.HasSuffix(p, q) {
				return true
			}
		}
	}
	return false
}
