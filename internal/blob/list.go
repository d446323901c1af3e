package blob

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"
)

// item is one listed blob.
type item struct {
	Container string
	Name      string
	Size      int64
	ETag      string // "" when the listing gave none
	// Append is set for append blobs (diagnostic-setting logs); block blobs
	// (flow logs) and blobs of unknown type leave it false.
	Append bool
	// Created and Modified are the blob's creation and last-modified
	// times, zero when the listing gave none.
	Created, Modified time.Time
}

// lister lists one container; the Azure implementation is containerLister,
// tests use a map.
type lister interface {
	// dir lists one level under prefix (which ends in "/" or is ""):
	// sub-folder prefixes (ending in "/") and blobs.
	dir(ctx context.Context, prefix string) (dirs []string, blobs []item, err error)
	// all lists every blob under prefix.
	all(ctx context.Context, prefix string) ([]item, error)
}

// maxDepth bounds the folder walk (the deepest Azure layout, VNet flow
// logs, has 12 levels).
const maxDepth = 40

// walker walks one container's folders, pruning time folders against a
// window.
type walker struct {
	l   lister
	sem chan struct{}

	mu     sync.Mutex
	blobs  []item
	hours  []time.Time // hour folders met (newest mode)
	err    error
	listed int
}

// walkContainer lists the blobs under prefix whose time folders overlap w. With
// newestOnly it instead descends only into the newest child of each time
// level and records the hour folders it reaches.
func walkContainer(ctx context.Context, l lister, prefix string, p0 period, w Window, newestOnly bool, parallel int) ([]item, []time.Time, error) {
	wk := &walker{l: l, sem: make(chan struct{}, max(parallel, 1))}
	var wg sync.WaitGroup
	wk.visit(ctx, &wg, prefix, p0, w, newestOnly, 0)
	wg.Wait()
	sort.Slice(wk.blobs, func(i, j int) bool { return wk.blobs[i].Name < wk.blobs[j].Name })
	return wk.blobs, wk.hours, wk.err
}

func (wk *walker) fail(err error) {
	wk.mu.Lock()
	if wk.err == nil {
		wk.err = err
	}
	wk.mu.Unlock()
}

func (wk *walker) visit(ctx context.Context, wg *sync.WaitGroup, prefix string, p period, w Window, newestOnly bool, depth int) {
	if depth > maxDepth || ctx.Err() != nil {
		return
	}
	if p.level == 4 {
		start, _ := p.span()
		if newestOnly {
			wk.mu.Lock()
			wk.hours = append(wk.hours, start)
			wk.mu.Unlock()
			return
		}
		// Everything under an hour folder belongs to that hour.
		wk.sem <- struct{}{}
		items, err := wk.l.all(ctx, prefix)
		<-wk.sem
		if err != nil {
			wk.fail(err)
			return
		}
		wk.add(items)
		return
	}
	wk.sem <- struct{}{}
	dirs, blobs, err := wk.l.dir(ctx, prefix)
	<-wk.sem
	if err != nil {
		wk.fail(err)
		return
	}
	if !newestOnly {
		var keep []item
		for _, b := range blobs {
			if h, ok := hourOf(b.Name); !ok || w.overlaps(h, h.Add(time.Hour)) {
				keep = append(keep, b)
			}
		}
		wk.add(keep)
	}
	type child struct {
		prefix string
		p      period
	}
	var plain, timed []child
	for _, d := range dirs {
		seg := lastSegment(d)
		if q, ok := p.next(seg); ok {
			timed = append(timed, child{d, q})
		} else {
			plain = append(plain, child{d, p})
		}
	}
	if newestOnly && len(timed) > 0 {
		// Only the newest child of a time level.
		best := timed[0]
		for _, c := range timed[1:] {
			s, _ := c.p.span()
			b, _ := best.p.span()
			if s.After(b) {
				best = c
			}
		}
		timed = []child{best}
	}
	for _, c := range append(plain, timed...) {
		if c.p.level > p.level && !newestOnly {
			if s, e := c.p.span(); !w.overlaps(s, e) {
				continue
			}
		}
		wg.Add(1)
		go func(c child) {
			defer wg.Done()
			wk.visit(ctx, wg, c.prefix, c.p, w, newestOnly, depth+1)
		}(c)
	}
}

func (wk *walker) add(items []item) {
	wk.mu.Lock()
	wk.blobs = append(wk.blobs, items...)
	wk.listed += len(items)
	wk.mu.Unlock()
}

// lastSegment returns the last path segment of a folder prefix ("a/b=1/" →
// "b=1").
func lastSegment(prefix string) string {
	s := strings.TrimSuffix(prefix, "/")
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}
