package cli

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/render"
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
		l, err := lf.open(ctx, env, nil, nil)
		if err != nil {
			return err
		}
		return l.finish(env, func() error {
			res, err := l.st.Query(ctx, args[0])
			if err != nil {
				return fmt.Errorf("sql: %w", err)
			}
			switch out.String() {
			case "json", "jsonl":
				objs := make([]map[string]any, len(res.Rows))
				for i, row := range res.Rows {
					o := make(map[string]any, len(row))
					for j, v := range row {
						o[res.Columns[j]] = sqlJSONValue(v)
					}
					objs[i] = o
				}
				_, err := render.Machine(env.Stdout, out.String(), objs)
				return err
			}
			t := render.Table{Header: res.Columns}
			for _, row := range res.Rows {
				cells := make([]string, len(row))
				for j, v := range row {
					cells[j] = sqlText(v)
				}
				t.Add(cells...)
			}
			return t.Write(env.Stdout)
		}())
	}
	return cmd
}

// sqlText prints one value of a query result for the table.
func sqlText(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return x
	case []byte:
		return fmt.Sprintf("%x", x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case fmt.Stringer:
		return x.String()
	}
	if b, err := json.Marshal(v); err == nil && len(b) > 0 && (b[0] == '{' || b[0] == '[') {
		return string(b)
	}
	return fmt.Sprint(v)
}

// sqlJSONValue makes a result value JSON-friendly.
func sqlJSONValue(v any) any {
	switch x := v.(type) {
	case []byte:
		return fmt.Sprintf("%x", x)
	case time.Time:
		return x.UTC()
	case fmt.Stringer:
		return x.String()
	}
	if _, err := json.Marshal(v); err != nil {
		return fmt.Sprint(v)
	}
	return v
}
