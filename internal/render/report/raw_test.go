package report

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pathproof/pathproof/internal/event"
)

func TestQuoteRaw(t *testing.T) {
	long := `{"a":"` + strings.Repeat("x", 100) + `","b":[1,2,3]}`
	for _, c := range []struct {
		name       string
		rec        string
		size       int // 0: len(rec)
		limit      int
		want       string
		more       int
		json       bool
		wantPrefix bool // want is a prefix only
	}{
		{name: "object", rec: `{"a":1,"b":{"c":[true,null,"s"],"d":{},"e":[]},"f":-1.5e3}`, limit: 4096, json: true,
			want: "{\n  \"a\": 1,\n  \"b\": {\n    \"c\": [\n      true,\n      null,\n      \"s\"\n    ],\n    \"d\": {},\n    \"e\": []\n  },\n  \"f\": -1.5e3\n}"},
		{name: "escapes undone, then redacted", rec: `{"u":"https:\/\/a.blob.core.windows.net\/c?sv=1\u0026sig\u003dSECRET","k":"x;AccountKey\u003dKEY==;","q":"say \"hi\"\n"}`, limit: 4096, json: true,
			want: "{\n  \"u\": \"https://a.blob.core.windows.net/c?REDACTED\",\n  \"k\": \"x;AccountKey=REDACTED;\",\n  \"q\": \"say \\\"hi\\\"\\n\"\n}"},
		{name: "keys redacted too", rec: `{"sig=KEYSECRET":1}`, limit: 4096, json: true, want: "{\n  \"sig=REDACTED\": 1\n}"},
		{name: "cut between tokens", rec: `{"a":"aaaa","b":"bbbb","c":"cccc"}`, limit: 20, json: true,
			want: "{\n  \"a\": \"aaaa\",\n  \"b\": \"bbbb\"", more: len(`,"c":"cccc"}`)},
		{name: "cut inside a long string", rec: long, limit: 30, json: true,
			want: "{\n  \"a\": \"" + strings.Repeat("x", 21) + "…", more: len(long) - len(`{"a":"`) - 21},
		{name: "record cut by the reader", rec: `{"a":"aaaa","b":[1,2`, size: 500, limit: 4096, json: true,
			want: "{\n  \"a\": \"aaaa\",\n  \"b\": [\n    1,\n    2", more: 500 - len(`{"a":"aaaa","b":[1,2`)},
		{name: "not JSON after all", rec: `{"a":1} trailing`, limit: 4096, want: `{"a":1} trailing`},
		{name: "broken JSON", rec: `{"a":}`, limit: 4096, want: `{"a":}`},
		{name: "text line", rec: "2.0;GetBlob;\"https://x/y?sv=1&sig=S\";\x1b[31m\r\n", limit: 4096, want: `2.0;GetBlob;"https://x/y?REDACTED";\x1b[31m`},
		{name: "text cut at a line", rec: strings.Repeat("line of text\n", 10), limit: 40, want: "line of text\nline of text\nline of text", more: 130 - 39},
		{name: "text cut inside a rune", rec: "aé" + strings.Repeat("b", 10), limit: 2, want: "a", more: 12},
	} {
		t.Run(c.name, func(t *testing.T) {
			size := c.size
			if size == 0 {
				size = len(c.rec)
			}
			got, more, isJSON := quoteRaw([]byte(c.rec), size, c.limit)
			if got != c.want || more != c.more || isJSON != c.json {
				t.Errorf("quoteRaw(%q) =\n%s\n(more %d, json %v); want\n%s\n(more %d, json %v)", c.rec, got, more, isJSON, c.want, c.more, c.json)
			}
		})
	}
}

// TestQuoteRawIsTheRecord: a record quoted whole reads back as the same
// JSON value (pretty-printing changes layout only).
func TestQuoteRawIsTheRecord(t *testing.T) {
	raw := nsgDenyRaw(nsgDeny())[origin(nsgDeny(), 0)]
	got, more, isJSON := quoteRaw(raw.Record, raw.Size, RawQuoteMax)
	if more != 0 || !isJSON {
		t.Fatalf("more %d, json %v", more, isJSON)
	}
	var a, b any
	if err := json.Unmarshal([]byte(got), &a); err != nil {
		t.Fatal(err)
	}
	redacted := strings.NewReplacer("?sv=2022-11-02&sig=PLANTEDSAS%2Bx", "?REDACTED", "sig\\u003dESCAPEDSAS,", "sig=REDACTED", "AccountKey=PLANTEDKEY==", "AccountKey=REDACTED", "\\u0026", "&").Replace(string(raw.Record))
	if err := json.Unmarshal([]byte(redacted), &b); err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Errorf("the quote is not the record:\n%s\n%s", ja, jb)
	}
}

// TestRawPlantedSecretsNeverReachTheReport: SAS signatures, account keys
// and passwords planted inside log records (plainly and JSON-escaped, in
// JSON records and a text line) reach neither format, while the records
// around them are quoted.
func TestRawPlantedSecretsNeverReachTheReport(t *testing.T) {
	for _, c := range cases() {
		if c.in.Raw == nil {
			continue
		}
		planted := false
		for _, r := range c.in.Raw {
			for _, s := range plantedSecrets {
				planted = planted || strings.Contains(string(r.Record), s)
			}
		}
		for _, f := range []Format{FormatHTML, FormatMarkdown} {
			out := render(t, f, c.in)
			for _, s := range plantedSecrets {
				if strings.Contains(out, s) {
					t.Errorf("%s.%s: planted secret %s reached the report", c.name, f, s)
				}
			}
			if planted && !strings.Contains(out, "REDACTED") {
				t.Errorf("%s.%s: secrets were planted and nothing says REDACTED: the records were not quoted", c.name, f)
			}
			if !strings.Contains(out, "The record as Azure wrote it") {
				t.Errorf("%s.%s: no raw record quoted", c.name, f)
			}
		}
	}
}

// TestRawUnreadable: a record that could not be read again is said so in
// its citation's place, with the reason; the other citations keep their
// records, and a report whose front end read nothing keeps the hint.
func TestRawUnreadable(t *testing.T) {
	r := nsgDeny()
	raw := nsgDenyRaw(r)
	delete(raw, origin(r, 1)) // asked for and not answered
	for _, f := range []Format{FormatHTML, FormatMarkdown} {
		out := render(t, f, Input{Result: r, Raw: raw})
		c0, c1, c2, c3 := citation(out, f, 0), citation(out, f, 1), citation(out, f, 2), citation(out, f, 3)
		if !strings.Contains(c0, "The record as Azure wrote it, pretty-printed") || !strings.Contains(c0, "flowLogGUID") {
			t.Errorf("%s: [0] lost its record:\n%s", f, c0)
		}
		if !strings.Contains(c1, "could not be read again: it was not read again") {
			t.Errorf("%s: [1] does not say it was not read:\n%s", f, c1)
		}
		if !strings.Contains(c2, "could not be read again: /logs/insights-logs-flowlogflowevent/") || !strings.Contains(c2, "no such file or directory") {
			t.Errorf("%s: [2] does not say why its record is missing:\n%s", f, c2)
		}
		if strings.Contains(c3, "Azure wrote") {
			t.Errorf("%s: the simulation step got a raw record:\n%s", f, c3)
		}
		if strings.Contains(out, "prints it as Azure wrote it") {
			t.Errorf("%s: the hint for reports without raw records is there too", f)
		}
		out = render(t, f, Input{Result: r})
		if !strings.Contains(out, "prints it as Azure wrote it") || strings.Contains(out, "could not be read again") {
			t.Errorf("%s: without raw records the report must keep the hint and claim no failure", f)
		}
	}
}

// TestRawSameRecordQuotedOnce: two tuples of one flow record are quoted
// each on its line and the record once.
func TestRawSameRecordQuotedOnce(t *testing.T) {
	r := nsgDeny()
	c := r.Citations[0]
	c.Tuple = 1
	c.Quote = "the same record, tuple 1"
	r.Citations = append(r.Citations, c)
	raw := nsgDenyRaw(r)
	rec := raw[origin(r, 0)]
	rec.Tuple = "1773480361000,10.1.1.4,10.2.1.5,50411,443,6,O,B,NX,0,0,0,0"
	raw[origin(r, 4)] = rec
	if got := LogOrigins(r); len(got) != 4 || got[3] != (event.Origin{Key: c.Origin, Record: 0, Tuple: 1}) {
		t.Fatalf("LogOrigins = %v", got)
	}
	for _, f := range []Format{FormatHTML, FormatMarkdown} {
		out := render(t, f, Input{Result: r, Raw: raw})
		if n := strings.Count(out, "flowLogGUID"); n != 1 {
			t.Errorf("%s: the record is quoted %d times", f, n)
		}
		c4 := citation(out, f, 4)
		if !strings.Contains(c4, "quoted under") || !strings.Contains(c4, "[0]") || !strings.Contains(c4, rec.Tuple) {
			t.Errorf("%s: [4] does not point at [0] with its own tuple:\n%s", f, c4)
		}
	}
}

// citation returns citation i's part of a report.
func citation(out string, f Format, i int) string {
	start := "**" + CiteLabel(i) + "**"
	if f == FormatHTML {
		start = `<div class="cite" id="cite-` + strings.Trim(CiteLabel(i), "[]") + `">`
	}
	j := strings.Index(out, start)
	if j < 0 {
		return ""
	}
	rest := out[j+len(start):]
	end := len(rest)
	for _, stop := range []string{`<div class="cite" id=`, "\n**[", "\n## "} {
		if k := strings.Index(rest, stop); k >= 0 && k < end {
			end = k
		}
	}
	return rest[:end]
}

// FuzzQuoteRaw: any record, whole or cut by the reader, is quoted without
// a panic, within the limit (plus one cut token), with no control
// character and in valid UTF-8; more never exceeds the record.
func FuzzQuoteRaw(f *testing.F) {
	for _, s := range []string{
		`{"a":1,"b":{"c":[true,null,"s"],"d":{},"e":[]},"f":-1.5e3}`,
		`{"u":"https:\/\/a\/c?sv=1\u0026sig\u003dSECRET","k":"x;AccountKey\u003dKEY==;"}`,
		`{"a":"` + strings.Repeat("x", 5000) + `"}`,
		`{"n":` + strings.Repeat("9", 5000) + `}`,
		strings.Repeat("[", 3000) + strings.Repeat("]", 3000),
		`{"a":"aaaa","b":[1,2`,
		"1.0;2026-11-25T09:59:23Z;GetBlob;\"https://x/y?sig=S\";\x1b[31m\r\nsecond line",
		`{"a":1} {"b":2}`,
		`{"\u202e":"\ud800"}`,
	} {
		f.Add([]byte(s), 0, 4096)
		f.Add([]byte(s), 100, 64)
	}
	f.Fuzz(func(t *testing.T, rec []byte, extra, limit int) {
		if limit < 1 || limit > 1<<16 || extra < 0 || extra > 1<<20 {
			return
		}
		size := len(rec) + extra
		text, more, _ := quoteRaw(rec, size, limit)
		if more < 0 || more > size {
			t.Fatalf("more %d of %d", more, size)
		}
		if !utf8.ValidString(text) {
			t.Fatalf("invalid UTF-8: %q", text)
		}
		for i, r := range text {
			if r < 0x20 && r != '\n' || r == 0x7f {
				t.Fatalf("control character %q at %d: %q", r, i, text)
			}
		}
		// A cut token adds at most max(limit, 16) bytes, one indent and
		// the escapes of its characters (6 bytes each at worst).
		if bound := 6*(limit+16) + 2*maxIndent + 64; len(text) > bound {
			t.Fatalf("%d bytes quoted for a limit of %d (bound %d)", len(text), limit, bound)
		}
	})
}
