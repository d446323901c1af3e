package store

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// TestLoadGivesBackMemoryLimit: a load into a file lowers DuckDB's memory
// limit while it runs; afterwards queries get the whole limit back (RESET
// left the buffer manager at the load's limit, and queries after a load
// ran out of memory).
func TestLoadGivesBackMemoryLimit(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "m.duckdb"))
	limit := func() string {
		var v string
		if err := s.db.QueryRowContext(context.Background(), "SELECT memory_limit FROM pragma_database_size()").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	before := limit()
	load(t, s, randomEvents(rand.New(rand.NewPCG(5, 6)), 100))
	if after := limit(); after != before {
		t.Errorf("buffer manager's memory limit %s after a load, %s before", after, before)
	}
}
