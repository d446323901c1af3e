package store

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/loggen"
	"github.com/pathproof/pathproof/internal/logs"
)

// BenchmarkLoad measures the loader alone (rows streamed into DuckDB) on VNet-flow-shaped events
// (parsing excluded): b.N events in batches of 4096.
func BenchmarkLoad(b *testing.B) {
	batch := make([]event.Event, 4096)
	for i := range batch {
		batch[i] = event.Event{Time: t0.Add(time.Duration(i) * time.Millisecond), Source: event.SourceVNetFlow, Category: "FlowLogFlowEvent",
			Emitter: "00224871C205", EmitterID: "/subscriptions/x/resourcegroups/rg/providers/microsoft.network/networkinterfaces/nic1",
			Protocol: "tcp", SrcIP: netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}), SrcPort: uint16(30000 + i), DstIP: netip.MustParseAddr("10.1.0.5"), DstPort: 443,
			Direction: event.DirOut, Verdict: event.VerdictAllow, Rule: event.Rule{Name: "DefaultRule_AllowVnetOutBound", ACL: "6a5b2c1d-0000-4000-8000-000000000001"},
			FlowState: "continuing", PacketsSent: 10, BytesSent: 1000, PacketsRecv: 9, BytesRecv: 9000, Detail: map[string]string{"encryption": "NX"}}
	}
	l := memLoader(b)
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; {
		k := min(len(batch), b.N-n)
		for i := range batch[:k] {
			batch[i].Origin = event.Origin{Key: "insights-logs-flowlogflowevent/x/PT1H.json", Record: (n + i) / 1000, Tuple: (n + i) % 1000}
		}
		if err := l.Add(batch[:k]); err != nil {
			b.Fatal(err)
		}
		n += k
	}
	if err := l.Commit(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkIngestGenerated measures the whole ingest: the real parsers, each
// worker storing its own events (as the CLI loads), per tuple.
func BenchmarkIngestGenerated(b *testing.B) {
	const tuples = 200000
	ins := generatedInputs(b, tuples)
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		s, err := Open(ctx, "")
		if err != nil {
			b.Fatal(err)
		}
		l, err := s.NewLoader(ctx)
		if err != nil {
			b.Fatal(err)
		}
		var rep logs.Report
		if err := logs.ReadAll(ctx, ins, logs.Options{NewEmit: l.NewWorker}, &rep, l.Add); err != nil {
			b.Fatal(err)
		}
		if err := l.Commit(ctx); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
	b.ReportMetric(float64(tuples*b.N)/b.Elapsed().Seconds(), "tuples/s")
}

// generatedInputs writes the ingest benchmark's VNet flow logs (64 NICs,
// 4 hours) with the given number of tuples and lists them.
func generatedInputs(b *testing.B, tuples int64) []logs.Input {
	b.Helper()
	dir := b.TempDir()
	if _, err := loggen.Generate(loggen.Options{Out: dir, Seed: 11, NICs: 64, Hours: 4, Tuples: tuples}); err != nil {
		b.Fatal(err)
	}
	ins, errs := logs.Expand([]string{dir}, nil)
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	return ins
}

// memLoader opens an in-memory store, closed when the benchmark ends, and
// starts a load into it.
func memLoader(b *testing.B) *Loader {
	b.Helper()
	s, err := Open(context.Background(), "")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	l, err := s.NewLoader(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return l
}
