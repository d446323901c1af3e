package pcap

import (
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/pcap/tlsparse"
)

// Report is the diagnosis of one capture. Its JSON keys are stable.
type Report struct {
	File    string `json:"file"`
	Format  string `json:"format,omitempty"`
	Packets int    `json:"packets"`
	// Connections, worst problems first (then by first packet).
	Connections []Connection `json:"connections"`
	// Skipped counts frames that were read but not analysed, by reason
	// (truncated, malformed, not_ip, unknown_link_type, other_protocol,
	// ip_fragment_tail).
	Skipped map[string]int `json:"skipped"`
	// SnaplenCut counts frames the capture cut short (captured length below
	// the length on the wire); their headers were analysed.
	SnaplenCut int `json:"snaplen_cut"`
	// ReadError says where and why reading stopped early, or is null.
	ReadError *ReadError `json:"read_error"`
	// Stats says how much the analysis held; it is not part of the JSON.
	Stats Stats `json:"-"`
}

// Stats counts what an analysis held in memory.
type Stats struct {
	// Connections is how many connections were summarised.
	Connections int
	// PeakLive is the most connections tracked at once.
	PeakLive int
}

// Partial reports whether something in the capture could not be read or
// decoded (the CLI exits 4).
func (r *Report) Partial() bool {
	if r.ReadError != nil {
		return true
	}
	for k, n := range r.Skipped {
		// Unknown link types are counted per type ("unknown_link_type_147").
		if n > 0 && (k == skipTruncated || k == skipMalformed || strings.HasPrefix(k, skipUnknownLink)) {
			return true
		}
	}
	return false
}

// Connection is everything learnt about one connection (TCP, UDP) or ICMP
// exchange.
type Connection struct {
	// Protocol is "tcp", "udp", "icmp" or "icmpv6".
	Protocol string `json:"protocol"`
	// Client and Server are IP:PORT ([IPv6]:PORT); for ICMP the port is the
	// echo identifier or 0.
	Client string `json:"client"`
	Server string `json:"server"`
	// State is Zeek's conn_state (S0, S1, SF, REJ, S2, S3, RSTO, RSTR,
	// RSTOS0, RSTRH, SH, SHR, OTH); History Zeek's history string.
	State   string `json:"state"`
	History string `json:"history"`
	// Packets and Bytes count both directions; bytes are frame lengths on
	// the wire (as tshark's conversation table counts them).
	Packets int   `json:"packets"`
	Bytes   int64 `json:"bytes"`
	// RTTMs is the handshake round trip (SYN to the ACK of the SYN-ACK),
	// or null when the handshake was not seen.
	RTTMs *float64 `json:"rtt_ms"`
	// TLS is what the clear-text handshake showed, or null.
	TLS *tlsparse.Info `json:"tls"`
	// DNS and HTTP list the exchanges seen (capped per connection).
	DNS  []DNSExchange  `json:"dns"`
	HTTP []HTTPExchange `json:"http"`
	// Findings, worst first.
	Findings []Finding `json:"findings"`

	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
	// Attempt numbers repeated connections on one 4-tuple from 1.
	Attempt int `json:"attempt"`
	// FromClient and FromServer are the per-direction counters.
	FromClient Direction `json:"from_client"`
	FromServer Direction `json:"from_server"`
	// Fragments counts IP fragments belonging to the connection.
	Fragments int `json:"fragments,omitempty"`

	severity int
}

// Direction holds one direction's counters.
type Direction struct {
	Packets      int   `json:"packets"`
	Bytes        int64 `json:"bytes"`
	PayloadBytes int64 `json:"payload_bytes"`
	// TCP only.
	Retransmissions int    `json:"retransmissions,omitempty"`
	LostSegments    int    `json:"lost_segments,omitempty"`
	OutOfOrder      int    `json:"out_of_order,omitempty"`
	ZeroWindows     int    `json:"zero_windows,omitempty"`
	Duplicates      int    `json:"duplicates,omitempty"`
	MSS             uint16 `json:"mss,omitempty"`
	MaxSegment      int    `json:"max_segment,omitempty"`
	SYNs            int    `json:"syns,omitempty"`
}

// Finding is one problem with a stable code (see `pathproof codes`).
type Finding struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

// DNSExchange is one DNS query and its answer.
type DNSExchange struct {
	ID    uint16 `json:"id"`
	Query string `json:"query"`
	Type  string `json:"type"`
	// Rcode is the response code name (NOERROR, NXDOMAIN, SERVFAIL, ...),
	// empty when no response was seen.
	Rcode   string   `json:"rcode,omitempty"`
	Answers []string `json:"answers,omitempty"`
}

// HTTPExchange is one HTTP/1.x request and its response status.
type HTTPExchange struct {
	Method string `json:"method,omitempty"`
	Host   string `json:"host,omitempty"`
	Path   string `json:"path,omitempty"`
	Status int    `json:"status,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// Severities, in increasing order.
const (
	SevInfo    = "info"
	SevWarning = "warning"
	SevError   = "error"
)

// SeverityRank orders severities: error 3, warning 2, info 1, else 0.
func SeverityRank(s string) int {
	switch s {
	case SevError:
		return 3
	case SevWarning:
		return 2
	case SevInfo:
		return 1
	}
	return 0
}
