package cli

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// hubSpokeIntent is the built-in hub-and-spoke design with its intent
// written as scenario queries (one of them deliberately wrong).
//
//go:embed demodata/hub-spoke-intent.yaml
var hubSpokeIntent []byte

func init() {
	registerDemo(demo{
		Name:    "network-watcher",
		Summary: "Offline Network Watcher on a built-in hub-and-spoke design: next hop, IP flow, firewall, and `check` with one failing assertion",
		Order:   30,
		Run:     runNetworkWatcherDemo,
	})
}

func runNetworkWatcherDemo(env *Env, args []string) error {
	dir, err := os.MkdirTemp("", "pathproof-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	topo := filepath.Join(dir, "hub-spoke-intent.yaml")
	if err := os.WriteFile(topo, hubSpokeIntent, 0o600); err != nil {
		return err
	}
	steps := []struct {
		title string
		args  []string
	}{
		{"Where does web1 send a packet for the database? (next hop)", []string{"next-hop", "-t", topo, "--from", "10.11.1.4", "--to", "10.12.1.4"}},
		{"Does the firewall let SQL through? (firewall decision)", []string{"firewall", "-t", topo, "--firewall", "fw-hub", "--protocol", "TCP", "--src", "10.11.1.4", "--dst", "10.12.1.4:1433"}},
		{"Does the database NIC accept it? (IP flow verify)", []string{"ip-flow", "-t", topo, "--direction", "Inbound", "--protocol", "TCP", "--local", "10.12.1.4:1433", "--remote", "10.11.1.4:50000"}},
		{"The design's intent as assertions (pathproof check; one is wrong on purpose)", append([]string{"check", topo}, args...)},
	}
	var last error
	for i, s := range steps {
		if i > 0 {
			fmt.Fprintln(env.Stdout)
		}
		fmt.Fprintf(env.Stdout, "$ pathproof %s\n# %s\n", shellJoin(s.args, topo), s.title)
		root := NewRoot(env)
		root.SetArgs(s.args)
		last = root.Execute()
		if last != nil && !isSilent(last) {
			return last
		}
	}
	return last
}

// shellJoin prints args with the temporary topology path shortened.
func shellJoin(args []string, topo string) string {
	shown := slices.Clone(args)
	for i, a := range shown {
		if a == topo {
			shown[i] = "hub-spoke-intent.yaml"
		}
	}
	return strings.Join(shown, " ")
}
