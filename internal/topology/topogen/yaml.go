package topogen

import (
	"encoding/json"

	"github.com/goccy/go-yaml"

	"github.com/pathproof/pathproof/internal/topology"
)

// YAML renders n in the design format (a bare topology document). The
// YAML library is slow on large documents; use JSON for big topologies.
func YAML(n *topology.Network) ([]byte, error) {
	return yaml.Marshal(n)
}

// JSON renders n in the design format written as JSON (a .json design
// file loads through load.Load like the YAML form).
func JSON(n *topology.Network) ([]byte, error) {
	return json.Marshal(n)
}
