package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/loggen"
	"github.com/pathproof/pathproof/internal/logs"
)

func TestInputGroups(t *testing.T) {
	in := func(sizes ...int64) []logs.Input {
		var ins []logs.Input
		for i, s := range sizes {
			ins = append(ins, logs.Input{Name: fmt.Sprint(i), Size: s})
		}
		return ins
	}
	names := func(gs [][]logs.Input) [][]string {
		var out [][]string
		for _, g := range gs {
			var n []string
			for _, i := range g {
				n = append(n, i.Name)
			}
			out = append(out, n)
		}
		return out
	}
	for _, tc := range []struct {
		sizes []int64
		want  [][]string
	}{
		{[]int64{4, 4, 4}, [][]string{{"0", "1"}, {"2"}}},
		{[]int64{10, 1, 1}, [][]string{{"0"}, {"1", "2"}}},   // larger than the limit: alone
		{[]int64{1, 12, 1}, [][]string{{"0"}, {"1"}, {"2"}}}, // the big one between two
		{[]int64{-1, 0, 8, -1}, [][]string{{"0", "1", "2", "3"}}},
		{nil, [][]string{nil}},
	} {
		if got := names(inputGroups(in(tc.sizes...), 8)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("sizes %v: groups %v, want %v", tc.sizes, got, tc.want)
		}
	}
}

// TestGroupedLoadStoresAsOne loads every log twice into a --db store in
// groups of a few inputs (one transaction each), so a log's second copy is
// in a later transaction than its first, and checks the store holds what
// one transaction stores: each event once.
func TestGroupedLoadStoresAsOne(t *testing.T) {
	dir := t.TempDir()
	if _, err := loggen.Generate(loggen.Options{Out: dir, Seed: 5, NICs: 3, Hours: 3, Tuples: 3000, NSGTuples: 300, Firewall: 300}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	load := func(db string, group int64) *Loaded {
		t.Helper()
		old := loadGroupBytes
		loadGroupBytes = group
		defer func() { loadGroupBytes = old }()
		l, err := Open(ctx, Sources{Logs: []string{dir, dir}, DB: db}, Options{}) // every log twice
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		return l
	}
	one := load(filepath.Join(t.TempDir(), "one.duckdb"), 1<<40)
	groups := inputGroups(mustExpand(t, dir, dir), 20_000)
	if len(groups) < 3 {
		t.Fatalf("only %d groups of 20 kB: the test needs several", len(groups))
	}
	many := load(filepath.Join(t.TempDir(), "many.duckdb"), 20_000)
	if one.parts != 1 || many.parts != len(groups) {
		t.Fatalf("committed %d and %d parts; want 1 and %d", one.parts, many.parts, len(groups))
	}
	if many.Added != one.Added || many.Duplicates != one.Duplicates || many.Inputs != one.Inputs || many.Added == 0 || many.Duplicates != many.Added {
		t.Fatalf("grouped load: %d inputs, %d added, %d duplicates; one transaction: %d, %d, %d",
			many.Inputs, many.Added, many.Duplicates, one.Inputs, one.Added, one.Duplicates)
	}
	a, err := one.Store.Events(ctx, &filter.Filter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := many.Store.Events(ctx, &filter.Filter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("grouped load stored %d events unlike one transaction's %d", len(b), len(a))
	}
}

func mustExpand(t *testing.T, dirs ...string) []logs.Input {
	t.Helper()
	ins, errs := logs.Expand(dirs, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return ins
}
