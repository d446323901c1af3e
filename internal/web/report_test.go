package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestReportQuotesRawRecords: the proof report the UI serves quotes every
// cited log record as Azure wrote it, read again from the served logs.
func TestReportQuotesRawRecords(t *testing.T) {
	s := story(t, "nsg-deny-at-server")
	base, _ := storyServer(t, s, Options{Token: "tok"})
	q := url.Values{"from": {s.From}, "to": {s.To}, "at": {s.At.UTC().Format(time.RFC3339)}}
	for _, ext := range []string{".md", ".html"} {
		resp, body := get(t, &http.Client{}, base+"/explain/report"+ext+"?"+q.Encode(), "Authorization", "Bearer tok")
		if resp.StatusCode != 200 {
			t.Fatalf("report%s: %d %s", ext, resp.StatusCode, body)
		}
		if !strings.Contains(body, "The record as Azure wrote it") || strings.Contains(body, "could not be read again") || strings.Contains(body, "prints it as Azure wrote it") {
			t.Errorf("report%s does not quote every cited record:\n%s", ext, body)
		}
	}
}
