package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/monitor"
	"github.com/pathproof/pathproof/internal/render/monitorrender"
)

func init() { register("monitor", newMonitorCmd) }

func newMonitorCmd(env *Env) *cobra.Command {
	var cfgFile, listen, resultsDir string
	var once bool
	cmd := &cobra.Command{
		Use:   "monitor --config FILE.yaml",
		Short: "Watch critical paths continuously: thresholds, states, alerts and Prometheus metrics",
		Long: `Run the probes of a config file at their frequencies, Connection Monitor
style: test groups cross destinations with test configurations. Each run is
judged Pass / Warning / Fail / Indeterminate against its thresholds, streamed
to stdout, appended to DIR/monitor-YYYY-MM-DD.jsonl, exported on /metrics with
blackbox_exporter's names, and state changes go to a webhook after damping.

Every config error is reported with its line before anything starts (exit 2).
SIGINT/SIGTERM: runs in flight finish, files are flushed, exit 0.
--once runs every test one time and exits with the worst state: 0 Pass,
4 Warning, 1 Fail or Indeterminate.`,
		Example: `  pathproof monitor --config paths.yaml
  pathproof monitor --config paths.yaml --once --output json
  pathproof monitor --config paths.yaml --listen 0.0.0.0:9469 --results-dir /var/lib/pathproof`,
		Args: cobra.NoArgs,
	}
	cmd.Flags().StringVar(&cfgFile, "config", "", "monitor config file (YAML; see docs/monitor.md)")
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:9469", `address of the Prometheus /metrics endpoint ("off" to disable)`)
	cmd.Flags().StringVar(&resultsDir, "results-dir", "", "folder of the daily JSON Lines files (overrides results_dir)")
	cmd.Flags().BoolVar(&once, "once", false, "run every test once and exit with the worst state")
	out := addOutputFlag(cmd, "json")
	cmd.RunE = func(_ *cobra.Command, _ []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		if cfgFile == "" {
			return Usagef("--config is required")
		}
		data, err := os.ReadFile(cfgFile)
		if err != nil {
			return Usagef("reading the config: %v", err)
		}
		cfg, err := monitor.ParseConfig(cfgFile, data, monitor.DefaultLimits)
		if err != nil {
			return Usagef("%v", err)
		}
		var mu sync.Mutex
		pr := monitorrender.NewPrinter(env.Stdout, out.String())
		// --once prints the round sorted by test when it is complete;
		// the continuous mode streams records as runs finish.
		var round []*monitor.Record
		stream := func(r *monitor.Record) {
			mu.Lock()
			defer mu.Unlock()
			if once {
				round = append(round, r)
				return
			}
			_ = pr.Record(r)
		}
		m, err := monitor.New(cfg, monitor.Options{ResultsDir: resultsDir, Stream: stream, Log: env.Stderr})
		if err != nil {
			return err
		}
		defer m.Close()
		pr.TestWidth = m.MaxTestID() // before the first record: runs start below
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if once {
			worst := m.Once(ctx)
			_ = pr.Round(round)
			if err := m.Close(); err != nil {
				return err
			}
			switch worst {
			case monitor.Pass:
				return nil
			case monitor.Warning:
				return Partial()
			default:
				return Failed()
			}
		}
		var srv *http.Server
		var metricsAddr string
		if listen != "off" && listen != "" {
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("metrics endpoint: %w", err)
			}
			metricsAddr = ln.Addr().String()
			mux := http.NewServeMux()
			mux.Handle("/metrics", m.MetricsHandler())
			srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
			go func() {
				if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
					fmt.Fprintf(env.Stderr, "pathproof: metrics endpoint: %v\n", err)
				}
			}()
		}
		metricsAt := "off"
		if srv != nil {
			metricsAt = "http://" + metricsAddr + "/metrics"
		}
		_ = monitorrender.Start(env.Stderr, m.TestIDs(), cfgFile, m.ResultsDir(), metricsAt)
		m.Run(ctx)
		if srv != nil {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = srv.Shutdown(sctx)
		}
		return m.Close()
	}
	return cmd
}
