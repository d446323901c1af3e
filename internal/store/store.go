// Package store keeps normalised events in an embedded DuckDB database: in
// memory by default or in a file to keep between runs. Events are bulk
// loaded (typed chunks streamed into one INSERT, stream.go; dictionaries
// through DuckDB's appender), de-duplicated by origin (a blob read twice
// adds nothing; a blob that grew adds only its new records), and queried
// through filter.Filter compiled to SQL with bind parameters: the events
// list, conversations (flows) and top-N groupings.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
)

// Store is an open event database.
type Store struct {
	db   *sql.DB
	conn *duckdb.Connector
	path string
	// memoryLimit is DuckDB's memory_limit when the store opened, which a
	// load into a file lowers and then sets again.
	memoryLimit string
	// threads is DuckDB's threads setting when the store opened, which a
	// load into a file lowers to one and then sets again.
	threads int
}

// Open opens (creating when needed) the database at path, or an in-memory
// one when path is "".
func Open(ctx context.Context, path string) (*Store, error) {
	c, err := duckdb.NewConnector(path, nil)
	if err != nil {
		return nil, fmt.Errorf("open event store %s: %w", describe(path), err)
	}
	s := &Store{db: sql.OpenDB(c), conn: c, path: path}
	if err := s.init(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open event store %s: %w", describe(path), err)
	}
	return s, nil
}

func describe(path string) string {
	if path == "" {
		return "(in memory)"
	}
	return path
}

func (s *Store) init(ctx context.Context) error {
	// One connection keeps an in-memory database and its settings alive for
	// the Store's lifetime; the CLI runs one query at a time.
	s.db.SetMaxOpenConns(1)
	s.db.SetMaxIdleConns(1)
	s.db.SetConnMaxLifetime(0)
	if _, err := s.db.ExecContext(ctx, "SET TimeZone = 'UTC'"); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, ddl); err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	if s.path != "" {
		// DuckDB shows its limit rounded ("18.8 GiB"); setting that text
		// now makes the limit a load restores the limit queries had.
		if err := s.db.QueryRowContext(ctx, "SELECT current_setting('memory_limit')").Scan(&s.memoryLimit); err != nil {
			return fmt.Errorf("read memory limit: %w", err)
		}
		if _, err := s.db.ExecContext(ctx, "SET memory_limit = '"+s.memoryLimit+"'"); err != nil {
			return fmt.Errorf("set memory limit: %w", err)
		}
		if err := s.db.QueryRowContext(ctx, "SELECT current_setting('threads')").Scan(&s.threads); err != nil {
			return fmt.Errorf("read threads: %w", err)
		}
	}
	if err := s.dropStaleLoadViews(ctx); err != nil {
		return err
	}
	if err := s.registerRowsUDF(ctx); err != nil {
		return fmt.Errorf("register loader: %w", err)
	}
	var v sql.NullString
	err := s.db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'schema_version'").Scan(&v)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = s.db.ExecContext(ctx, "INSERT INTO meta VALUES ('schema_version', ?)", schemaVersion)
		return err
	case err != nil:
		return err
	case v.String != schemaVersion:
		return fmt.Errorf("database has schema version %s, this pathproof uses %s: load the logs into a new file", v.String, schemaVersion)
	}
	return nil
}

// Close releases the database.
func (s *Store) Close() error {
	err := s.db.Close()
	if cerr := s.conn.Close(); err == nil {
		err = cerr
	}
	return err
}

// dropStaleLoadViews drops the Arrow views named pathproof_rows_N that
// loads by builds before 2026-12-07 left in the file: DuckDB's Arrow scan
// registered them in the load's transaction and the commit kept them,
// pointing at a stream long gone, so querying one crashed the process.
func (s *Store) dropStaleLoadViews(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT view_name FROM duckdb_views()
		WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
		AND view_name LIKE 'pathproof\_rows\_%' ESCAPE '\'`)
	if err != nil {
		return fmt.Errorf("list stale load views: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return fmt.Errorf("list stale load views: %w", err)
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list stale load views: %w", err)
	}
	for _, n := range names {
		if _, err := s.db.ExecContext(ctx, `DROP VIEW IF EXISTS "`+strings.ReplaceAll(n, `"`, `""`)+`"`); err != nil {
			return fmt.Errorf("drop stale load view %s: %w", n, err)
		}
	}
	return nil
}
