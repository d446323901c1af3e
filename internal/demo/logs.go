package demo

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"

	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/loggen"
	"github.com/pathproof/pathproof/internal/store"
)

var logsDemo = Demo{
	Name:    "logs",
	Summary: "generated VNet flow and firewall logs: top denied ports, where one denied flow stopped, its raw events",
	Run:     runLogs,
}

// runLogs generates a small storage-account tree with loggen, loads it into
// a DuckDB file once, then follows the most denied port down to the
// conversations and raw events behind it.
func runLogs(ctx context.Context, env *Env) error {
	logsDir, err := env.File("storage")
	if err != nil {
		return err
	}
	db, err := freshDB(env)
	if err != nil {
		return err
	}
	res, err := loggen.Generate(loggen.Options{Out: logsDir, Seed: 7, NICs: 4, Tuples: 4000, NSGTuples: 400, Firewall: 400})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Generated %d log files (%d flow tuples, %.1f MB) in Azure's storage-account layout under %s.\n\n",
		len(res.Files), res.Tuples, float64(res.Bytes)/1e6, logsDir)
	if err := env.Step(ctx, "Which destination ports are denied most? (loads the logs into a DuckDB file)",
		"flows", "--logs", logsDir, "--db", db, "--verdict", "deny", "--top", "5", "--by", "dst-port"); err != nil {
		return err
	}
	port, proto, err := topDeniedPort(ctx, db)
	if err != nil {
		return err
	}
	if err := env.Step(ctx, fmt.Sprintf("Who tried %s/%d, and where did it stop? (one row per conversation, the verdict at each emitter)", proto, port),
		"flows", "--db", db, "--port", strconv.Itoa(port), "--proto", proto, "--limit", "3"); err != nil {
		return err
	}
	if err := env.Step(ctx, "The raw evidence: each event cites its blob, record and tuple",
		"events", "--db", db, "--port", strconv.Itoa(port), "--proto", proto, "--verdict", "deny", "--limit", "5"); err != nil {
		return err
	}
	return env.Step(ctx, "Anything else is SQL over the same store",
		"sql", "--db", db, "SELECT source, verdict, count(*) AS events FROM events GROUP BY ALL ORDER BY source, verdict")
}

// freshDB returns the path of the demo's event store in env.Dir, removing
// the one a previous run left, so every run loads the same data.
func freshDB(env *Env) (string, error) {
	db, err := env.File("evidence.duckdb")
	if err != nil {
		return "", err
	}
	for _, p := range []string{db, db + ".wal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	return db, nil
}

// topDeniedPort reads the most denied destination port back from the store.
func topDeniedPort(ctx context.Context, db string) (int, string, error) {
	st, err := store.Open(ctx, db)
	if err != nil {
		return 0, "", err
	}
	defer st.Close()
	f, err := filter.Parse(filter.Spec{Verdict: []string{"deny"}, Proto: []string{"tcp", "udp"}})
	if err != nil {
		return 0, "", err
	}
	rows, err := st.Top(ctx, f, store.ByDstPort, 1)
	if err != nil {
		return 0, "", err
	}
	if len(rows) == 0 {
		return 0, "", fmt.Errorf("the generated logs hold no denied TCP or UDP flow")
	}
	return rows[0].Port, rows[0].Protocol, nil
}
