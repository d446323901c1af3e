package kqltest

import (
	"encoding/json"
	"time"
)

// Column is a Log Analytics result column.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// LogAnalytics is a Log Analytics query answer with one table,
// PrimaryResult, of cols and rows; partial, when set, is its error (a
// PartialError answer keeps its rows).
func LogAnalytics(cols []Column, rows [][]any, partial map[string]any) []byte {
	if rows == nil {
		rows = [][]any{}
	}
	body := map[string]any{"tables": []any{map[string]any{"name": "PrimaryResult", "columns": cols, "rows": rows}}}
	if partial != nil {
		body["error"] = partial
	}
	b, err := json.Marshal(body)
	if err != nil {
		panic(err)
	}
	return b
}

// EvidenceColumns are the columns of an evidence query's answer.
var EvidenceColumns = []Column{{"TimeGenerated", "datetime"}, {"pp_table", "string"}, {"pp_resource", "string"}, {"pp_row", "dynamic"}, {"pp_key", "string"}}

// TallyColumns are the columns of an activity count's answer.
var TallyColumns = []Column{{"pp_resource", "string"}, {"pp_minute", "datetime"}, {"pp_count", "long"}, {"pp_table", "string"}}

// EvidenceRow is one row of an evidence answer: the row's columns are
// packed as Log Analytics sends a dynamic value (a JSON string).
func EvidenceRow(at time.Time, table, resource string, cols map[string]any, key string) []any {
	b, err := json.Marshal(cols)
	if err != nil {
		panic(err)
	}
	return []any{at.UTC().Format(time.RFC3339Nano), table, resource, string(b), key}
}

// TallyRow is one row of an activity count's answer.
func TallyRow(resource string, minute time.Time, n int64, table string) []any {
	return []any{resource, minute.UTC().Format(time.RFC3339Nano), n, table}
}

// PartialError is the error member of a Log Analytics answer cut short.
func PartialError(message string) map[string]any {
	return map[string]any{"code": "PartialError", "message": "There were some errors when processing your query.",
		"details": []any{map[string]any{"code": "EngineError", "message": message}}}
}
