// Package monitor runs probes continuously, Connection Monitor style:
// test groups cross destinations with test configurations; each run is
// judged Pass / Warning / Fail / Indeterminate against thresholds,
// appended to daily JSON Lines files, exported as Prometheus metrics
// with blackbox_exporter's names, and state changes are posted to a
// webhook after damping.
package monitor

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/pathproof/pathproof/internal/probe"
)

// Record is one test run: a line of the results files and of the
// monitor's JSON output.
type Record struct {
	Time                time.Time             `json:"time"`
	Test                string                `json:"test"`
	TestGroup           string                `json:"test_group"`
	Destination         string                `json:"destination"`
	TestConfiguration   string                `json:"test_configuration"`
	Target              string                `json:"target"`
	Protocol            string                `json:"protocol"`
	Port                int                   `json:"port,omitempty"`
	State               State                 `json:"state"`
	TestResult          int                   `json:"test_result"`
	Reason              string                `json:"reason"`
	ChecksTotal         int                   `json:"checks_total"`
	ChecksFailed        int                   `json:"checks_failed"`
	ChecksFailedPercent float64               `json:"checks_failed_percent"`
	RoundTripTimeMS     *float64              `json:"round_trip_time_ms"`
	DurationSeconds     float64               `json:"duration_seconds"`
	FailureClass        string                `json:"failure_class,omitempty"`
	Failure             *probe.Failure        `json:"failure,omitempty"`
	Timings             *probe.Timings        `json:"timings,omitempty"`
	Addresses           []probe.AddressResult `json:"addresses,omitempty"`
	TLSEarliestExpiry   *time.Time            `json:"tls_earliest_expiry,omitempty"`
	// Error says why a run is Indeterminate (the probe could not run).
	Error string `json:"error,omitempty"`
}

// test is one destination × test configuration of a group.
type test struct {
	id    string
	group string
	dest  Destination
	cfg   *TestConfiguration
	plan  *probe.Plan
	damp  *damper
}

// Options configure a Monitor beyond its config file.
type Options struct {
	// ResultsDir overrides the config's results_dir.
	ResultsDir string
	// Stream receives one record per run (human line or JSON); may be nil.
	Stream func(*Record)
	// Log receives warnings (webhook failures, write errors); may be nil.
	Log io.Writer
	// Probe runs one probe; nil means probe.Run.
	Probe func(context.Context, *probe.Plan) (*probe.Result, error)
}

// Monitor runs the tests of one config.
type Monitor struct {
	cfg     *Config
	tests   []*test
	opt     Options
	metrics *metrics
	results *resultsWriter
	hook    *webhook
	damping int
	logMu   sync.Mutex
}

// New prepares a monitor; it creates the results folder.
func New(cfg *Config, opt Options) (*Monitor, error) {
	m := &Monitor{cfg: cfg, opt: opt, metrics: newMetrics(), damping: 2}
	if m.opt.Probe == nil {
		m.opt.Probe = probe.Run
	}
	dir := opt.ResultsDir
	if dir == "" {
		dir = cfg.ResultsDir
	}
	if dir == "" {
		dir = "pathproof-monitor"
	}
	rw, err := newResultsWriter(dir)
	if err != nil {
		return nil, err
	}
	m.results = rw
	if a := cfg.Alerts; a != nil {
		m.hook = &webhook{url: a.Webhook, headers: a.Headers, client: &http.Client{Timeout: 10 * time.Second}}
		if a.Damping > 0 {
			m.damping = a.Damping
		}
	}
	for _, g := range cfg.TestGroups {
		if g.Disabled {
			continue
		}
		for _, d := range g.Destinations {
			for i := range g.TestConfigurations {
				tc := &g.TestConfigurations[i]
				id := g.Name + "/" + d.Name + "/" + tc.Name
				plan, err := tc.probeOptions(d.Address).Plan()
				if err != nil {
					return nil, fmt.Errorf("test %s: %w", id, err)
				}
				m.tests = append(m.tests, &test{id: id, group: g.Name, dest: d, cfg: tc, plan: plan, damp: newDamper(m.damping)})
			}
		}
	}
	return m, nil
}

// Tests returns the number of tests (destinations × configurations of
// enabled groups).
func (m *Monitor) Tests() int { return len(m.tests) }

// TestIDs returns the tests' ids (group/destination/configuration), in
// config order.
func (m *Monitor) TestIDs() []string {
	ids := make([]string, len(m.tests))
	for i, t := range m.tests {
		ids[i] = t.id
	}
	return ids
}

// ResultsDir returns the folder the daily JSON Lines files go to.
func (m *Monitor) ResultsDir() string { return m.results.dir }

// MetricsHandler serves /metrics.
func (m *Monitor) MetricsHandler() http.Handler { return m.metrics.handler() }

// Close flushes and closes the results file.
func (m *Monitor) Close() error { return m.results.close() }

// Once runs every test one time, concurrently, and returns the worst
// state. It sends no alerts: damping needs a series of runs.
func (m *Monitor) Once(ctx context.Context) State {
	worst := Pass
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, t := range m.tests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := m.runTest(ctx, t, false)
			mu.Lock()
			worst = Worse(worst, rec.State)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return worst
}

// Run schedules every test at its frequency until ctx is done, then lets
// the runs in flight finish (their records are written) and returns.
// Tests start spread over their first period so they do not all fire at
// once.
func (m *Monitor) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for i, t := range m.tests {
		wg.Add(1)
		offset := t.cfg.frequency * time.Duration(i) / time.Duration(len(m.tests))
		go func() {
			defer wg.Done()
			m.loop(ctx, t, offset)
		}()
	}
	wg.Wait()
}

func (m *Monitor) loop(ctx context.Context, t *test, offset time.Duration) {
	timer := time.NewTimer(offset)
	defer timer.Stop()
	next := time.Now().Add(offset)
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		// A run in flight finishes even when ctx is cancelled meanwhile.
		m.runTest(context.WithoutCancel(ctx), t, true)
		next = next.Add(t.cfg.frequency)
		for !next.After(time.Now()) {
			next = next.Add(t.cfg.frequency) // skip runs missed while busy
		}
		timer.Reset(time.Until(next))
	}
}

// runTest probes once, judges, records, exports and (when alert) sends a
// state-change alert.
func (m *Monitor) runTest(ctx context.Context, t *test, alert bool) *Record {
	start := time.Now()
	rec := &Record{Time: start.UTC(), Test: t.id, TestGroup: t.group, Destination: t.dest.Name, TestConfiguration: t.cfg.Name,
		Target: t.dest.Address, Protocol: t.cfg.Protocol}
	res, err := m.opt.Probe(ctx, t.plan)
	rec.DurationSeconds = time.Since(start).Seconds()
	rec.Port = int(t.plan.Port)
	var s Sample
	if err != nil {
		rec.Error = err.Error()
	} else {
		s = sampleOf(res)
		rec.Failure, rec.Timings, rec.Addresses = res.Failure, res.Timings, res.Addresses
		if res.Failure != nil {
			rec.FailureClass = res.Failure.Class
		}
		if res.TLS != nil && !res.TLS.EarliestExpiry.IsZero() {
			e := res.TLS.EarliestExpiry
			rec.TLSEarliestExpiry = &e
		}
	}
	rec.State, rec.Reason = Evaluate(s, t.cfg.Thresholds)
	if rec.Error != "" {
		rec.Reason = "the probe could not run: " + rec.Error
	}
	if rec.FailureClass != "" && rec.State != Pass {
		rec.Reason += " (" + rec.FailureClass + ")"
	}
	rec.TestResult = rec.State.Number()
	rec.ChecksTotal, rec.ChecksFailed, rec.ChecksFailedPercent, rec.RoundTripTimeMS = s.ChecksTotal, s.ChecksFailed, round1(s.FailedPercent()), s.RTTms
	m.metrics.record(t, rec, res)
	if err := m.results.write(rec); err != nil {
		m.logf("pathproof: monitor: %v", err)
	}
	if m.opt.Stream != nil {
		m.opt.Stream(rec)
	}
	if alert {
		if from, changed, send := t.damp.observe(rec.State); changed && send && m.hook != nil {
			a := &Alert{SchemaVersion: 1, Kind: "state_change", Time: rec.Time, Test: t.id, TestGroup: t.group, Destination: t.dest.Name,
				TestConfiguration: t.cfg.Name, Target: t.dest.Address, From: from, To: rec.State, Consecutive: m.damping, Reason: rec.Reason,
				FailureClass: rec.FailureClass, Failure: rec.Failure, ChecksFailedPercent: rec.ChecksFailedPercent, RoundTripTimeMS: rec.RoundTripTimeMS}
			if err := m.hook.send(ctx, a); err != nil {
				m.logf("pathproof: monitor: alert for %s (%s -> %s) not delivered: %v", t.id, from, rec.State, err)
			}
		}
	}
	return rec
}

// sampleOf counts checks and the average RTT of a probe result. A DNS
// failure fails every check.
func sampleOf(res *probe.Result) Sample {
	var s Sample
	var sum float64
	n := 0
	for _, a := range res.Addresses {
		s.ChecksTotal += a.Stats.Sent
		s.ChecksFailed += a.Stats.Sent - a.Stats.Received
		if a.Stats.Received > 0 {
			sum += a.Stats.AvgMS * float64(a.Stats.Received)
			n += a.Stats.Received
		}
	}
	if res.Failure != nil && (len(res.Addresses) == 0 || res.Failure.Class == probe.ClassDNSPrivateLinkPublic) {
		// Resolution failed or led to the wrong place: nothing passed.
		s.ChecksTotal = max(s.ChecksTotal, 1)
		s.ChecksFailed = s.ChecksTotal
		return s
	}
	if n > 0 {
		v := round3(sum / float64(n))
		s.RTTms = &v
	}
	return s
}

func (m *Monitor) logf(format string, a ...any) {
	if m.opt.Log == nil {
		return
	}
	m.logMu.Lock()
	defer m.logMu.Unlock()
	fmt.Fprintf(m.opt.Log, format+"\n", a...)
}

func round1(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }
func round3(v float64) float64 { return float64(int64(v*1000+0.5)) / 1000 }

// MaxTestID is the length of the longest test id, the width of the test
// column of the human lines (monitorrender.Line).
func (m *Monitor) MaxTestID() int {
	w := 0
	for _, t := range m.tests {
		w = max(w, utf8.RuneCountInString(t.id))
	}
	return w
}
