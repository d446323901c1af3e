package mcp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// ServeStdio serves one client over in and out (newline-delimited JSON-RPC,
// the stdio transport) until the client closes in or ctx ends.
func ServeStdio(ctx context.Context, s *sdk.Server, in io.Reader, out io.Writer) error {
	t := &sdk.IOTransport{Reader: io.NopCloser(in), Writer: nopWriteCloser{out}}
	err := s.Run(ctx, t)
	if errors.Is(err, io.EOF) || errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

// Handler serves the streamable HTTP transport at every path, with the
// SDK's DNS-rebinding protection and cross-origin protection on.
func Handler(s *sdk.Server) http.Handler {
	h := sdk.NewStreamableHTTPHandler(func(*http.Request) *sdk.Server { return s },
		&sdk.StreamableHTTPOptions{SessionTimeout: 30 * time.Minute})
	return http.NewCrossOriginProtection().Handler(h)
}

// ListenLoopback listens on addr (HOST:PORT), which must be a loopback
// address: the MCP server has no authentication, so only this machine may
// reach it.
func ListenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--http %q: want HOST:PORT, e.g. 127.0.0.1:8378", addr)
	}
	if !IsLoopback(host) {
		return nil, fmt.Errorf("--http %s: only a loopback address (127.0.0.1, ::1, localhost) is allowed: the MCP server has no authentication", addr)
	}
	return net.Listen("tcp", addr)
}

// IsLoopback reports whether host (an IP or "localhost") is a loopback
// address.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ServeHTTP serves the streamable HTTP transport on l until ctx ends.
func ServeHTTP(ctx context.Context, s *sdk.Server, l net.Listener) error {
	srv := &http.Server{Handler: Handler(s), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
