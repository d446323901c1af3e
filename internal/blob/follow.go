package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/bloberror"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
)

// What a follower (internal/follow) asks of Blob Storage, in plain types:
// no SDK type leaves this file.

// Info is one listed blob.
type Info struct {
	// Container and Name locate the blob; Key ("<container>/<name>") is
	// the origin key its events carry, as for Expand's inputs.
	Container, Name string
	Size            int64
	ETag            string
	// Append is set for append blobs (diagnostic settings write JSON Lines
	// to them); flow logs are block blobs.
	Append bool
	// Created and Modified are zero when the listing gave none.
	Created, Modified time.Time
}

// Key is the blob's origin key.
func (i Info) Key() string { return i.Container + "/" + i.Name }

func (it item) info() Info {
	return Info(it)
}

// Blocks is a block blob's committed block list.
type Blocks struct {
	// ETag and Modified are the blob's as the list was read.
	ETag     string
	Modified time.Time
	// IDs and Sizes are the committed blocks in order.
	IDs   []string
	Sizes []int64
}

// ErrChanged is returned by ReadRange when the blob no longer has the
// ETag it was asked with: it was committed to (or rewritten) in between.
var ErrChanged = errors.New("the blob changed while it was read")

// ErrGone is returned when the blob was deleted.
var ErrGone = errors.New("the blob is gone")

// String is the source without secrets, for messages and checkpoints.
func (c *Conn) String() string { return c.src.String() }

// Display is a blob's URL without query, for messages.
func (c *Conn) Display(container, name string) string {
	return c.acct.endpoint + "/" + container + "/" + escapeName(name)
}

// List lists the source's blobs inside w (a relative window counts back
// from the newest hour folder), walking the time folders as Expand does. A
// source without a container first picks up insights-logs-* containers
// created since it was connected (a diagnostic setting enabled meanwhile).
func (c *Conn) List(ctx context.Context, w Window) ([]Info, error) {
	if err := c.refreshContainers(ctx); err != nil {
		return nil, err
	}
	var out []Info
	err := c.walk(ctx, w, func(_ *containerLister, items []item) {
		for _, it := range items {
			out = append(out, it.info())
		}
	})
	return out, err
}

// refreshContainers adds the insights-logs-* containers created since the
// source was connected, for a source that names no container.
func (c *Conn) refreshContainers(ctx context.Context) error {
	if c.src.Container != "" || c.acct.svc == nil {
		return nil
	}
	names, err := insightsContainers(ctx, c.acct.svc, c.src)
	if err != nil {
		return err
	}
	for _, n := range names {
		if c.lister(n) != nil {
			continue
		}
		cc, err := c.acct.container(n)
		if err != nil {
			return safeErrorf("blob source %s: %v", c.src, err)
		}
		c.listers = append(c.listers, &containerLister{name: n, cc: cc, src: c.src})
	}
	return nil
}

// ListUnder lists the blobs of one container whose names start with
// prefix, flat: one or two requests for an hour folder however many NIC
// folders it holds.
func (c *Conn) ListUnder(ctx context.Context, container, prefix string) ([]Info, error) {
	l := c.lister(container)
	if l == nil {
		return nil, fmt.Errorf("blob source %s does not read container %q", c.src, container)
	}
	items, err := l.all(ctx, prefix)
	if err != nil {
		return nil, err
	}
	out := make([]Info, len(items))
	for i, it := range items {
		out[i] = it.info()
	}
	return out, nil
}

// SourcePrefix is the blob-name prefix the source was given ("" for all).
func (c *Conn) SourcePrefix() string { return c.src.Prefix }

func (c *Conn) lister(container string) *containerLister {
	for _, l := range c.listers {
		if l.name == container {
			return l
		}
	}
	return nil
}

// BlockList returns a block blob's committed blocks.
func (c *Conn) BlockList(ctx context.Context, container, name string) (Blocks, error) {
	l := c.lister(container)
	if l == nil {
		return Blocks{}, fmt.Errorf("blob source %s does not read container %q", c.src, container)
	}
	resp, err := l.cc.NewBlockBlobClient(name).GetBlockList(ctx, blockblob.BlockListTypeCommitted, nil)
	if err != nil {
		if bloberror.HasCode(err, bloberror.BlobNotFound) {
			return Blocks{}, ErrGone
		}
		return Blocks{}, safeErrorf("reading the block list of %s: %s", c.Display(container, name), sdkErr(err))
	}
	var b Blocks
	if resp.ETag != nil {
		b.ETag = string(*resp.ETag)
	}
	if resp.LastModified != nil {
		b.Modified = *resp.LastModified
	}
	for _, bl := range resp.CommittedBlocks {
		if bl == nil || bl.Size == nil {
			return Blocks{}, fmt.Errorf("the block list of %s has a block without a size", c.Display(container, name))
		}
		id := ""
		if bl.Name != nil {
			id = *bl.Name
		}
		b.IDs = append(b.IDs, id)
		b.Sizes = append(b.Sizes, *bl.Size)
	}
	return b, nil
}

// maxRange bounds one ranged read: a flow-log blob is a few MB an hour.
const maxRange = 256 << 20

// ReadRange reads count bytes of a blob from offset. With ifMatch set the
// read fails with ErrChanged when the blob's ETag is no longer ifMatch;
// ErrGone when the blob was deleted. The answer's Content-Range is checked
// against the request.
func (c *Conn) ReadRange(ctx context.Context, container, name string, offset, count int64, ifMatch string) ([]byte, error) {
	l := c.lister(container)
	if l == nil {
		return nil, fmt.Errorf("blob source %s does not read container %q", c.src, container)
	}
	if count <= 0 || count > maxRange || offset < 0 {
		return nil, fmt.Errorf("reading %s: range of %d bytes at %d out of bounds", c.Display(container, name), count, offset)
	}
	o := &blob.DownloadStreamOptions{Range: blob.HTTPRange{Offset: offset, Count: count}}
	if ifMatch != "" {
		etag := azcore.ETag(ifMatch)
		o.AccessConditions = &blob.AccessConditions{ModifiedAccessConditions: &blob.ModifiedAccessConditions{IfMatch: &etag}}
	}
	resp, err := l.cc.NewBlobClient(name).DownloadStream(ctx, o)
	if err != nil {
		switch {
		case bloberror.HasCode(err, bloberror.ConditionNotMet):
			return nil, ErrChanged
		case bloberror.HasCode(err, bloberror.BlobNotFound):
			return nil, ErrGone
		}
		return nil, safeErrorf("reading %s: %s", c.Display(container, name), sdkErr(err))
	}
	defer resp.Body.Close()
	if !rangeStartsAt(resp.ContentRange, offset) {
		return nil, safeErrorf("reading %s: %v", c.Display(container, name), &rangeError{want: offset, got: resp.ContentRange})
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, count+1))
	if err != nil {
		return nil, safeErrorf("reading %s: %s", c.Display(container, name), sdkErr(err))
	}
	if int64(len(data)) != count {
		return nil, fmt.Errorf("reading %s: asked for %d bytes at %d, got %d", c.Display(container, name), count, offset, len(data))
	}
	return data, nil
}
