package cli

import (
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/mcp"
)

func init() { register("mcp", newMCPCmd) }

func newMCPCmd(env *Env) *cobra.Command {
	var httpAddr string
	var allowProbe bool
	cmd := &cobra.Command{
		Use:   "mcp [--topology T ...] [--logs SRC ...] [--db FILE] [--files DIR ...] [--allow-probe] [--http 127.0.0.1:PORT]",
		Short: "Serve pathproof's answers to an AI assistant (Model Context Protocol, stdio or loopback HTTP)",
		Long: `A Model Context Protocol server: the answers of trace, events, flows, pcap,
check, routes, rules, next-hop, ip-flow and codes as read-only tools an
assistant calls, with the JSON the CLI prints as structured output; the codes
pages and the user docs as resources; and a "why can't A reach B" prompt
that asks the model to cite the evidence it was given.

The topology and the evidence are loaded once at start. Capture and scenario
files are read only from the --files folders. probe (which sends packets
from this machine) is offered only with --allow-probe.

Over stdio by default (register the command in the MCP client, see
docs/mcp.md); --http serves the streamable HTTP transport on a loopback
address only (it has no authentication).`,
		Example: `  pathproof mcp --topology export/ --db evidence.duckdb --files ./captures
  pathproof mcp --topology hub.yaml --logs ./logs --http 127.0.0.1:8378`,
		Args: cobra.NoArgs,
	}
	ff := addFrontFlags(cmd)
	cmd.Flags().StringVar(&httpAddr, "http", "", "serve the streamable HTTP transport on this loopback HOST:PORT instead of stdio")
	cmd.Flags().BoolVar(&allowProbe, "allow-probe", false, "offer the probe tool (it sends DNS, TCP, TLS, HTTP or ICMP probes from this machine)")
	cmd.RunE = func(c *cobra.Command, _ []string) error {
		ctx, stop := signal.NotifyContext(c.Context(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		var ln net.Listener
		if httpAddr != "" {
			var err error
			if ln, err = mcp.ListenLoopback(httpAddr); err != nil {
				return Usagef("%v", err)
			}
			defer ln.Close()
		}
		ws, err := ff.open(ctx, env)
		if err != nil {
			return err
		}
		defer ws.Close()
		s := mcp.New(ws, mcp.Options{Version: Version, AllowProbe: allowProbe, Log: env.Stderr})
		if ln == nil {
			return mcp.ServeStdio(ctx, s, env.Stdin, env.Stdout)
		}
		fmt.Fprintf(env.Stderr, "pathproof mcp: streamable HTTP on http://%s/\n", ln.Addr())
		return mcp.ServeHTTP(ctx, s, ln)
	}
	return cmd
}
