package eventrender

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/store"
)

// Query writes the result of a SQL statement (pathproof sql) as JSON or
// JSON Lines, one object per row keyed by column, else as a table.
func Query(w io.Writer, format string, res *store.Result) error {
	switch format {
	case "json", "jsonl":
		objs := make([]map[string]any, len(res.Rows))
		for i, row := range res.Rows {
			o := make(map[string]any, len(row))
			for j, v := range row {
				o[res.Columns[j]] = sqlJSONValue(v)
			}
			objs[i] = o
		}
		_, err := render.Machine(w, format, objs)
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
	return t.Write(w)
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
