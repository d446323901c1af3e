package topology

import (
	"testing"

	"github.com/goccy/go-yaml"
)

// modelYAML renders a network in the design format (sources left out).
func modelYAML(t *testing.T, n *Network) string {
	t.Helper()
	b, err := yaml.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
