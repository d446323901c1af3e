package logs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/loggen"
	"github.com/pathproof/pathproof/internal/logs"
)

// TestRawRecordIsTheCitedRecord: for every event of generated flow,
// firewall and Key Vault logs, RawRecord returns a JSON object that is the
// record its Origin cites (it names the event's addresses), and an index
// past the end is an error naming the input.
func TestRawRecordIsTheCitedRecord(t *testing.T) {
	dir := t.TempDir()
	_, err := loggen.Generate(loggen.Options{Out: dir, Seed: 7, Start: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC),
		NICs: 2, Tuples: 40, NSGTuples: 20, Firewall: 30, Counts: map[string]int64{"keyvault": 10}})
	if err != nil {
		t.Fatal(err)
	}
	ins, errs := logs.Expand([]string{dir}, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	byKey := map[string]logs.Input{}
	for _, in := range ins {
		byKey[in.Key] = in
	}
	ctx := context.Background()
	checked := map[string]bool{}
	rep := &logs.Report{}
	for _, in := range ins {
		err := logs.Read(ctx, in, rep, func(e *event.Event) error {
			o := e.Origin.String()
			if checked[o] || len(checked) > 200 {
				return nil
			}
			checked[o] = true
			raw, err := logs.RawRecord(ctx, byKey[e.Origin.Key], e.Origin.Record)
			if err != nil {
				t.Errorf("%s: %v", o, err)
				return nil
			}
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Errorf("%s: not a JSON object: %v", o, err)
				return nil
			}
			for _, a := range []string{addr(e.SrcIP.String()), addr(e.DstIP.String())} {
				if a != "" && !strings.Contains(string(raw), a) && !strings.Contains(string(raw), strings.ReplaceAll(a, ".", "-")) {
					t.Errorf("%s: raw record does not name %s:\n%s", o, a, raw)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(checked) < 20 {
		t.Fatalf("only %d records checked", len(checked))
	}
	_, err = logs.RawRecord(ctx, ins[0], 1<<20)
	if err == nil || !strings.Contains(err.Error(), ins[0].Name) {
		t.Errorf("past the end: %v, want an error naming %s", err, ins[0].Name)
	}
}

func addr(s string) string {
	if s == "invalid IP" {
		return ""
	}
	return s
}

// countedInput wraps in so the test sees how often it was opened and how
// many bytes were read from it.
func countedInput(in logs.Input, opens *int, read *int64) logs.Input {
	open := in.Open
	in.Open = func(ctx context.Context) (io.ReadCloser, error) {
		*opens++
		rc, err := open(ctx)
		if err != nil {
			return nil, err
		}
		return countingCloser{rc, read}, nil
	}
	return in
}

type countingCloser struct {
	io.ReadCloser
	n *int64
}

func (c countingCloser) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	*c.n += int64(n)
	return n, err
}

// TestRawRecordsTuplesAreTheCitedFlows: for every flow event of generated
// VNet and NSG flow logs, RawRecords (one read per input, all records and
// tuples wanted at once) returns the record and picks out the tuple whose
// fields are the event's; a limit cuts the text, never the tuples.
func TestRawRecordsTuplesAreTheCitedFlows(t *testing.T) {
	dir := t.TempDir()
	_, err := loggen.Generate(loggen.Options{Out: dir, Seed: 11, Start: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC),
		NICs: 2, Tuples: 300, NSGTuples: 120})
	if err != nil {
		t.Fatal(err)
	}
	ins, errs := logs.Expand([]string{dir}, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	ctx := context.Background()
	checked, late := 0, 0
	for _, in := range ins {
		want := map[int][]int{}
		var evs []event.Event
		err := logs.Read(ctx, in, &logs.Report{}, func(e *event.Event) error {
			if e.Source == event.SourceVNetFlow || e.Source == event.SourceNSGFlow {
				want[e.Origin.Record] = append(want[e.Origin.Record], e.Origin.Tuple)
				evs = append(evs, *e)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			continue
		}
		opens, read := 0, int64(0)
		const limit = 200
		got, err := logs.RawRecords(ctx, countedInput(in, &opens, &read), want, limit)
		if err != nil {
			t.Fatalf("%s: %v", in.Name, err)
		}
		if opens != 1 {
			t.Errorf("%s: opened %d times for %d records, want once", in.Name, opens, len(want))
		}
		for _, e := range evs {
			r, ok := got[e.Origin.Record]
			if !ok {
				t.Fatalf("%s: record missing", e.Origin)
			}
			if len(r.Text) > limit || (r.Size > limit && len(r.Text) != limit) || r.Size < len(r.Text) {
				t.Errorf("%s: text %d bytes of %d, limit %d", e.Origin, len(r.Text), r.Size, limit)
			}
			s, ok := r.Tuples[e.Origin.Tuple]
			if !ok {
				t.Fatalf("%s: tuple %d not picked out", e.Origin, e.Origin.Tuple)
			}
			var tu logs.Tuple
			if err := logs.ParseTuple([]byte(s), &tu); err != nil {
				t.Fatalf("%s: tuple %q: %v", e.Origin, s, err)
			}
			if tu.Src != e.SrcIP || tu.Dst != e.DstIP || tu.SrcPort != e.SrcPort || tu.DstPort != e.DstPort || !tu.Time.Equal(e.Time) {
				t.Errorf("%s: tuple %q is not the event %s:%d → %s:%d at %s", e.Origin, s, e.SrcIP, e.SrcPort, e.DstIP, e.DstPort, e.Time)
			}
			if !strings.Contains(string(r.Text), s) {
				late++ // beyond the limit: picked from the whole record
			}
			checked++
		}
	}
	if checked < 300 || late == 0 {
		t.Fatalf("%d tuples checked, %d beyond the limit: the test proves too little", checked, late)
	}
}

// TestRawRecordsStopsAndFails: the read stops after the last record
// wanted; a text line format returns its lines; an input that cannot be
// opened is an error naming it.
func TestRawRecordsStopsAndFails(t *testing.T) {
	ctx := context.Background()
	var b strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&b, `{"time":"2026-03-01T10:00:00Z","category":"AZFWNetworkRule","properties":{"Protocol":"TCP","SourceIp":"10.0.0.%d","SourcePort":1234,"DestinationIp":"10.1.0.4","DestinationPort":443,"Action":"Allow"}}`+"\n", i%250)
	}
	big := b.String()
	in := logs.Input{Name: "big.json", Key: "big.json", Open: func(context.Context) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(big)), nil
	}}
	opens, read := 0, int64(0)
	got, err := logs.RawRecords(ctx, countedInput(in, &opens, &read), map[int][]int{3: nil, 40: nil, 1 << 30: nil}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !strings.Contains(string(got[3].Text), `"10.0.0.3"`) || !strings.Contains(string(got[40].Text), `"10.0.0.40"`) {
		t.Errorf("got %d records: %v", len(got), got)
	}
	// Record 1<<30 is past the end: the whole input is read once.
	if opens != 1 || read != int64(len(big)) {
		t.Errorf("opened %d times, read %d of %d bytes", opens, read, len(big))
	}
	opens, read = 0, 0
	if _, err := logs.RawRecords(ctx, countedInput(in, &opens, &read), map[int][]int{5: nil}, 0); err != nil {
		t.Fatal(err)
	}
	if read >= int64(len(big))/4 {
		t.Errorf("read %d of %d bytes for record 5: the read did not stop", read, len(big))
	}

	lines := "1.0;2026-11-25T09:59:23.1967767Z;GetBlob;SASSuccess;200;18;10;sas;;stclassic;blob;\"https://stclassic.blob.core.windows.net/thumb/a.jpg?sv=2014-02-14&amp;sig=XXSecretXX\";\"/stclassic/thumb/a.jpg\";a1;0;192.0.2.10:4362;2014-02-14;252;0;265;100;0;;;;;;\"curl/8\";;\n" +
		"\n" +
		"1.0;not-a-time;GetBlob;Success;200\r\n" +
		"1.0;2026-11-25T10:00:00.0000000Z;GetBlob;SASIpAuthorizationError;403;2;2;sas;;stclassic;blob;\"https://stclassic.blob.core.windows.net/thumb/b.jpg\";\"/stclassic/thumb/b.jpg\";b1;0;198.51.100.7:61000;2014-02-14;252;0;265;100;0;;;;;;\"curl/8\";;\n"
	sa := logs.Input{Name: "$logs/blob/2026/11/25/1000/000000.log", Key: "$logs/blob/2026/11/25/1000/000000.log", Open: func(context.Context) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(lines)), nil
	}}
	got, err = logs.RawRecords(ctx, sa, map[int][]int{1: nil, 2: nil}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if string(got[1].Text) != "1.0;not-a-time;GetBlob;Success;200" || !strings.HasPrefix(string(got[2].Text), "1.0;2026-11-25T10:00:00.0000000Z;") {
		t.Errorf("Storage Analytics lines: %v", got)
	}

	gone := logs.Input{Name: "/gone/PT1H.json", Key: "gone", Open: func(context.Context) (io.ReadCloser, error) {
		return nil, errors.New("open /gone/PT1H.json: no such file or directory")
	}}
	if _, err := logs.RawRecords(ctx, gone, map[int][]int{0: nil}, 0); err == nil || !strings.Contains(err.Error(), "/gone/PT1H.json") {
		t.Errorf("unreadable input: %v", err)
	}
}
