package monitor

import "testing"

func f(v float64) *float64 { return &v }

func TestEvaluate(t *testing.T) {
	th := &Thresholds{ChecksFailedPercent: f(20), RoundTripTimeMS: f(100)}
	cases := []struct {
		name string
		s    Sample
		th   *Thresholds
		want State
	}{
		{"no checks", Sample{}, th, Indeterminate},
		{"all failed", Sample{ChecksTotal: 3, ChecksFailed: 3}, th, Fail},
		{"all failed, no thresholds", Sample{ChecksTotal: 3, ChecksFailed: 3}, nil, Fail},
		{"pass", Sample{ChecksTotal: 10, RTTms: f(10)}, th, Pass},
		{"over cf threshold", Sample{ChecksTotal: 10, ChecksFailed: 3, RTTms: f(10)}, th, Fail},
		{"at 80% of cf threshold is not above it", Sample{ChecksTotal: 10, ChecksFailed: 1, RTTms: f(10)}, &Thresholds{ChecksFailedPercent: f(12.5)}, Pass},
		{"above 80% of cf threshold", Sample{ChecksTotal: 100, ChecksFailed: 17, RTTms: f(10)}, th, Warning},
		{"over rtt threshold", Sample{ChecksTotal: 10, RTTms: f(101)}, th, Fail},
		{"above 80% of rtt threshold", Sample{ChecksTotal: 10, RTTms: f(81)}, th, Warning},
		{"auto warning: 10% checks failed", Sample{ChecksTotal: 10, ChecksFailed: 2, RTTms: f(10)}, nil, Warning},
		{"auto warning: 750 ms", Sample{ChecksTotal: 10, RTTms: f(751)}, nil, Warning},
		{"no thresholds: 90% failed is only Warning", Sample{ChecksTotal: 10, ChecksFailed: 9, RTTms: f(10)}, nil, Warning},
		{"rtt threshold only keeps the automatic cf warning", Sample{ChecksTotal: 10, ChecksFailed: 2, RTTms: f(10)}, &Thresholds{RoundTripTimeMS: f(100)}, Warning},
	}
	for _, c := range cases {
		got, why := Evaluate(c.s, c.th)
		if got != c.want || why == "" {
			t.Errorf("%s: %s (%s), want %s", c.name, got, why, c.want)
		}
	}
}

func TestDamper(t *testing.T) {
	d := newDamper(2)
	steps := []struct {
		in            State
		changed, sent bool
	}{
		{Pass, false, false},
		{Pass, true, false}, // healthy start: accepted silently
		{Fail, false, false},
		{Pass, false, false}, // a single blip is damped
		{Fail, false, false},
		{Fail, true, true},
		{Fail, false, false},
		{Warning, false, false},
		{Pass, false, false},
		{Pass, true, true},
	}
	for i, s := range steps {
		_, changed, sent := d.observe(s.in)
		if changed != s.changed || sent != s.sent {
			t.Errorf("step %d (%s): changed=%v alert=%v, want %v %v", i, s.in, changed, sent, s.changed, s.sent)
		}
	}
	first := newDamper(1)
	if from, changed, sent := first.observe(Fail); !changed || !sent || from != Indeterminate {
		t.Errorf("a failing start must alert: %s %v %v", from, changed, sent)
	}
	if Worse(Pass, Warning) != Warning || Worse(Fail, Indeterminate) != Fail || Worse(Warning, Indeterminate) != Indeterminate {
		t.Error("Worse order")
	}
}
