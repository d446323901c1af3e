// Command followbench measures `pathproof events --follow` against a blob
// emulator (bench/follow.sh starts Azurite and passes its connection
// string):
//
//   - latency: flow-log blocks are committed the way Azure commits them,
//     spread over many NIC blobs, while the follower runs; for each block,
//     the time from the commit's return to the first line of its events on
//     the follower's stdout (p50, p99, max);
//   - CPU per record of the follower (its rusage) against the one-shot
//     `pathproof events --logs` over the same blobs;
//   - after a restart from the checkpoint, the blob bytes downloaded
//     (counted by a proxy in front of the emulator, GETs of blob content
//     only; every reader goes through it) against the bytes appended while
//     the follower was down.
//
// -auth picks how both readers authenticate, the same in each run so their
// CPU compares fairly: "key" (the emulator's account key, every request
// signed with Shared Key) or "sas" (a read+list container SAS URL made with
// the SDK's SAS helpers from that key, as users give --logs; requests are
// not signed). The SAS URL is never printed.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/sas"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"

	"github.com/pathproof/pathproof/internal/loggen"
	"github.com/pathproof/pathproof/internal/testenv/azwriter"
)

func main() {
	bin := flag.String("bin", "bin/pathproof", "the pathproof binary")
	conn := flag.String("conn", "", "connection string of the emulator (with BlobEndpoint)")
	blocks := flag.Int("blocks", 1000, "blocks committed while the follower runs")
	after := flag.Int("restart-blocks", 200, "blocks committed while the follower is stopped")
	nics := flag.Int("nics", 25, "NIC blobs the blocks are spread over")
	rate := flag.Float64("rate", 25, "blocks committed per second")
	tuples := flag.Int("tuples", 20, "flow tuples per record")
	flag.StringVar(&auth, "auth", "key", "how the follower and the batch reader authenticate: key (account key from -conn) or sas (a container SAS URL made from it)")
	flag.StringVar(&profile, "cpuprofile", "", "write the first follower's CPU profile to FILE and the batch reader's to FILE.batch (PATHPROOF_CPUPROFILE)")
	flag.Parse()
	if *conn == "" {
		fail("give -conn")
	}
	if auth != "key" && auth != "sas" {
		fail("-auth is key or sas")
	}
	if err := run(*bin, *conn, *blocks, *after, *nics, *rate, *tuples); err != nil {
		fail(err.Error())
	}
}

// profile is -cpuprofile: where the first follower's CPU profile goes.
var profile string

// auth is -auth: "key" or "sas".
var auth string

// flowContainer is the container the bench writes and the readers read.
const flowContainer = "insights-logs-flowlogflowevent"

// connField returns the connection string's value for key (case-insensitive).
func connField(conn, key string) string {
	for _, part := range strings.Split(conn, ";") {
		if k, v, ok := strings.Cut(part, "="); ok && strings.EqualFold(k, key) {
			return v
		}
	}
	return ""
}

// readerArgs returns the --logs source and the environment for a reader
// of conn: the azblob:// source with the connection string (auth "key"),
// or a read+list SAS URL of the container and no connection string (auth
// "sas"). The SAS URL is a secret: it goes on the command line only.
func readerArgs(conn string) (string, []string, error) {
	if auth == "key" {
		return "azblob://" + flowContainer, append(os.Environ(), "AZURE_STORAGE_CONNECTION_STRING="+conn), nil
	}
	cred, err := service.NewSharedKeyCredential(connField(conn, "AccountName"), connField(conn, "AccountKey"))
	if err != nil {
		return "", nil, fmt.Errorf("account key of the connection string: %v", err)
	}
	qp, err := sas.BlobSignatureValues{
		Protocol:      sas.ProtocolHTTPSandHTTP,
		ExpiryTime:    time.Now().Add(6 * time.Hour),
		Permissions:   (&sas.ContainerPermissions{Read: true, List: true}).String(),
		ContainerName: flowContainer,
	}.SignWithSharedKey(cred)
	if err != nil {
		return "", nil, fmt.Errorf("signing the container SAS: %v", err)
	}
	ep := strings.TrimSuffix(connField(conn, "BlobEndpoint"), "/")
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "AZURE_STORAGE_CONNECTION_STRING=") {
			env = append(env, e)
		}
	}
	return ep + "/" + flowContainer + "?" + qp.Encode(), env, nil
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "followbench:", msg)
	os.Exit(1)
}

// follower is a running `events --follow`.
type follower struct {
	cmd   *exec.Cmd
	mu    sync.Mutex
	seen  map[string]time.Time // origin key#record → first line
	lines atomic.Int64
	done  chan struct{}
}

func startFollower(bin, conn, cp, prof string) (*follower, error) {
	logs, env, err := readerArgs(conn)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "events", "--follow", "--logs", logs, "-o", "jsonl", "--checkpoint", cp)
	cmd.Env = env
	if prof != "" {
		cmd.Env = append(cmd.Env, "PATHPROOF_CPUPROFILE="+prof)
	}
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	f := &follower{cmd: cmd, seen: map[string]time.Time{}, done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		defer close(f.done)
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			now := time.Now()
			var e struct {
				Origin struct {
					Key    string `json:"key"`
					Record int    `json:"record"`
				} `json:"origin"`
			}
			if json.Unmarshal(sc.Bytes(), &e) != nil {
				continue
			}
			f.lines.Add(1)
			k := fmt.Sprintf("%s#%d", e.Origin.Key, e.Origin.Record)
			f.mu.Lock()
			if _, ok := f.seen[k]; !ok {
				f.seen[k] = now
			}
			f.mu.Unlock()
		}
	}()
	return f, nil
}

func (f *follower) has(k string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.seen[k]
	return ok
}

// stop interrupts the follower and returns its CPU time.
func (f *follower) stop() (time.Duration, error) {
	_ = f.cmd.Process.Signal(os.Interrupt)
	<-f.done
	err := f.cmd.Wait()
	st := f.cmd.ProcessState
	return st.UserTime() + st.SystemTime(), err
}

// waitAll waits until the follower printed every key (a readiness wait).
func waitAll(f *follower, keys []string) error {
	deadline := time.Now().Add(2 * time.Minute)
	for _, k := range keys {
		for !f.has(k) {
			if time.Now().After(deadline) {
				return fmt.Errorf("the follower never printed %s", k)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return nil
}

func run(bin, conn string, blocks, after, nics int, rate float64, tuples int) error {
	dir, err := os.MkdirTemp("", "followbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if _, err := loggen.Generate(loggen.Options{Out: dir, Seed: 1, Start: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), NICs: nics, Tuples: int64(nics * 60 * tuples)}); err != nil {
		return err
	}
	plan, err := azwriter.Plan(filepath.Join(dir))
	if err != nil {
		return err
	}
	var flow []azwriter.Record
	for _, r := range plan {
		if r.Container == flowContainer {
			flow = append(flow, r)
		}
	}
	if len(flow) < nics+blocks+after {
		return fmt.Errorf("only %d records generated; want %d", len(flow), nics+blocks+after)
	}
	w, err := azwriter.New(conn)
	if err != nil {
		return err
	}
	ctx := context.Background()
	// Every blob's first record, before the follower starts.
	index := map[string]int{}
	key := func(r azwriter.Record) string {
		k := r.Container + "/" + r.Name
		i := index[k]
		index[k] = i + 1
		return fmt.Sprintf("%s#%d", k, i)
	}
	for _, r := range flow[:nics] {
		if err := w.Write(ctx, r); err != nil {
			return err
		}
		key(r)
	}
	// Every reader goes through the counting proxy (the same endpoint
	// each time: a SAS URL's checkpoint names its host); its counters are
	// reset before the restart.
	px, pconn, err := countingProxy(conn)
	if err != nil {
		return err
	}
	cp := filepath.Join(dir, "follow.cp")
	f, err := startFollower(bin, pconn, cp, profile)
	if err != nil {
		return err
	}
	// Latency: commit at the rate, note each commit's return.
	committed := map[string]time.Time{}
	var keys []string
	tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
	for _, r := range flow[nics : nics+blocks] {
		<-tick.C
		if err := w.Write(ctx, r); err != nil {
			return err
		}
		k := key(r)
		committed[k] = time.Now()
		keys = append(keys, k)
	}
	tick.Stop()
	if err := waitAll(f, keys); err != nil {
		return err
	}
	cpu, err := f.stop()
	if err != nil {
		return fmt.Errorf("follower: %v", err)
	}
	var lat []time.Duration
	for _, k := range keys {
		lat = append(lat, f.seen[k].Sub(committed[k]))
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	records := int64(nics + blocks)
	fmt.Printf("auth: %s (follower and batch reader)\n", auth)
	fmt.Printf("latency commit→line over %d blocks (%d NIC blobs, %.0f blocks/s, poll 1s): p50 %s  p99 %s  max %s\n",
		len(lat), nics, rate, pct(0.50).Round(time.Millisecond), pct(0.99).Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond))
	fmt.Printf("follower: %d records, %d events, CPU %s = %.1f µs/record\n", records, f.lines.Load(), cpu.Round(time.Millisecond), float64(cpu.Microseconds())/float64(records))

	// The batch reader over the same blobs.
	logs, env, err := readerArgs(pconn)
	if err != nil {
		return err
	}
	batch := exec.Command(bin, "events", "--logs", logs, "-o", "jsonl", "--limit", "0")
	batch.Env = env
	if profile != "" {
		batch.Env = append(batch.Env, "PATHPROOF_CPUPROFILE="+profile+".batch")
	}
	out, err := batch.StdoutPipe()
	if err != nil {
		return err
	}
	if err := batch.Start(); err != nil {
		return err
	}
	n, _ := io.Copy(io.Discard, out)
	if err := batch.Wait(); err != nil {
		return fmt.Errorf("batch: %v", err)
	}
	bcpu := batch.ProcessState.UserTime() + batch.ProcessState.SystemTime()
	fmt.Printf("batch reader (events --logs, same blobs): %d records, %s out, CPU %s = %.1f µs/record\n", records, size(n), bcpu.Round(time.Millisecond), float64(bcpu.Microseconds())/float64(records))

	// Restart: blocks committed while the follower is down, then a
	// follower from the checkpoint through a counting proxy.
	var appended int64
	var later []string
	for i, r := range flow[nics+blocks : nics+blocks+after] {
		if err := w.Write(ctx, r); err != nil {
			return err
		}
		appended += int64(len(r.Data))
		if index[r.Container+"/"+r.Name] > 0 {
			appended++ // the comma that leads every record after a blob's first
		}
		later = append(later, key(r))
		_ = i
	}
	px.bytes.Store(0)
	px.gets.Store(0)
	f2, err := startFollower(bin, pconn, cp, "")
	if err != nil {
		return err
	}
	if err := waitAll(f2, later); err != nil {
		return err
	}
	if _, err := f2.stop(); err != nil {
		return fmt.Errorf("restarted follower: %v", err)
	}
	fmt.Printf("restart from the checkpoint: %d blocks appended while stopped = %d bytes; downloaded after the restart: %d bytes of blob content (%d requests for it), %d events printed\n",
		after, appended, px.bytes.Load(), px.gets.Load(), f2.lines.Load())
	return nil
}

// proxy counts the blob-content bytes (GETs without comp=) it relays.
type proxy struct {
	bytes, gets atomic.Int64
}

// countingProxy starts a proxy in front of the connection string's blob
// endpoint and returns a connection string through it.
func countingProxy(conn string) (*proxy, string, error) {
	ep := connField(conn, "BlobEndpoint")
	u, err := url.Parse(ep)
	if err != nil || ep == "" {
		return nil, "", fmt.Errorf("no BlobEndpoint in the connection string")
	}
	target := &url.URL{Scheme: u.Scheme, Host: u.Host}
	p := &proxy{}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ModifyResponse = func(resp *http.Response) error {
		r := resp.Request
		if r.Method == http.MethodGet && r.URL.Query().Get("comp") == "" && r.URL.Query().Get("restype") == "" {
			p.gets.Add(1)
			resp.Body = &countBody{ReadCloser: resp.Body, n: &p.bytes}
		}
		return nil
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	go http.Serve(l, rp)
	through := strings.Replace(conn, u.Host, l.Addr().String(), 1)
	return p, through, nil
}

type countBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (c *countBody) Read(b []byte) (int, error) {
	n, err := c.ReadCloser.Read(b)
	c.n.Add(int64(n))
	return n, err
}

func size(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
