package monitor

import "fmt"

// State is a test's state, as Connection Monitor names them.
type State string

// States. Their numbers are Connection Monitor's TestResult metric.
const (
	Indeterminate State = "Indeterminate" // no data: the probe could not run
	Pass          State = "Pass"
	Warning       State = "Warning"
	Fail          State = "Fail"
)

// Number is the TestResult value: 0 Indeterminate, 1 Pass, 2 Warning, 3 Fail.
func (s State) Number() int {
	switch s {
	case Pass:
		return 1
	case Warning:
		return 2
	case Fail:
		return 3
	}
	return 0
}

// severity orders states for "worst": Fail > Indeterminate > Warning > Pass.
func (s State) severity() int {
	switch s {
	case Pass:
		return 0
	case Warning:
		return 1
	case Indeterminate:
		return 2
	}
	return 3
}

// Worse returns the worse of a and b.
func Worse(a, b State) State {
	if b.severity() > a.severity() {
		return b
	}
	return a
}

// Connection Monitor's automatic warning thresholds, used when a test
// configuration sets none: 10 % checks failed, 750 ms round trip.
const (
	AutoWarnChecksFailedPercent = 10.0
	AutoWarnRoundTripMS         = 750.0
	// WarnFraction is where Warning starts: 80 % of a threshold.
	WarnFraction = 0.8
)

// Sample is what one test run measured.
type Sample struct {
	ChecksTotal, ChecksFailed int
	// RTTms is the average round trip of the successful checks; nil when
	// none succeeded.
	RTTms *float64
}

// FailedPercent is the checks-failed percentage.
func (s Sample) FailedPercent() float64 {
	if s.ChecksTotal == 0 {
		return 0
	}
	return float64(s.ChecksFailed) * 100 / float64(s.ChecksTotal)
}

// Evaluate gives the state of one run under th (nil: no thresholds),
// following Connection Monitor:
//   - Fail when the checks-failed percentage or the RTT exceeds its
//     threshold, and always when every check failed;
//   - Warning above 80 % of a threshold; without a threshold, above the
//     automatic ones (10 % checks failed, 750 ms);
//   - Pass otherwise; Indeterminate when nothing was measured.
func Evaluate(s Sample, th *Thresholds) (State, string) {
	if s.ChecksTotal == 0 {
		return Indeterminate, "no checks ran"
	}
	cf := s.FailedPercent()
	if s.ChecksFailed == s.ChecksTotal {
		if s.ChecksTotal == 1 {
			return Fail, "the only check failed"
		}
		return Fail, fmt.Sprintf("all %d checks failed", s.ChecksTotal)
	}
	var cfT, rttT *float64
	if th != nil {
		cfT, rttT = th.ChecksFailedPercent, th.RoundTripTimeMS
	}
	if cfT != nil && cf > *cfT {
		return Fail, fmt.Sprintf("checks failed %.1f%% > threshold %g%%", cf, *cfT)
	}
	if rttT != nil && s.RTTms != nil && *s.RTTms > *rttT {
		return Fail, fmt.Sprintf("round trip %.1f ms > threshold %g ms", *s.RTTms, *rttT)
	}
	cfWarn, rttWarn := AutoWarnChecksFailedPercent, AutoWarnRoundTripMS
	cfWhy, rttWhy := "automatic warning threshold", "automatic warning threshold"
	if cfT != nil {
		cfWarn, cfWhy = WarnFraction**cfT, fmt.Sprintf("80%% of threshold %g%%", *cfT)
	}
	if rttT != nil {
		rttWarn, rttWhy = WarnFraction**rttT, fmt.Sprintf("80%% of threshold %g ms", *rttT)
	}
	if cf > cfWarn {
		return Warning, fmt.Sprintf("checks failed %.1f%% > %g%% (%s)", cf, cfWarn, cfWhy)
	}
	if s.RTTms != nil && *s.RTTms > rttWarn {
		return Warning, fmt.Sprintf("round trip %.1f ms > %g ms (%s)", *s.RTTms, rttWarn, rttWhy)
	}
	return Pass, "within thresholds"
}

// damper turns a stream of states into alertable transitions: a new
// state is accepted only after n consecutive results agree on it.
type damper struct {
	n         int
	current   State
	candidate State
	streak    int
	started   bool
}

func newDamper(n int) *damper { return &damper{n: max(n, 1), current: Indeterminate} }

// observe feeds one state and reports an accepted transition. The first
// transition from the initial Indeterminate to Pass is accepted silently
// (alert false): a healthy start is not news.
func (d *damper) observe(s State) (from State, changed, alert bool) {
	if s == d.current {
		d.candidate, d.streak = "", 0
		d.started = true
		return "", false, false
	}
	if s == d.candidate {
		d.streak++
	} else {
		d.candidate, d.streak = s, 1
	}
	if d.streak < d.n {
		return "", false, false
	}
	from = d.current
	d.current, d.candidate, d.streak = s, "", 0
	alert = d.started || s != Pass
	d.started = true
	return from, true, alert
}
