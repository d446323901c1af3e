package azlive

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v11"
)

// EffectiveRoutes asks Azure for the effective routes of the NIC with ARM
// id nicID (a long-running POST, polled until done; the NIC must be
// attached to a running VM) and returns the result body as Azure sent it:
// {"value": [route...]}.
func EffectiveRoutes(ctx context.Context, opt Options, nicID string) ([]byte, error) {
	return effective(ctx, opt, nicID, func(c *armnetwork.InterfacesClient, ctx context.Context, rg, name string) (wait, error) {
		return poll(c.BeginGetEffectiveRouteTable(ctx, rg, name, nil))
	})
}

// EffectiveRules asks Azure for the effective security rules of the NIC
// with ARM id nicID, as EffectiveRoutes does: {"value": [nsg...]}.
func EffectiveRules(ctx context.Context, opt Options, nicID string) ([]byte, error) {
	return effective(ctx, opt, nicID, func(c *armnetwork.InterfacesClient, ctx context.Context, rg, name string) (wait, error) {
		return poll(c.BeginListEffectiveNetworkSecurityGroups(ctx, rg, name, nil))
	})
}

// begin starts one long-running operation and returns the wait for it.
type begin func(c *armnetwork.InterfacesClient, ctx context.Context, rg, name string) (wait, error)

// wait polls a started operation every interval until it is done.
type wait func(ctx context.Context, every time.Duration) error

// poll is the wait for the operation p (or the error starting it).
func poll[T any](p *runtime.Poller[T], err error) (wait, error) {
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, every time.Duration) error {
		_, err := p.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: every})
		return err
	}, nil
}

// effective runs one NIC operation and returns the raw body of its
// final response (the typed SDK result drops fields Azure sends).
func effective(ctx context.Context, opt Options, nicID string, start begin) ([]byte, error) {
	id, err := arm.ParseResourceID(nicID)
	if err != nil || !strings.EqualFold(id.ResourceType.String(), "Microsoft.Network/networkInterfaces") {
		return nil, fmt.Errorf("%q is not the ARM id of a network interface", nicID)
	}
	cred, err := opt.credential()
	if err != nil {
		return nil, err
	}
	client, err := armnetwork.NewInterfacesClient(id.SubscriptionID, cred, opt.clientOptions())
	if err != nil {
		return nil, asError(err)
	}
	done, err := start(client, ctx, id.ResourceGroupName, id.Name)
	if err != nil {
		return nil, asError(err)
	}
	var raw *http.Response
	if err := done(policy.WithCaptureResponse(ctx, &raw), opt.pollFrequency()); err != nil {
		return nil, asError(err)
	}
	if raw == nil {
		return nil, fmt.Errorf("no response body from Azure")
	}
	body, err := runtime.Payload(raw)
	if err != nil {
		return nil, fmt.Errorf("reading Azure's answer: %w", err)
	}
	return body, nil
}
