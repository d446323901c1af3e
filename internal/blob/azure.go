package blob

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"
)

// containerLister lists one container through the SDK.
type containerLister struct {
	name string
	cc   *container.Client
	src  Source
}

func (c *containerLister) dir(ctx context.Context, prefix string) ([]string, []item, error) {
	opts := &container.ListBlobsHierarchyOptions{}
	if prefix != "" {
		opts.Prefix = &prefix
	}
	pager := c.cc.NewListBlobsHierarchyPager("/", opts)
	var dirs []string
	var blobs []item
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, nil, safeErrorf("listing container %s of %s%s: %s", c.name, c.src, prefixNote(prefix), sdkErr(err))
		}
		if page.Segment == nil {
			continue
		}
		for _, p := range page.Segment.BlobPrefixes {
			if p != nil && p.Name != nil {
				dirs = append(dirs, *p.Name)
			}
		}
		for _, b := range page.Segment.BlobItems {
			if it, ok := c.item(b); ok {
				blobs = append(blobs, it)
			}
		}
	}
	return dirs, blobs, nil
}

func (c *containerLister) all(ctx context.Context, prefix string) ([]item, error) {
	opts := &container.ListBlobsFlatOptions{}
	if prefix != "" {
		opts.Prefix = &prefix
	}
	pager := c.cc.NewListBlobsFlatPager(opts)
	var blobs []item
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, safeErrorf("listing container %s of %s%s: %s", c.name, c.src, prefixNote(prefix), sdkErr(err))
		}
		if page.Segment == nil {
			continue
		}
		for _, b := range page.Segment.BlobItems {
			if it, ok := c.item(b); ok {
				blobs = append(blobs, it)
			}
		}
	}
	return blobs, nil
}

func (c *containerLister) item(b *container.BlobItem) (item, bool) {
	if b == nil || b.Name == nil {
		return item{}, false
	}
	it := item{Container: c.name, Name: *b.Name}
	if b.Properties != nil && b.Properties.ContentLength != nil {
		it.Size = *b.Properties.ContentLength
	}
	if p := b.Properties; p != nil {
		if p.ETag != nil {
			it.ETag = string(*p.ETag)
		}
		it.Append = p.BlobType != nil && *p.BlobType == blob.BlobTypeAppendBlob
		if p.CreationTime != nil {
			it.Created = *p.CreationTime
		}
		if p.LastModified != nil {
			it.Modified = *p.LastModified
		}
	}
	return it, true
}

// insightsContainers lists the account's insights-logs-* containers.
func insightsContainers(ctx context.Context, svc *service.Client, src Source) ([]string, error) {
	prefix := "insights-logs-"
	pager := svc.NewListContainersPager(&service.ListContainersOptions{Prefix: &prefix})
	var names []string
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, safeErrorf("listing the containers of %s: %s", src, sdkErr(err))
		}
		for _, c := range page.ContainerItems {
			if c != nil && c.Name != nil {
				names = append(names, *c.Name)
			}
		}
	}
	return names, nil
}

// prefixNote names a listing prefix in a message, or nothing.
func prefixNote(prefix string) string {
	if prefix == "" {
		return ""
	}
	return fmt.Sprintf(" (prefix %q)", prefix)
}
