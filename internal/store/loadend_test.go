package store

import (
	"context"
	"path/filepath"
	"testing"
)

// loadViews lists the views of s named like the loader's Arrow views.
func loadViews(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.db.QueryContext(context.Background(),
		`SELECT view_name FROM duckdb_views() WHERE NOT internal AND starts_with(view_name, 'pathproof_rows') ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// TestLoadLeavesNoView checks that a load into a file leaves no view of
// its stream in the file, neither in the process that loaded nor after
// the store opens again. (DuckDB's Arrow scan registers one inside the
// load's transaction; committed, it pointed at a freed stream and a query
// of it crashed the process.)
func TestLoadLeavesNoView(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.duckdb")
	s := open(t, path)
	load(t, s, flowEvents("a", 3, 10))
	if v := loadViews(t, s); len(v) != 0 {
		t.Errorf("after a load: views %v, want none", v)
	}
	s.Close()
	s = open(t, path)
	if v := loadViews(t, s); len(v) != 0 {
		t.Errorf("after reopening: views %v, want none", v)
	}
	if n := count(t, s); n != 30 {
		t.Errorf("stored %d events, want 30", n)
	}
}

// TestOpenDropsStaleLoadViews checks that opening a store drops the load
// views an earlier build left, and only those.
func TestOpenDropsStaleLoadViews(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.duckdb")
	s := open(t, path)
	for _, q := range []string{`CREATE VIEW pathproof_rows_7 AS SELECT 1 AS x`, `CREATE VIEW "pathproof_rows_8""q" AS SELECT 1 AS x`,
		`CREATE VIEW pathproofXrows AS SELECT 1 AS x`} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s = open(t, path)
	if v := loadViews(t, s); len(v) != 0 {
		t.Errorf("after reopening: load views %v, want none", v)
	}
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM duckdb_views() WHERE view_name = 'pathproofXrows'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("a view not named like a load's: %d left, %v; want it kept", n, err)
	}
}

// TestAbortWithCancelledContextResetsSettings checks that a load into a
// file aborted on a cancelled context still gives the store back its
// threads and memory limit.
func TestAbortWithCancelledContextResetsSettings(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "x.duckdb"))
	var limit, limitAfter string
	var threads, threadsAfter int
	q := "SELECT current_setting('memory_limit'), current_setting('threads')"
	if err := s.db.QueryRow(q).Scan(&limit, &threads); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	l, err := s.NewLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Add(flowEvents("a", 2, 10)); err != nil {
		t.Fatal(err)
	}
	cancel()
	l.Abort(ctx)
	if err := s.db.QueryRow(q).Scan(&limitAfter, &threadsAfter); err != nil {
		t.Fatal(err)
	}
	if limitAfter != limit || threadsAfter != threads {
		t.Errorf("after an abort on a cancelled context: memory_limit %q, threads %d; want %q, %d", limitAfter, threadsAfter, limit, threads)
	}
	if n := count(t, s); n != 0 {
		t.Errorf("stored %d events after the abort, want 0", n)
	}
}

// TestAddAfterInsertEndedFails checks that once the insert has ended
// early, every later Add returns its error: the first one fills a batch
// the insert no longer takes, the next must not write past it.
func TestAddAfterInsertEndedFails(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "x.duckdb"))
	ctx := context.Background()
	l, err := s.NewLoader(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Abort(ctx)
	// The insert ends as it does when DuckDB fails it.
	l.st.abort.Store(true)
	l.st.full <- l.st.get()
	<-l.insEnded
	evs := flowEvents("a", 1, batchRows()+1)
	for i := range 3 {
		if err := l.Add(evs); err == nil {
			t.Fatalf("Add %d after the insert ended: no error", i)
		}
	}
}
