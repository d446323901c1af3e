package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestFrontEndWarningsReadAsTheCommands: serve and mcp print what loading
// noticed as every other command does, "pathproof: warning [code]: ...",
// here a missing reference of the topology.
func TestFrontEndWarningsReadAsTheCommands(t *testing.T) {
	topo := filepath.Join(t.TempDir(), "spoke.json")
	spoke := `[{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke", "name": "spoke", "type": "Microsoft.Network/virtualNetworks",
  "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}}},
 {"id": "/subscriptions/s/resourceGroups/hub-rg/providers/Microsoft.Network/virtualHubs/hub-elsewhere/hubVirtualNetworkConnections/spoke-conn", "name": "spoke-conn",
  "type": "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections",
  "properties": {"remoteVirtualNetwork": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke"}}}]`
	if err := os.WriteFile(topo, []byte(spoke), 0o644); err != nil {
		t.Fatal(err)
	}
	var errOut bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &errOut}
	cmd := &cobra.Command{}
	ff := addFrontFlags(cmd)
	if err := cmd.Flags().Parse([]string{"--topology", topo}); err != nil {
		t.Fatal(err)
	}
	ws, err := ff.open(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	want := "pathproof: warning [topology-reference-missing]: "
	if !strings.Contains(errOut.String(), want) || !strings.Contains(errOut.String(), "virtualHubs/hub-elsewhere") {
		t.Errorf("stderr:\n%s\nwant a line starting %q naming the missing hub", errOut.String(), want)
	}
}
