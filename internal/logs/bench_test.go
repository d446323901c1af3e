package logs

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// benchBlob builds one VNet flow-log blob shaped like loggen's output
// (loggen imports this package, so it cannot be used here): 60 records of
// perRecord tuples each.
func benchBlob(perRecord int) ([]byte, int) {
	var b bytes.Buffer
	b.WriteString(`{"records":[`)
	tuples := 0
	for r := 0; r < 60; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"time":"2026-01-15T09:00:52.5625085Z","flowLogVersion":4,"flowLogGUID":"abcdef01-2345-6789-0abc-def012345678","macAddress":"000D3A100000","category":"FlowLogFlowEvent","flowLogResourceID":"/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NETWORKWATCHER_EASTUS/FLOWLOGS/X","targetResourceID":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v","operationName":"FlowLogFlowEvent","flowRecords":{"flows":[{"aclID":"00000000-1234-abcd-ef00-c1c2c3c4c5c6","flowGroups":[{"rule":"DefaultRule_AllowInternetOutBound","flowTuples":[`)
		for i := 0; i < perRecord; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			switch i % 4 {
			case 0:
				b.WriteString(`"1663146003599,10.0.0.6,52.239.184.180,23956,443,6,O,B,NX,0,0,0,0"`)
			case 1:
				b.WriteString(`"1663146003606,10.0.0.6,52.239.184.180,23956,443,6,O,E,NX,3,767,2,1580"`)
			case 2:
				b.WriteString(`"1663146017343,10.0.0.6,104.16.218.84,36776,443,6,O,C,NX,22,2217,33,32466"`)
			default:
				b.WriteString(`"1663146022793,45.119.212.87,10.0.0.6,53018,3389,6,I,D,NX,0,0,0,0"`)
			}
			tuples++
		}
		b.WriteString(`]}]}]}}`)
	}
	b.WriteString(`]}`)
	return b.Bytes(), tuples
}

// BenchmarkVNetFlow measures the whole per-file path (framing scanner, VNet
// record scanner, tuple parser, event building) on one core; it reports
// tuples/s and MB/s.
func BenchmarkVNetFlow(b *testing.B) {
	data, tuples := benchBlob(500)
	in := Input{Name: "bench", Key: "bench", Open: nil}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	n := 0
	for i := 0; i < b.N; i++ {
		in.Open = func(context.Context) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
		var t tally
		err := readInput(context.Background(), in, &t, func(e *event.Event) error { n++; return nil }, nil, nil)
		if err != nil || t.total != 0 {
			b.Fatalf("err %v, skips %v", err, t.skips)
		}
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	if n != tuples*b.N {
		b.Fatalf("%d events, want %d", n, tuples*b.N)
	}
	b.ReportMetric(float64(tuples)*float64(b.N)/b.Elapsed().Seconds(), "tuples/s")
	// On a shared machine wall time overstates the cost; CPU time (user +
	// system, all threads, GC included) is what one core spends.
	b.ReportMetric(float64(tuples)*float64(b.N)/cpu.Seconds(), "tuples/cpu-s")
}

// BenchmarkReadAllFiles measures ReadAll over files on disk with every core,
// batches included.
func BenchmarkReadAllFiles(b *testing.B) {
	data, tuples := benchBlob(500)
	dir := b.TempDir()
	const files = 8
	for i := 0; i < files; i++ {
		if err := os.WriteFile(filepath.Join(dir, string(rune('a'+i))+".json"), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	ins, _ := Expand([]string{dir}, nil)
	b.SetBytes(int64(len(data)) * files)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var rep Report
		n := 0
		if err := ReadAll(context.Background(), ins, Options{}, &rep, func(ev []event.Event) error { n += len(ev); return nil }); err != nil || n != tuples*files {
			b.Fatalf("err %v, %d events", err, n)
		}
	}
	b.ReportMetric(float64(tuples*files)*float64(b.N)/b.Elapsed().Seconds(), "tuples/s")
}

// cpuTime returns the process's user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkParseTuple(b *testing.B) {
	t := []byte("1663146003606,10.0.0.6,52.239.184.180,23956,443,6,O,E,NX,3,767,2,1580")
	var tu Tuple
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := ParseTuple(t, &tu); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadDir reads the folder named by PATHPROOF_BENCH_LOGS (bench/
// logparse.sh generates it) with ReadAll and reports tuples/s, tuples per
// CPU-second and the Go heap's peak; it is skipped without the variable.
func BenchmarkReadDir(b *testing.B) {
	dir := os.Getenv("PATHPROOF_BENCH_LOGS")
	if dir == "" {
		b.Skip("set PATHPROOF_BENCH_LOGS to a folder of logs (bench/logparse.sh does)")
	}
	ins, errs := Expand([]string{dir}, nil)
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	b.ResetTimer()
	cpu0 := cpuTime()
	var events int64
	var peak uint64
	done := make(chan struct{})
	go func() { // sample the heap while reading
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	for i := 0; i < b.N; i++ {
		var rep Report
		err := ReadAll(context.Background(), ins, Options{}, &rep, func(ev []event.Event) error { events += int64(len(ev)); return nil })
		if err != nil || rep.Skipped() != 0 {
			b.Fatalf("err %v, skips %v", err, rep.Skips())
		}
	}
	b.StopTimer()
	close(done)
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(events)/cpu.Seconds(), "events/cpu-s")
	b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
}

// BenchmarkFirewallLines measures the generic (map-based) path on structured
// and legacy firewall JSON Lines.
func BenchmarkFirewallLines(b *testing.B) {
	legacy := `{"category":"AzureFirewallApplicationRule","operationName":"AzureFirewallApplicationRuleLog","properties":{"msg":"HTTPS request from 10.0.0.1:49553 to guestconfiguration.azure.com:443. Action: Allow. Policy: p. Rule Collection Group: g. Rule Collection: c. Rule: r. Web Category: ComputersAndTechnology"},"resourceId":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/AZUREFIREWALLS/FW","time":"2022-06-08T20:40:34.3470680Z"}`
	var data bytes.Buffer
	const lines = 2000
	for i := 0; i < lines/2; i++ {
		data.WriteString(fwLine + "\n" + legacy + "\n")
	}
	in := Input{Name: "bench", Key: "bench"}
	b.SetBytes(int64(data.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		in.Open = func(context.Context) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data.Bytes())), nil }
		var t tally
		if err := readInput(context.Background(), in, &t, func(*event.Event) error { return nil }, nil, nil); err != nil || t.total != 0 {
			b.Fatalf("err %v, skips %v", err, t.skips)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(lines)*float64(b.N)/(cpuTime()-cpu0).Seconds(), "records/cpu-s")
}
