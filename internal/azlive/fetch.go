package azlive

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v11"
)

const (
	typePolicy = "microsoft.network/firewallpolicies"
	typeRCG    = "microsoft.network/firewallpolicies/rulecollectiongroups"
)

// fetcher is one Fetch.
type fetcher struct {
	opt  Options
	cred azcore.TokenCredential
	snap *Snapshot
}

func (f *fetcher) add(name string, data []byte) {
	f.snap.Documents = append(f.snap.Documents, Document{Name: name, Data: data})
}

// Fetch reads every scope: one Resource Graph query each, paged, then ARM
// for the firewall policy rule collection groups Resource Graph did not
// return. A scope that fails (HTTP 403, say) is recorded in its
// ScopeResult and the others are still read; Fetch returns an error only
// when no scope could be read, or when ctx ends.
func Fetch(ctx context.Context, scopes []Scope, opt Options) (*Snapshot, error) {
	f := &fetcher{opt: opt, snap: &Snapshot{Fetched: time.Now().UTC(), Types: map[string]int{}}}
	cred, err := opt.credential()
	if err != nil {
		return nil, err
	}
	f.cred = cred
	read := 0
	for i, s := range scopes {
		res := ScopeResult{Scope: s}
		res.Err = f.scope(ctx, &res)
		f.snap.Scopes = append(f.snap.Scopes, res)
		if res.Err == nil {
			read++
			continue
		}
		if ctx.Err() != nil {
			return f.snap, ctx.Err()
		}
		if credentialless(res.Err) {
			// Every other scope would fail alike.
			for _, rest := range scopes[i+1:] {
				f.snap.Scopes = append(f.snap.Scopes, ScopeResult{Scope: rest, Err: res.Err})
			}
			break
		}
	}
	if read == 0 && len(scopes) > 0 {
		msgs := make([]string, 0, len(scopes))
		for _, p := range f.snap.Problems() {
			msgs = append(msgs, p.Error())
		}
		return f.snap, fmt.Errorf("%w: %s", ErrNothingRead, strings.Join(msgs, "; "))
	}
	return f.snap, nil
}

// scope reads one scope. The error is for the scope as a whole.
func (f *fetcher) scope(ctx context.Context, res *ScopeResult) error {
	policies := map[string][]string{} // policy id -> its rule collection group ids
	have := map[string]bool{}         // rule collection groups Resource Graph returned
	err := f.graphPages(ctx, res, func(row map[string]any) {
		typ, _ := row["type"].(string)
		typ = strings.ToLower(typ)
		f.snap.Types[typ]++
		id, _ := row["id"].(string)
		switch typ {
		case typePolicy:
			policies[strings.ToLower(id)] = rcgRefs(row)
		case typeRCG:
			have[strings.ToLower(id)] = true
		}
	})
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(policies))
	for id, groups := range policies {
		for _, g := range groups {
			if !have[strings.ToLower(g)] {
				ids = append(ids, id)
				break
			}
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		if err := f.ruleCollectionGroups(ctx, res, id); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			res.Problems = append(res.Problems, fmt.Errorf("rule collection groups of firewall policy %s: %w", id, err))
		}
	}
	return nil
}

// rcgRefs are the rule collection group ids a policy row lists.
func rcgRefs(row map[string]any) []string {
	props, _ := row["properties"].(map[string]any)
	list, _ := props["ruleCollectionGroups"].([]any)
	var out []string
	for _, x := range list {
		if o, ok := x.(map[string]any); ok {
			if id, ok := o["id"].(string); ok && id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}

// ruleCollectionGroups lists one policy's rule collection groups through
// ARM (Resource Graph has no rows for them), page by page, raw.
func (f *fetcher) ruleCollectionGroups(ctx context.Context, res *ScopeResult, policyID string) error {
	id, err := arm.ParseResourceID(policyID)
	if err != nil {
		return fmt.Errorf("policy id: %w", err)
	}
	client, err := armnetwork.NewFirewallPolicyRuleCollectionGroupsClient(id.SubscriptionID, f.cred, f.opt.clientOptions())
	if err != nil {
		return asError(err)
	}
	pager := client.NewListPager(id.ResourceGroupName, id.Name, nil)
	for page := 1; pager.More(); page++ {
		var raw *http.Response
		res.ARMCalls++
		resp, err := pager.NextPage(policy.WithCaptureResponse(ctx, &raw))
		if err != nil {
			return asError(err)
		}
		f.snap.Types[typeRCG] += len(resp.Value)
		body, err := runtime.Payload(raw)
		if err != nil {
			return err
		}
		f.add(fmt.Sprintf("arm/%s/%s_%s_rulecollectiongroups-%04d.json", res.Scope.slug(), fileSafe(id.ResourceGroupName), fileSafe(id.Name), page), body)
	}
	return nil
}
