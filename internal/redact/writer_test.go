package redact

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestWriterRedactsEveryLine(t *testing.T) {
	const secret = "SeCrEt"
	args := []string{"events", "--logs", "logs?sig=" + secret, "--db=x?st=" + secret}
	var out bytes.Buffer
	w := NewWriter(&out, args)
	// Written in pieces that split the secret, with '\r' progress lines and
	// an unfinished last line.
	for _, piece := range []string{
		"reading logs?sig=Se", "CrEt/a.json\r", "3 records\r",
		"logs?sig=" + secret + "/b.json: record 2: bad JSON\n",
		"store x?st=" + secret + " ", "ends here",
	} {
		if n, err := w.Write([]byte(piece)); n != len(piece) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", piece, n, err)
		}
	}
	if strings.Contains(out.String(), "ends here") {
		t.Errorf("an unfinished line was written before Flush: %q", out.String())
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if strings.Contains(got, secret) {
		t.Errorf("secret printed: %q", got)
	}
	for _, want := range []string{"reading logs?" + Marker + "/a.json\r", "3 records\r", "/b.json: record 2: bad JSON\n", "ends here"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q: %q", want, got)
		}
	}
}

func TestWriterConcurrentLinesStayWhole(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out, nil)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				fmt.Fprintf(w, "goroutine %d line %d\n", g, i)
			}
		}(g)
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 800 {
		t.Fatalf("%d lines, want 800", len(lines))
	}
	for _, l := range lines {
		var g, i int
		if _, err := fmt.Sscanf(l, "goroutine %d line %d", &g, &i); err != nil {
			t.Fatalf("torn line %q", l)
		}
	}
}
