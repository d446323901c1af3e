package web

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/demo"
	"github.com/pathproof/pathproof/internal/ingest"
	"github.com/pathproof/pathproof/internal/workspace"
)

// storyServer builds a demo story's data and serves the UI over it on a
// free loopback port; it returns the base URL.
func storyServer(t *testing.T, s demo.Story, o Options) (string, demo.StoryData) {
	t.Helper()
	d, err := s.Build(filepath.Join(t.TempDir(), s.Name))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Open(context.Background(), workspace.Config{Topology: []string{d.Topology}, Evidence: ingest.Sources{Logs: []string{d.Logs}}, Files: []string{d.Dir}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	return serve(t, ws, o), d
}

// serve starts the UI over ws on a free loopback port until the test ends.
func serve(t *testing.T, ws *workspace.Workspace, o Options) string {
	t.Helper()
	h, err := New(ws, o)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := Listen("127.0.0.1:0", false, o.Token)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() { _ = srv.Serve(ln); close(done) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	})
	return "http://" + ln.Addr().String()
}

// story returns the demo story named name.
func story(t *testing.T, name string) demo.Story {
	t.Helper()
	for _, s := range demo.Stories() {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no demo story %q", name)
	return demo.Story{}
}
