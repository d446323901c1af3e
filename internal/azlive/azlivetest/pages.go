package azlivetest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/topology/arm"
)

// Rows turns ARM resources (the nested REST shape: an ARM list response,
// a REST example's body, a single resource) into Resource Graph rows: the
// type lower-cased, subscriptionId and resourceGroup columns added, as
// the Resources table returns them.
func Rows(t testing.TB, resources ...map[string]any) []any {
	t.Helper()
	out := make([]any, 0, len(resources))
	for _, r := range resources {
		row := map[string]any{}
		for k, v := range r {
			row[k] = v
		}
		if typ, ok := row["type"].(string); ok {
			row["type"] = strings.ToLower(typ)
		}
		id, _ := row["id"].(string)
		pid := arm.ParseID(id)
		row["subscriptionId"] = pid.Subscription
		row["resourceGroup"] = strings.ToLower(pid.ResourceGroup)
		out = append(out, row)
	}
	return out
}

// Pages splits rows into Resource Graph response bodies of at most size
// rows each, built on envelope (a Resource Graph response body such as
// the shared ResourcesFirstPageQuery example's): count, totalRecords and
// data replaced, "$skipToken" set on every page but the last (to
// tokens[i] when given, else a made-up token).
func Pages(t testing.TB, envelope []byte, rows []any, size int, tokens ...string) [][]byte {
	t.Helper()
	var pages [][]byte
	for i := 0; i == 0 || i*size < len(rows); i++ {
		var env map[string]any
		if err := json.Unmarshal(envelope, &env); err != nil {
			t.Fatalf("envelope: %v", err)
		}
		end := min((i+1)*size, len(rows))
		data := rows[i*size : end]
		env["data"], env["count"], env["totalRecords"], env["resultTruncated"] = data, len(data), len(rows), "false"
		delete(env, "$skipToken")
		if end < len(rows) {
			tok := fmt.Sprintf("c2tpcC10b2tlbi0%d=", i+1)
			if i < len(tokens) {
				tok = tokens[i]
			}
			env["$skipToken"] = tok
		}
		b, err := json.Marshal(env)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, b)
	}
	return pages
}

// Body returns the first 2xx response body of a REST specification
// example file, or the document itself when it is not one.
func Body(t testing.TB, data []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("example: %v", err)
	}
	resp, ok := doc["responses"].(map[string]any)
	if !ok {
		return doc
	}
	for _, c := range []string{"200", "201", "202"} {
		if r, ok := resp[c].(map[string]any); ok {
			if b, ok := r["body"].(map[string]any); ok {
				return b
			}
		}
	}
	t.Fatalf("example without a 2xx body")
	return nil
}
