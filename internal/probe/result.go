package probe

import "time"

// SchemaVersion is the version of the JSON envelope Result marshals to.
// Fields are only ever added within one version.
const SchemaVersion = 1

// Verdicts.
const (
	VerdictReachable = "reachable" // every probed address answered every check
	VerdictFailed    = "failed"    // nothing got through
	VerdictPartial   = "partial"   // some addresses or some attempts failed
)

// Result is the outcome of one `pathproof probe`: the JSON envelope and
// what the human renderer prints.
type Result struct {
	SchemaVersion int    `json:"schema_version"`
	Target        string `json:"target"`
	Protocol      string `json:"protocol"`
	Port          int    `json:"port,omitempty"`
	Verdict       string `json:"verdict"`
	// Failure is the first failure met (of the first failing address);
	// each address carries its own.
	Failure   *Failure        `json:"failure,omitempty"`
	DNS       *DNSResult      `json:"dns,omitempty"`
	Addresses []AddressResult `json:"addresses"`
	// Timings are the first probed address's first attempt.
	Timings *Timings   `json:"timings,omitempty"`
	TLS     *TLSReport `json:"tls,omitempty"`
	HTTP    *HTTPInfo  `json:"http,omitempty"`
	ICMP    *ICMPInfo  `json:"icmp,omitempty"`
	// Notes are things the user should know that are not failures (an
	// address skipped, AIA used, privileges).
	Notes []string `json:"notes,omitempty"`
}

// Failure says why a probe failed: a stable class, what happened, the
// evidence (raw facts) and what to check next.
type Failure struct {
	Class    string `json:"class"`
	Message  string `json:"message"`
	Evidence string `json:"evidence,omitempty"`
	Hint     string `json:"hint"`
}

func newFailure(class, message, evidence string) *Failure {
	return &Failure{Class: class, Message: message, Evidence: evidence, Hint: Hint(class)}
}

// DNSResult is what name resolution returned.
type DNSResult struct {
	Name string `json:"name"`
	// Resolver is "system" or the IP:port asked with --resolver.
	Resolver string `json:"resolver"`
	// CNAMEs is the alias chain (only known with --resolver).
	CNAMEs  []string    `json:"cnames,omitempty"`
	Answers []DNSAnswer `json:"answers"`
	// PrivateLinkZone is the Azure Private Link zone the name belongs to,
	// when it does.
	PrivateLinkZone string  `json:"private_link_zone,omitempty"`
	LookupMS        float64 `json:"lookup_ms"`
	Rcode           string  `json:"rcode,omitempty"`
}

// DNSAnswer is one address returned.
type DNSAnswer struct {
	Address string `json:"address"`
	Private bool   `json:"private"`
}

// AddressResult is the outcome of probing one address.
type AddressResult struct {
	Address string   `json:"address"`
	Private bool     `json:"private"`
	Verdict string   `json:"verdict"`
	Failure *Failure `json:"failure,omitempty"`
	Timings *Timings `json:"timings,omitempty"`
	Stats   Stats    `json:"stats"`
}

// Timings are curl's --write-out times: seconds from the start of the
// attempt, cumulative, so each is >= the one before. Phases gives the
// same as durations in milliseconds; they add up to the total.
type Timings struct {
	NameLookup    float64 `json:"namelookup"`
	Connect       float64 `json:"connect"`
	AppConnect    float64 `json:"appconnect"`
	PreTransfer   float64 `json:"pretransfer"`
	StartTransfer float64 `json:"starttransfer"`
	Total         float64 `json:"total"`
	Phases        Phases  `json:"phases_ms"`
}

// Phases are per-phase durations in milliseconds: dns + connect + tls +
// request + wait + transfer = total.
type Phases struct {
	DNS      float64 `json:"dns"`
	Connect  float64 `json:"connect"`
	TLS      float64 `json:"tls"`
	Request  float64 `json:"request"`
	Wait     float64 `json:"wait"`
	Transfer float64 `json:"transfer"`
}

// Stats summarise --count attempts on one address. RTT is the TCP connect
// time for tcp and tls, request to first byte for http(s), the echo round
// trip for icmp and the lookup time for dns.
type Stats struct {
	Sent        int     `json:"sent"`
	Received    int     `json:"received"`
	LossPercent float64 `json:"loss_percent"`
	MinMS       float64 `json:"rtt_min_ms"`
	AvgMS       float64 `json:"rtt_avg_ms"`
	MaxMS       float64 `json:"rtt_max_ms"`
	P95MS       float64 `json:"rtt_p95_ms"`
	JitterMS    float64 `json:"jitter_ms"`
}

// HTTPInfo is the HTTP exchange of the first attempt that got a response.
type HTTPInfo struct {
	Method        string `json:"method"`
	URL           string `json:"url"`
	Status        int    `json:"status"`
	StatusText    string `json:"status_text,omitempty"`
	Expected      string `json:"expected"`
	Proto         string `json:"proto,omitempty"`
	Server        string `json:"server,omitempty"`
	ContentLength int64  `json:"content_length"`
}

// ICMPInfo says how echo requests were sent.
type ICMPInfo struct {
	// Socket is "unprivileged" (datagram ICMP) or "raw".
	Socket string `json:"socket"`
}

func ms(d time.Duration) float64  { return float64(d.Microseconds()) / 1000 }
func sec(d time.Duration) float64 { return float64(d.Microseconds()) / 1e6 }
