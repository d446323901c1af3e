// Package eventrender prints what the event store answers: events (a
// table, or event.JSON), a time histogram, a raw record, conversations
// (flows) and --top groups, each with the command that lists its raw
// events.
package eventrender

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/redact"
	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/store"
	"github.com/pathproof/pathproof/internal/textutil"
)

// TimeFormat is how tables print times: UTC with milliseconds.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// Events writes evs as a JSON array or JSON Lines of event.JSON (format
// "json", "jsonl"), else as a table laid out by l. The table's ORIGIN is
// the short key (event.ShortKey, which --record accepts too); JSON has the
// full one.
func Events(w io.Writer, format string, evs []event.Event, l Layout) error {
	if format == "json" || format == "jsonl" {
		list := make([]event.JSON, len(evs))
		for i := range evs {
			list[i] = event.ToJSON(&evs[i])
		}
		_, err := render.Machine(w, format, list)
		return err
	}
	t := render.Table{Header: []string{"TIME", "SOURCE", "EMITTER", "PROTO", "SRC", "DST", "DIR", "VERDICT", "RULE", "ORIGIN"},
		Shrink: []int{0: 14, 2: 8, 8: 12, 9: 20}, CutAt: []render.CutMode{0: render.CutStart, 2: render.CutStart, 9: render.CutMiddle}}
	for i := range evs {
		e := &evs[i]
		verdict := string(e.Verdict)
		if e.HTTPStatus != 0 {
			verdict += " " + strconv.Itoa(e.HTTPStatus)
		}
		t.Add(e.Time.UTC().Format(TimeFormat), string(e.Source), e.Emitter, e.Protocol,
			endpoint(e.SrcIP, e.SrcPort, ""), endpoint(e.DstIP, e.DstPort, e.FQDN), string(e.Direction), verdict,
			e.Rule.Label(), shortOrigin(e.Origin))
	}
	return l.write(w, &t, EventColumns)
}

// shortOrigin is an origin with its key shortened (event.ShortKey).
func shortOrigin(o event.Origin) string {
	o.Key = event.ShortKey(o.Key)
	return o.String()
}

// endpoint prints ip:port, [v6]:port, the address alone when there is no
// port, or the name of a PaaS destination.
func endpoint(a netip.Addr, port uint16, fallback string) string {
	if a.IsValid() && port == 0 {
		return a.String()
	}
	if !a.IsValid() {
		if fallback == "" {
			fallback = "-"
		}
		if port == 0 {
			return fallback
		}
		return fallback + ":" + strconv.Itoa(int(port))
	}
	return netip.AddrPortFrom(a, port).String()
}

// Record writes the raw record an origin cites as indented JSON (as it is
// when it is not JSON: a Storage Analytics line), secrets redacted
// (redact.String: a SAS in a logged request URL, keys), escaped line by
// line.
func Record(w io.Writer, raw []byte) error {
	var b bytes.Buffer
	// Strings are redacted once their JSON escapes are undone (a
	// sig\u003d... is a secret too); other text as it is, below.
	if red, err := redact.JSON(raw); err == nil {
		raw = red
	}
	if json.Indent(&b, raw, "", "  ") != nil {
		b.Reset()
		b.Write(raw)
	}
	_, err := fmt.Fprintln(w, textutil.EscapeLines(redact.String(b.String())))
	return err
}

// Histogram writes the time buckets as JSON or JSON Lines, else as a
// table with a bar per bucket.
func Histogram(w io.Writer, format string, bs []store.Bucket) error {
	if done, err := render.Machine(w, format, bs); done {
		return err
	}
	var most int64
	for _, b := range bs {
		most = max(most, b.Events)
	}
	t := render.Table{Header: []string{"FROM", "TO", "EVENTS", ""}}
	for _, b := range bs {
		bar := ""
		if most > 0 {
			bar = strings.Repeat("#", int((b.Events*40+most-1)/most))
		}
		t.Add(b.Start.Format(TimeFormat), b.End.Format(TimeFormat), strconv.FormatInt(b.Events, 10), bar)
	}
	return t.Write(w)
}
