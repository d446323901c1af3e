package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"

	"github.com/pathproof/pathproof/internal/logs"
)

// Options configure how sources are reached and which blobs are read.
type Options struct {
	// StorageAccount is --storage-account: the account of azblob:// sources,
	// signed in with azidentity's default credential chain.
	StorageAccount string
	// ConnectionString is AZURE_STORAGE_CONNECTION_STRING (a secret).
	ConnectionString string
	// Credential replaces DefaultAzureCredential (tests, custom sign-in).
	Credential azcore.TokenCredential
	// Window limits the blobs read to the hours it can hold events of.
	Window Window
	// Parallel bounds concurrent listing requests (default 8).
	Parallel int
	// Progress, when set, receives listing and download progress (the CLI
	// passes stderr only when it is a terminal).
	Progress *Progress
	// Download bounds each blob download (stall timeout, retries).
	Download DownloadOptions
}

// Expand lists the blobs of one source (see ParseSource) inside the
// window and returns one logs.Input per blob, in key order. Nothing is
// downloaded yet: each Input's Open streams its blob.
func Expand(ctx context.Context, arg string, opt Options) ([]logs.Input, error) {
	c, err := Connect(ctx, arg, opt)
	if err != nil {
		return nil, err
	}
	var ins []logs.Input
	err = c.walk(ctx, opt.Window, func(l *containerLister, items []item) {
		opt.Progress.listed(len(items))
		for _, it := range items {
			ins = append(ins, input(c.acct, l.cc, it, opt.Progress, opt.Download))
		}
	})
	return ins, err
}

// Conn is one blob source connected: its account and the containers it
// reads. Expand lists it once; a follower (internal/follow) lists it again
// and again and reads what each blob gained (follow.go).
type Conn struct {
	src      Source
	acct     *account
	listers  []*containerLister
	parallel int
}

// Connect resolves a source's credentials and containers (every
// insights-logs-* container when the source names none). Nothing is listed
// yet.
func Connect(ctx context.Context, arg string, opt Options) (*Conn, error) {
	src, err := ParseSource(arg)
	if err != nil {
		return nil, err
	}
	acct, err := connect(src, opt)
	if err != nil {
		return nil, err
	}
	names := []string{src.Container}
	if src.Container == "" {
		if acct.svc == nil {
			return nil, fmt.Errorf("blob source %s names no container and its SAS is not an account SAS", src)
		}
		if names, err = insightsContainers(ctx, acct.svc, src); err != nil {
			return nil, err
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("blob source %s: the account has no insights-logs-* container (are diagnostic settings writing to it?)", src)
		}
	}
	parallel := opt.Parallel
	if parallel <= 0 {
		parallel = 8
	}
	c := &Conn{src: src, acct: acct, parallel: parallel}
	for _, n := range names {
		cc, err := acct.container(n)
		if err != nil {
			return nil, safeErrorf("blob source %s: %v", src, err)
		}
		c.listers = append(c.listers, &containerLister{name: n, cc: cc, src: src})
	}
	return c, nil
}

// walk lists every container's blobs inside w (a relative window resolved
// against the newest hour folder) and hands each container's to got.
func (c *Conn) walk(ctx context.Context, w Window, got func(*containerLister, []item)) error {
	start := startPeriod(c.src.Prefix)
	if w.relative() {
		var newest time.Time
		for _, l := range c.listers {
			_, hours, err := walkContainer(ctx, l, c.src.Prefix, start, Window{}, true, c.parallel)
			if err != nil {
				return err
			}
			for _, h := range hours {
				if h.After(newest) {
					newest = h
				}
			}
		}
		if !newest.IsZero() {
			w = w.resolve(newest)
		} else {
			w = Window{Since: w.Since, Until: w.Until}
		}
	}
	for _, l := range c.listers {
		items, _, err := walkContainer(ctx, l, c.src.Prefix, start, w, false, c.parallel)
		if err != nil {
			return err
		}
		got(l, items)
	}
	return nil
}

// startPeriod is the partial date the complete segments of a prefix name.
func startPeriod(prefix string) period {
	var p period
	segs := strings.Split(prefix, "/")
	for _, seg := range segs[:len(segs)-1] {
		if q, ok := p.next(seg); ok {
			p = q
		}
	}
	return p
}

// input makes the logs.Input of one blob: Key "<container>/<name>", Name
// the blob's URL without query, Open a streaming download with retries.
func input(acct *account, cc *container.Client, it item, prog *Progress, dopt DownloadOptions) logs.Input {
	display := acct.endpoint + "/" + it.Container + "/" + escapeName(it.Name)
	return logs.Input{
		Name:    display,
		Key:     it.Container + "/" + it.Name,
		Size:    it.Size,
		Version: it.ETag,
		Open: func(ctx context.Context) (io.ReadCloser, error) {
			d := newDownload(ctx, cc.NewBlobClient(it.Name), display, dopt)
			if err := d.next(); err != nil {
				prog.done(0)
				return nil, err
			}
			return &countingBody{rc: d, prog: prog, name: display}, nil
		},
	}
}

// escapeName escapes a blob name for display in a URL, keeping '/' and '='.
func escapeName(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(url.PathEscape(p), "%3D", "=")
	}
	return strings.Join(parts, "/")
}

// countingBody counts downloaded bytes for progress and redacts read
// errors (the SDK's can carry the request URL).
type countingBody struct {
	rc   io.ReadCloser
	prog *Progress
	name string
	n    int64
	shut bool
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.rc.Read(p)
	c.n += int64(n)
	var done *redactedError
	if err != nil && err != io.EOF && !errors.As(err, &done) {
		err = safeErrorf("reading %s: %s", c.name, sdkErr(err))
	}
	return n, err
}

func (c *countingBody) Close() error {
	if c.shut {
		return nil
	}
	c.shut = true
	c.prog.done(c.n)
	return c.rc.Close()
}
