package testenv

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Azurite is a blob-only Azurite emulator started by a test on loopback.
type Azurite struct {
	// BlobEndpoint is the path-style service URL,
	// "http://127.0.0.1:PORT/devstoreaccount1".
	BlobEndpoint string
	// Account and Key are the emulator's well-known development account.
	Account, Key string
	// ConnectionString reaches BlobEndpoint with the account key.
	ConnectionString string
}

// Azurite's well-known development account (public, documented by
// Microsoft; not a secret of anyone's).
const (
	azuriteAccount = "devstoreaccount1"
	azuriteKey     = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)

// azuriteBinary finds azurite-blob (or azurite) on PATH, then in the
// project-local .tools folder .ci/run installs into.
func azuriteBinary() (string, bool) {
	local := filepath.Join(repoRoot(), ".tools", "node_modules", ".bin")
	for _, name := range []string{"azurite-blob", "azurite"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, name == "azurite-blob"
		}
		p := filepath.Join(local, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, name == "azurite-blob"
		}
	}
	return "", false
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// lockedBuffer collects a child's output for failure messages.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// StartAzurite starts a blob-only Azurite on a free loopback port, in
// memory, and stops it (by its process id) in t.Cleanup. It skips the test
// (fails under CI=true) when Azurite is not installed: .ci/run installs
// azurite@3.35.0 into .tools.
func StartAzurite(t testing.TB) *Azurite {
	t.Helper()
	bin, blobOnly := azuriteBinary()
	if bin == "" {
		missing(t, "needs azurite on PATH or in .tools/node_modules/.bin (.ci/run installs azurite@3.35.0)")
	}
	var lastOut string
	for attempt := 0; attempt < 3; attempt++ {
		port := freePort(t)
		args := []string{"--skipApiVersionCheck", "--disableTelemetry", "--inMemoryPersistence",
			"--blobHost", "127.0.0.1", "--blobPort", strconv.Itoa(port)}
		if !blobOnly {
			// The all-services binary also opens queue and table ports.
			args = append(args, "--queueHost", "127.0.0.1", "--queuePort", strconv.Itoa(freePort(t)),
				"--tableHost", "127.0.0.1", "--tablePort", strconv.Itoa(freePort(t)))
		}
		cmd := exec.Command(bin, args...)
		out := &lockedBuffer{}
		cmd.Stdout, cmd.Stderr = out, out
		cmd.Dir = t.TempDir() // Azurite writes debug and extent files to its working folder
		if err := cmd.Start(); err != nil {
			t.Fatalf("starting %s: %v", bin, err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		stop := func() {
			_ = cmd.Process.Kill()
			<-exited
		}
		if waitListening(port, exited) {
			t.Cleanup(stop)
			ep := fmt.Sprintf("http://127.0.0.1:%d/%s", port, azuriteAccount)
			return &Azurite{
				BlobEndpoint: ep,
				Account:      azuriteAccount,
				Key:          azuriteKey,
				ConnectionString: "DefaultEndpointsProtocol=http;AccountName=" + azuriteAccount +
					";AccountKey=" + azuriteKey + ";BlobEndpoint=" + ep + ";",
			}
		}
		stop()
		lastOut = out.String()
	}
	t.Fatalf("azurite did not start listening (3 attempts); its output:\n%s", lastOut)
	return nil
}

// waitListening waits until the port accepts connections or the process
// exits (a readiness wait, not a timing assertion: the limit is generous).
func waitListening(port int, exited <-chan struct{}) bool {
	deadline := time.Now().Add(60 * time.Second)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}
