package loggen

import (
	"testing"
	"time"
)

func TestKindsThroughGenerate(t *testing.T) {
	dir := t.TempDir()
	res, err := Generate(Options{Out: dir, Seed: 5, Hours: 2, Start: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), Tuples: 100,
		Counts: map[string]int64{"keyvault": 20, "storage": 10, "vpngw": 1, "trafficanalytics": 6}})
	if err != nil {
		t.Fatal(err)
	}
	got, rep := readBack(t, dir)
	if rep.Skipped() != 0 {
		t.Fatalf("skips %v", rep.Skips())
	}
	if int64(len(got)) != res.Events {
		t.Fatalf("read %d events, Generate reports %d", len(got), res.Events)
	}
	bySource := map[string]int{}
	for _, e := range got {
		bySource[string(e.Source)]++
	}
	if bySource["keyvault"] != 20 || bySource["storage"] != 10 || bySource["vpngw"] == 0 || bySource["trafficanalytics"] != 6 || bySource["vnetflow"] != 100 {
		t.Errorf("events per source %v", bySource)
	}
}
