package demo

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/pathproof/pathproof/internal/exitcode"
	"github.com/pathproof/pathproof/internal/probe/lab"
)

var probeDemo = Demo{
	Name:    "probe",
	Summary: "probe loopback servers that fail on purpose: RST, incomplete TLS chain, HTTP 503, private-link DNS answered publicly",
	Outputs: []string{"json"},
	Run:     runProbe,
}

var monitorDemo = Demo{
	Name:    "monitor",
	Summary: "one monitor round (--once) over the same broken servers: states, reasons, failure classes",
	Outputs: []string{"json"},
	Run:     runMonitor,
}

// runProbe starts the lab servers and probes each with a real
// `pathproof probe`. Failing probes are the point: the demo exits Failed
// when any did.
func runProbe(ctx context.Context, env *Env) error {
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
	narrate := env.Narration()
	failed := false
	for i, s := range steps {
		if i > 0 {
			fmt.Fprintln(narrate)
		}
		args := append(append([]string{"probe"}, s.args...), env.OutputArgs()...)
		fmt.Fprintf(narrate, "── %s\n$ %s\n", s.what, CommandLine(args))
		switch code := env.Exec(ctx, nil, args...); code {
		case exitcode.OK:
		case exitcode.Failed, exitcode.Partial:
			failed = true
		default:
			return &Exit{Code: code}
		}
	}
	fmt.Fprintf(narrate, "\n%s\n", labGone)
	if failed {
		return &Exit{Code: exitcode.Failed}
	}
	return nil
}

// labGone ends the probe and monitor demos: their commands name loopback
// servers that lived only as long as the demo.
const labGone = "(The demo's servers stopped with it, so the commands above fail if run again; `pathproof demo probe` or `pathproof demo monitor` starts them anew.)"

// runMonitor writes a monitor config for the lab servers and runs one
// round.
func runMonitor(ctx context.Context, env *Env) error {
	l, err := lab.Start()
	if err != nil {
		return fmt.Errorf("starting the demo servers: %w", err)
	}
	defer l.Close()
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
	file, err := env.File("monitor.yaml")
	if err != nil {
		return err
	}
	if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
		return err
	}
	args := append([]string{"monitor", "--config", file, "--once", "--results-dir", filepath.Join(env.Dir, "results")}, env.OutputArgs()...)
	fmt.Fprintf(env.Narration(), "$ %s\n", CommandLine(args))
	code := env.Exec(ctx, nil, args...)
	fmt.Fprintf(env.Narration(), "\n%s\n", labGone)
	return exit(code)
}
