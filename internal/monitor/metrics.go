package monitor

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/pathproof/pathproof/internal/probe"
)

// testLabels identify a test in every metric; all come from the config,
// so their number is bounded.
var testLabels = []string{"test_group", "destination", "test_configuration"}

// metrics are blackbox_exporter's gauges for the last run of each test,
// plus Connection Monitor's test result and a bounded failure_class.
type metrics struct {
	reg          *prometheus.Registry
	success      *prometheus.GaugeVec
	duration     *prometheus.GaugeVec
	dnsLookup    *prometheus.GaugeVec
	httpPhase    *prometheus.GaugeVec
	httpStatus   *prometheus.GaugeVec
	sslEarliest  *prometheus.GaugeVec
	sslLastChain *prometheus.GaugeVec
	icmpDuration *prometheus.GaugeVec
	failureClass *prometheus.GaugeVec
	failures     *prometheus.CounterVec
	checksFailed *prometheus.GaugeVec
	roundTrip    *prometheus.GaugeVec
	testResult   *prometheus.GaugeVec
}

func newMetrics() *metrics {
	g := func(name, help string, extra ...string) *prometheus.GaugeVec {
		return prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, append(append([]string{}, testLabels...), extra...))
	}
	m := &metrics{
		reg:          prometheus.NewRegistry(),
		success:      g("probe_success", "Whether the last run of the test succeeded (every check passed)."),
		duration:     g("probe_duration_seconds", "How long the last run took, in seconds."),
		dnsLookup:    g("probe_dns_lookup_time_seconds", "How long name resolution took in the last run, in seconds."),
		httpPhase:    g("probe_http_duration_seconds", "Duration of each HTTP phase of the first check of the last run (resolve, connect, tls, processing, transfer).", "phase"),
		httpStatus:   g("probe_http_status_code", "HTTP status of the last response (0: none)."),
		sslEarliest:  g("probe_ssl_earliest_cert_expiry", "Earliest NotAfter among the certificates the server presented, as a Unix timestamp."),
		sslLastChain: g("probe_ssl_last_chain_expiry_timestamp_seconds", "Earliest NotAfter along the verified chain, as a Unix timestamp."),
		icmpDuration: g("probe_icmp_duration_seconds", "ICMP echo round trip (average of the last run's replies).", "phase"),
		failureClass: g("probe_failure_class", "1 for the failure class of the last run, 0 for the others (bounded set, see pathproof codes --domain probe).", "failure_class"),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pathproof_probe_failures_total", Help: "Failed test runs by failure class."},
			append(append([]string{}, testLabels...), "failure_class")),
		checksFailed: g("pathproof_checks_failed_percent", "Connection Monitor's ChecksFailedPercent for the last run."),
		roundTrip:    g("pathproof_round_trip_time_seconds", "Connection Monitor's RoundTripTime for the last run (average of successful checks), in seconds."),
		testResult:   g("pathproof_test_result", "Connection Monitor's TestResult: 0 Indeterminate, 1 Pass, 2 Warning, 3 Fail."),
	}
	m.reg.MustRegister(m.success, m.duration, m.dnsLookup, m.httpPhase, m.httpStatus, m.sslEarliest, m.sslLastChain,
		m.icmpDuration, m.failureClass, m.failures, m.checksFailed, m.roundTrip, m.testResult)
	return m
}

// handler serves the registry in the Prometheus text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// record updates every gauge of a test from one run.
func (m *metrics) record(t *test, rec *Record, res *probe.Result) {
	l := prometheus.Labels{"test_group": t.group, "destination": t.dest.Name, "test_configuration": t.cfg.Name}
	with := func(extra string, v string) prometheus.Labels {
		out := prometheus.Labels{extra: v}
		for k, x := range l {
			out[k] = x
		}
		return out
	}
	b2f := func(b bool) float64 {
		if b {
			return 1
		}
		return 0
	}
	m.success.With(l).Set(b2f(rec.ChecksTotal > 0 && rec.ChecksFailed == 0 && rec.FailureClass == ""))
	m.duration.With(l).Set(rec.DurationSeconds)
	m.testResult.With(l).Set(float64(State(rec.State).Number()))
	m.checksFailed.With(l).Set(rec.ChecksFailedPercent)
	if rec.RoundTripTimeMS != nil {
		m.roundTrip.With(l).Set(*rec.RoundTripTimeMS / 1000)
	}
	for _, c := range probe.Classes {
		m.failureClass.With(with("failure_class", c)).Set(b2f(c == rec.FailureClass))
	}
	if rec.FailureClass != "" {
		m.failures.With(with("failure_class", rec.FailureClass)).Inc()
	}
	if res == nil {
		return
	}
	if res.DNS != nil {
		m.dnsLookup.With(l).Set(res.DNS.LookupMS / 1000)
	}
	if tm := res.Timings; tm != nil && (res.Protocol == "http" || res.Protocol == "https") {
		p := tm.Phases
		for phase, v := range map[string]float64{"resolve": p.DNS, "connect": p.Connect, "tls": p.TLS, "processing": p.Request + p.Wait, "transfer": p.Transfer} {
			m.httpPhase.With(with("phase", phase)).Set(v / 1000)
		}
	}
	if res.HTTP != nil {
		m.httpStatus.With(l).Set(float64(res.HTTP.Status))
	} else if res.Protocol == "http" || res.Protocol == "https" {
		m.httpStatus.With(l).Set(0)
	}
	if res.TLS != nil && !res.TLS.EarliestExpiry.IsZero() {
		m.sslEarliest.With(l).Set(float64(res.TLS.EarliestExpiry.Unix()))
		if !res.TLS.ChainExpiry.IsZero() {
			m.sslLastChain.With(l).Set(float64(res.TLS.ChainExpiry.Unix()))
		}
	}
	if res.Protocol == "icmp" && rec.RoundTripTimeMS != nil {
		m.icmpDuration.With(with("phase", "rtt")).Set(*rec.RoundTripTimeMS / 1000)
	}
}
