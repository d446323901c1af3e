package demo

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"slices"

	"github.com/pathproof/pathproof/internal/exitcode"
)

// hubSpokeIntent is the built-in hub-and-spoke design with its intent
// written as scenario queries (one of them deliberately wrong).
//
//go:embed data/hub-spoke-intent.yaml
var hubSpokeIntent []byte

// HubSpokeIntent returns the network-watcher demo's design: a hub and two
// spokes with a firewall, and scenario queries stating its intent (one of
// them wrong on purpose).
func HubSpokeIntent() []byte { return slices.Clone(hubSpokeIntent) }

var networkWatcherDemo = Demo{
	Name:    "network-watcher",
	Summary: "Offline Network Watcher on a built-in hub-and-spoke design: next hop, IP flow, firewall, and `check` with one failing assertion",
	Run:     runNetworkWatcher,
}

// runNetworkWatcher writes the design and asks the offline Network Watcher
// commands about it, ending with `check`, which fails on purpose (exit 1).
func runNetworkWatcher(ctx context.Context, env *Env) error {
	topo, err := env.File("hub-spoke-intent.yaml")
	if err != nil {
		return err
	}
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
		{"The design's intent as assertions (pathproof check; one is wrong on purpose)", []string{"check", topo}},
	}
	code := exitcode.OK
	for i, s := range steps {
		if i > 0 {
			fmt.Fprintln(env.Stdout)
		}
		fmt.Fprintf(env.Stdout, "$ %s\n# %s\n", CommandLine(s.args), s.title)
		code = env.Exec(ctx, nil, s.args...)
		if code != exitcode.OK && code != exitcode.Failed {
			return &Exit{Code: code}
		}
	}
	return exit(code)
}
