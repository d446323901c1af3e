package store

import (
	"context"
	"testing"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/logs"
)

// BenchmarkFill measures the loader's per-event work alone (de-duplication
// excluded): dictionary look-ups and the row, over the events the real
// parser makes of generated VNet flow logs, read in one worker's order.
func BenchmarkFill(b *testing.B) {
	ins := generatedInputs(b, 200000)
	var evs []event.Event
	var rep logs.Report
	if err := logs.ReadAll(context.Background(), ins, logs.Options{Workers: 1}, &rep, func(bt []event.Event) error {
		evs = append(evs, bt...)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	l := memLoader(b)
	defer l.Abort(context.Background())
	var r row
	b.ResetTimer()
	for n := range b.N {
		l.serial.fill(&r, &evs[n%len(evs)], 1)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
