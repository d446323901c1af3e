package explain

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// quoteTime is the time layout of quotes (the events table's).
const quoteTime = "2006-01-02T15:04:05.000Z"

// citeKey identifies a citation so one record is cited once.
type citeKey struct {
	origin        string
	record, tuple int
}

// citeEvent cites a log record and returns its index.
func (r *run) citeEvent(e *event.Event) int {
	k := citeKey{e.Origin.Key, e.Origin.Record, e.Origin.Tuple}
	if i, ok := r.cites[k]; ok {
		return i
	}
	r.res.Citations = append(r.res.Citations, Citation{
		Origin: e.Origin.Key, Record: e.Origin.Record, Tuple: max(e.Origin.Tuple, 0),
		Quote: quoteEvent(e), Kind: "log", Time: e.Time.UTC(),
	})
	i := len(r.res.Citations) - 1
	r.cites[k] = i
	return i
}

// citeSim cites a simulation step: the hop index on its leg and the
// decision.
func (r *run) citeSim(leg string, hop int, quote string) int {
	k := citeKey{OriginSimulation + "/" + leg + "/" + quote, hop, 0}
	if i, ok := r.cites[k]; ok {
		return i
	}
	r.res.Citations = append(r.res.Citations, Citation{Origin: OriginSimulation, Record: hop, Quote: leg + " leg: " + quote, Kind: "simulation"})
	i := len(r.res.Citations) - 1
	r.cites[k] = i
	return i
}

// citeInference cites a conclusion drawn from counts or absence.
func (r *run) citeInference(quote string) int {
	k := citeKey{OriginInference + "/" + quote, 0, 0}
	if i, ok := r.cites[k]; ok {
		return i
	}
	r.res.Citations = append(r.res.Citations, Citation{Origin: OriginInference, Quote: quote, Kind: "inference"})
	i := len(r.res.Citations) - 1
	r.cites[k] = i
	return i
}

// citeCapture cites a capture connection.
func (r *run) citeCapture(file string, idx int, quote string, t time.Time) int {
	k := citeKey{"pcap:" + file, idx, 0}
	if i, ok := r.cites[k]; ok {
		return i
	}
	r.res.Citations = append(r.res.Citations, Citation{Origin: file, Record: idx, Quote: quote, Kind: "capture", Time: t.UTC()})
	i := len(r.res.Citations) - 1
	r.cites[k] = i
	return i
}

// quoteEvent renders a record's fields as `events` lists them: time,
// source, emitter, protocol, source → destination, direction, verdict
// (with HTTP status), rule, then flow state, counters, NAT and the facts
// that matter to a hop.
func quoteEvent(e *event.Event) string {
	var b strings.Builder
	b.WriteString(e.Time.UTC().Format(quoteTime))
	b.WriteString(" " + string(e.Source))
	if e.Category != "" {
		b.WriteString("/" + e.Category)
	}
	if e.Emitter != "" {
		b.WriteString(" " + e.Emitter)
	}
	if e.Protocol != "" {
		b.WriteString(" " + e.Protocol)
	}
	b.WriteString(" " + endpoint(e.SrcIP, e.SrcPort, "") + " → " + endpoint(e.DstIP, e.DstPort, e.FQDN))
	if e.Direction != "" {
		b.WriteString(" " + string(e.Direction))
	}
	b.WriteString(" " + string(e.Verdict))
	if e.HTTPStatus != 0 {
		b.WriteString(" " + strconv.Itoa(e.HTTPStatus))
	}
	if l := e.Rule.Label(); l != "" {
		b.WriteString(" rule=" + l)
	}
	if e.Rule.Default {
		b.WriteString(" (default action)")
	}
	if e.FlowState != "" {
		b.WriteString(" state=" + e.FlowState)
	}
	if e.PacketsSent != 0 || e.PacketsRecv != 0 || e.BytesSent != 0 || e.BytesRecv != 0 {
		fmt.Fprintf(&b, " packets=%d/%d bytes=%d/%d", e.PacketsSent, e.PacketsRecv, e.BytesSent, e.BytesRecv)
	}
	if e.NAT != nil {
		fmt.Fprintf(&b, " %s→%s", e.NAT.Kind, endpoint(e.NAT.TranslatedIP, e.NAT.TranslatedPort, ""))
	}
	if e.Caller != "" {
		b.WriteString(" caller=" + e.Caller)
	}
	for _, k := range []string{"flag", "tunnel_state", "ike_failure", "denial_layer", "connection", "encryption"} {
		if v := e.Detail[k]; v != "" {
			b.WriteString(" " + k + "=" + v)
		}
	}
	if e.Rule.Reason != "" && e.Rule.Label() != e.Rule.Reason {
		b.WriteString(" reason=" + strconv.Quote(e.Rule.Reason))
	}
	return b.String()
}

// endpoint prints ip:port, the address alone without a port, or the name
// of a destination that has no address.
func endpoint(a netip.Addr, port uint16, name string) string {
	if !a.IsValid() {
		if name == "" {
			name = "-"
		}
		if port == 0 {
			return name
		}
		return name + ":" + strconv.Itoa(int(port))
	}
	if port == 0 {
		return a.String()
	}
	return netip.AddrPortFrom(a, port).String()
}
