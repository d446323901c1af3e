package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/probe/lab"
)

func init() {
	registerDemo(demo{Name: "probe", Order: 60, Summary: "probe loopback servers that fail on purpose: RST, incomplete TLS chain, HTTP 503, private-link DNS answered publicly", Run: runProbeDemo})
	registerDemo(demo{Name: "monitor", Order: 61, Summary: "one monitor round (--once) over the same broken servers: states, reasons, failure classes", Run: runMonitorDemo})
}

// runProbeDemo starts the lab servers and probes each with a real
// `pathproof probe`; args (e.g. --output json) are passed to every probe.
func runProbeDemo(env *Env, args []string) error {
	l, err := lab.Start()
	if err != nil {
		return fmt.Errorf("starting the demo servers: %w", err)
	}
	defer l.Close()
	port := func(p int) string { return "127.0.0.1:" + strconv.Itoa(p) }
	steps := []struct {
		what string
		args []string
	}{
		{"an open port: reachable, with connect-time statistics", []string{port(l.OpenPort), "--count", "3", "--interval", "20ms"}},
		{"a port nothing listens on: the kernel answers RST", []string{port(l.ResetPort)}},
		{"a name with two addresses, only one of which answers: partly reachable (exit 4)", []string{lab.MultiName, "--port", strconv.Itoa(l.OpenPort), "--resolver", l.Resolver, "--address-mode", "each"}},
		{"a TLS server that sends its leaf without the intermediate", []string{"localhost", "--port", strconv.Itoa(l.LeafOnlyPort), "--protocol", "tls", "--connect-to", "127.0.0.1", "--ca", l.CAFile}},
		{"an HTTP health endpoint behind a gateway with no healthy backend", []string{"http://" + port(l.HTTP503Port) + "/health"}},
		{"a private-link name that a resolver answers with a public address", []string{lab.PrivateLinkName, "--protocol", "dns", "--resolver", l.Resolver}},
		{"a name that does not exist", []string{"typo.pathproofdemo.invalid", "--protocol", "dns", "--resolver", l.Resolver}},
	}
	// With a machine format the narration goes to stderr, so stdout stays
	// a stream of JSON documents.
	narrate := env.Stdout
	if slices.Contains(args, "json") {
		narrate = env.Stderr
	}
	failed := false
	for i, s := range steps {
		if i > 0 {
			fmt.Fprintln(narrate)
		}
		full := append(append([]string{"probe"}, s.args...), args...)
		fmt.Fprintf(narrate, "── %s\n$ pathproof %s\n", s.what, strings.Join(full, " "))
		root := NewRoot(env)
		root.SetArgs(full)
		if err := root.Execute(); err != nil {
			if c := ExitCode(err); c == ExitUsage || c == ExitOK || !isSilent(err) {
				return err
			}
			failed = true
		}
	}
	if failed {
		return Failed()
	}
	return nil
}

// runMonitorDemo writes a monitor config for the lab and runs one round.
func runMonitorDemo(env *Env, args []string) error {
	l, err := lab.Start()
	if err != nil {
		return fmt.Errorf("starting the demo servers: %w", err)
	}
	defer l.Close()
	dir, err := os.MkdirTemp("", "pathproof-monitor-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg := fmt.Sprintf(`test_groups:
  - name: demo
    destinations:
      - {name: loopback, address: 127.0.0.1}
    test_configurations:
      - {name: open-port, protocol: tcp, port: %d, frequency: 30s, thresholds: {checks_failed_percent: 5, round_trip_time_ms: 100}}
      - {name: reset-port, protocol: tcp, port: %d, frequency: 30s}
      - {name: health-503, protocol: http, port: %d, frequency: 1m, http: {path: /health, valid_status_code_ranges: ["200-299"]}}
      - {name: leaf-only-tls, protocol: tls, port: %d, frequency: 5m, checks: 1, tls: {sni: localhost, ca_file: %q}}
  - name: private-link
    destinations:
      - {name: storage, address: %s}
    test_configurations:
      - {name: dns, protocol: dns, frequency: 5m, checks: 1, resolver: %q}
`, l.OpenPort, l.ResetPort, l.HTTP503Port, l.LeafOnlyPort, l.CAFile, lab.PrivateLinkName, l.Resolver)
	file := filepath.Join(dir, "monitor.yaml")
	if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
		return err
	}
	full := append([]string{"monitor", "--config", file, "--once", "--results-dir", filepath.Join(dir, "results")}, args...)
	narrate := env.Stdout
	if slices.Contains(args, "json") {
		narrate = env.Stderr
	}
	fmt.Fprintf(narrate, "$ pathproof %s\n", strings.Join(full, " "))
	root := NewRoot(env)
	root.SetArgs(full)
	return root.Execute()
}
