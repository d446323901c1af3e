package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/render/eventrender"
)

func init() { register("sql", newSQLCmd) }

func newSQLCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   `sql "SELECT ..."`,
		Short: "Run a SQL query against the event store (DuckDB)",
		Long: `Run one SQL statement against the event store: the --db file, the --logs
loaded into memory, or both. The events view has one column per event field;
the schema is in docs/events.md. Views: events, denied. Tables: event_rows,
shapes, addrs, extras (the dictionary-encoded storage behind events), sources
(one row per loaded file or blob).`,
		Example: `  pathproof sql --logs ./logs "SELECT verdict, count(*) FROM events GROUP BY ALL"
  pathproof sql --db evidence.duckdb "SELECT dst_port, count(*) n FROM denied GROUP BY 1 ORDER BY n DESC LIMIT 10"`,
		Args: cobra.ExactArgs(1),
	}
	lf := addLogFlags(cmd, false)
	out := addOutputFlag(cmd, "json", "jsonl")
	cmd.RunE = func(c *cobra.Command, args []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		if _, err := lf.validate(); err != nil {
			return err
		}
		ctx := c.Context()
		l, err := lf.open(ctx, env, nil, nil, nil)
		if err != nil {
			return err
		}
		return l.finish(env, func() error {
			res, err := l.st.Query(ctx, args[0])
			if err != nil {
				return fmt.Errorf("sql: %w", err)
			}
			return eventrender.Query(env.Stdout, out.String(), res)
		}())
	}
	return cmd
}
