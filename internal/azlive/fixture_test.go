package azlive_test

import (
	"testing"

	"github.com/pathproof/pathproof/internal/azlive/azlivetest"
)

// subA holds the hub fixture; subB is another subscription.
const (
	subA = azlivetest.HubSubscription
	subB = "11111111-2222-3333-4444-555555555555"
)

// serveHub makes the server answer for subA-like subscription sub with
// the hub fixture in pages of size rows, on the shared Resource Graph
// response envelope.
func serveHub(t *testing.T, s *azlivetest.Server, sub string, size int) azlivetest.Hub {
	t.Helper()
	return s.ServeHub(t, sub, azlivetest.Envelope(t, readShared(t, "arm/resource-graph/ResourcesFirstPageQuery.json")), size)
}
