package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/web"
)

func init() { register("serve", newServeCmd) }

func newServeCmd(env *Env) *cobra.Command {
	var listen string
	var allowRemote bool
	var maxUpload int64
	cmd := &cobra.Command{
		Use:   "serve [--listen 127.0.0.1:8377] [--topology T ...] [--logs SRC ...] [--db FILE] [--files DIR ...]",
		Short: "A local web UI: explain a flow, scroll the evidence, see the topology and a capture",
		Long: `A web UI over the same answers as the commands: Explain (the verdict, the path
diagram, each hop's expected decision beside the records that prove it, the
proof report to download), Evidence (the events with the filters of
'events', paged in the store, a time histogram, each row's raw record),
Topology (a diagram; a NIC's effective routes and rules) and Capture (upload
a pcap or choose one from --files; its connections; one connection's
timeline).

It listens on loopback only, unless --allow-remote: any other address then
requires a bearer token (` + web.TokenEnv + `, else one is generated and printed once;
browsers open the printed URL with ?token= and keep it in a cookie). It is
read-only: nothing in it changes a file, the store or Azure.`,
		Example: `  pathproof serve --topology export/ --db evidence.duckdb --files ./captures
  pathproof serve --topology hub.yaml --logs ./logs --listen 127.0.0.1:9000
  PATHPROOF_TOKEN=s3cret pathproof serve --db evidence.duckdb --listen 0.0.0.0:8377 --allow-remote`,
		Args: cobra.NoArgs,
	}
	ff := addFrontFlags(cmd)
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:8377", "HOST:PORT to listen on (loopback unless --allow-remote)")
	cmd.Flags().BoolVar(&allowRemote, "allow-remote", false, "allow a non-loopback --listen address; requests then need the bearer token")
	cmd.Flags().Int64Var(&maxUpload, "max-upload", web.DefaultMaxUpload, "largest capture upload in bytes")
	cmd.RunE = func(c *cobra.Command, _ []string) error {
		if maxUpload <= 0 {
			return Usagef("--max-upload %d: want a positive number of bytes", maxUpload)
		}
		ln, err := web.Listen(listen, allowRemote, os.Getenv(web.TokenEnv))
		if err != nil {
			if errors.Is(err, web.ErrRemoteRefused) || errors.Is(err, web.ErrBadAddress) {
				return Usagef("%v", err)
			}
			return fmt.Errorf("serve: %w", err)
		}
		defer ln.Close()
		ctx, stop := signal.NotifyContext(c.Context(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		ws, err := ff.open(ctx, env)
		if err != nil {
			return err
		}
		defer ws.Close()
		h, err := web.New(ws, web.Options{Token: ln.Token, MaxUpload: maxUpload, Version: Version, Log: env.Stderr})
		if err != nil {
			return err
		}
		if err := ln.Announce(env.Stdout); err != nil {
			return err
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}
		go func() {
			<-ctx.Done()
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = srv.Shutdown(sctx)
		}()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
		return nil
	}
	return cmd
}
