package kql

import (
	"fmt"
	"strings"
	"time"

	kustokql "github.com/Azure/azure-kusto-go/azkustodata/kql"
)

// str quotes s as a KQL string literal (the Kusto SDK's quoting: every
// quote, backslash and control character escaped), so no user value can
// change the query's structure.
func str(s string) string { return kustokql.QuoteString(s, false) }

// strList quotes each value and joins them for an `in (...)` list.
func strList(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = str(v)
	}
	return strings.Join(q, ", ")
}

// verbatim writes a regular expression as a KQL verbatim literal: the
// backslashes stand for themselves, a double quote is doubled.
func verbatim(re string) string { return `@"` + strings.ReplaceAll(re, `"`, `""`) + `"` }

// datetime is a KQL datetime literal of t in UTC.
func datetime(t time.Time) string {
	return "datetime(" + t.UTC().Format(time.RFC3339Nano) + ")"
}

// timespan is a KQL timespan literal of d, in the largest whole unit (days,
// hours, minutes, seconds, else milliseconds, rounded up).
func timespan(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	case d%time.Second == 0:
		return fmt.Sprintf("%ds", d/time.Second)
	}
	return fmt.Sprintf("%dms", (d+time.Millisecond-1)/time.Millisecond)
}
