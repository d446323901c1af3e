package azlive

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resourcegraph/armresourcegraph"
)

// NetworkTypes are the resource types the query asks for: every network
// resource that decides or describes a path. Subnets and peerings come
// inside their VNet's row.
var NetworkTypes = []string{
	"microsoft.network/virtualnetworks",
	"microsoft.network/networkinterfaces",
	"microsoft.network/networksecuritygroups",
	"microsoft.network/routetables",
	"microsoft.network/azurefirewalls",
	"microsoft.network/firewallpolicies",
	"microsoft.network/firewallpolicies/rulecollectiongroups",
	"microsoft.network/ipgroups",
	"microsoft.network/applicationsecuritygroups",
	"microsoft.network/virtualnetworkgateways",
	"microsoft.network/localnetworkgateways",
	"microsoft.network/connections",
	"microsoft.network/privateendpoints",
	"microsoft.network/privatednszones",
	"microsoft.network/privatednszones/virtualnetworklinks",
	"microsoft.network/publicipaddresses",
	"microsoft.network/loadbalancers",
	"microsoft.network/natgateways",
	"microsoft.network/virtualhubs",
}

// Query is the Resource Graph query for one scope. The id column is
// projected (Resource Graph returns a skip token only then) and rows are
// ordered by id so pages are stable.
func Query(s Scope) string {
	var b strings.Builder
	b.WriteString("Resources\n| where type in~ (")
	for i, t := range NetworkTypes {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "'%s'", t)
	}
	b.WriteString(")\n")
	if s.ResourceGroup != "" {
		// ParseScope allows no quote or backslash in the name.
		fmt.Fprintf(&b, "| where resourceGroup =~ '%s'\n", s.ResourceGroup)
	}
	b.WriteString("| project id, name, type, location, subscriptionId, resourceGroup, kind, sku, zones, tags, properties\n| order by id asc")
	return b.String()
}

// graphPages runs the scope's query page by page, adding each page to
// the snapshot and each row to rows; it stops at the first error.
func (f *fetcher) graphPages(ctx context.Context, res *ScopeResult, rows func(map[string]any)) error {
	client, err := armresourcegraph.NewClient(f.cred, f.opt.clientOptions())
	if err != nil {
		return asError(err)
	}
	req := armresourcegraph.QueryRequest{
		Query:         to.Ptr(Query(res.Scope)),
		Subscriptions: []*string{to.Ptr(res.Scope.Subscription)},
		Options: &armresourcegraph.QueryRequestOptions{
			ResultFormat: to.Ptr(armresourcegraph.ResultFormatObjectArray),
			Top:          to.Ptr(f.opt.pageSize()),
		},
	}
	seen := map[string]bool{}
	for {
		var raw *http.Response
		resp, err := client.Resources(policy.WithCaptureResponse(ctx, &raw), req, nil)
		if err != nil {
			return asError(err)
		}
		body, err := runtime.Payload(raw)
		if err != nil {
			return fmt.Errorf("reading Resource Graph page %d: %w", res.Pages+1, err)
		}
		res.Pages++
		f.add(fmt.Sprintf("resource-graph/%s/page-%04d.json", res.Scope.slug(), res.Pages), withoutSkipToken(body))
		data, ok := resp.Data.([]any)
		if !ok && resp.Data != nil {
			return fmt.Errorf("page %d of Resource Graph: data is not a list of rows", res.Pages)
		}
		for _, d := range data {
			if row, ok := d.(map[string]any); ok {
				res.Rows++
				rows(row)
			}
		}
		tok := ""
		if resp.SkipToken != nil {
			tok = *resp.SkipToken
		}
		if tok == "" {
			if resp.ResultTruncated != nil && *resp.ResultTruncated == armresourcegraph.ResultTruncatedTrue {
				res.Problems = append(res.Problems, fmt.Errorf("the result was truncated by Resource Graph after %d rows and gave no skip token", res.Rows))
			}
			return nil
		}
		if seen[tok] {
			return fmt.Errorf("the same skip token came twice from Resource Graph (page %d); stopped", res.Pages)
		}
		seen[tok] = true
		req.Options.SkipToken = to.Ptr(tok)
	}
}

// withoutSkipToken removes "$skipToken" from a page so an export holds
// only what describes the network; the rest of the body stays as sent.
func withoutSkipToken(body []byte) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return body
	}
	if _, ok := m["$skipToken"]; !ok {
		return body
	}
	delete(m, "$skipToken")
	out, err := json.Marshal(m)
	if err != nil {
		return body
	}
	var buf bytes.Buffer
	if json.Indent(&buf, out, "", " ") != nil {
		return out
	}
	return buf.Bytes()
}

// credentialless is true for errors that will fail every scope alike
// (no sign-in), so Fetch stops instead of trying each.
func credentialless(err error) bool {
	e, ok := err.(*Error)
	return ok && e.Status == 0 && strings.HasPrefix(e.Message, "signing in")
}
