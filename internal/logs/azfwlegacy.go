package logs

import (
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/redact"
)

// Legacy Azure Firewall categories whose payload is a free-text msg
// (docs/log-formats.md §4.3): raw records carry properties.msg, AzureDiagnostics
// rows msg_s.

// Legacy firewall categories.
const (
	CategoryFWNetworkRule     = "AzureFirewallNetworkRule"
	CategoryFWApplicationRule = "AzureFirewallApplicationRule"
	CategoryFWDnsProxy        = "AzureFirewallDnsProxy"
)

// legacyBase builds the common part of a legacy firewall event.
func legacyBase(r *Record) (event.Event, string, error) {
	t, err := r.Time()
	if err != nil {
		return event.Event{}, "", Skipf(CodeBadTime, "%v", err)
	}
	msg, ok := r.Str("msg")
	if !ok || strings.TrimSpace(msg) == "" {
		return event.Event{}, "", Skipf(CodeBadMsg, "record has no msg")
	}
	id := r.ResourceID()
	name := firewallName(id)
	if res := r.S("Resource"); res != "" && id == "" {
		name = res
	}
	cat := r.Category()
	if cat == "" {
		cat = r.Operation()
	}
	return event.Event{Time: t, Source: event.SourceFirewall, Category: cat, Emitter: name, EmitterID: strings.ToLower(id)}, msg, nil
}

func parseFirewallLegacy(r *Record, o *Output) error {
	e, msg, err := legacyBase(r)
	if err != nil {
		return err
	}
	m, err := ParseFirewallMsg(msg)
	if err != nil {
		return Skipf(CodeBadMsg, "%v: %q", err, truncate(msg, 160))
	}
	if err := m.fill(&e); err != nil {
		return Skipf(CodeBadMsg, "%v: %q", err, truncate(msg, 160))
	}
	if op := r.Operation(); op != "" {
		e.Detail = withDetail(e.Detail, "operation", op)
	}
	if rn := r.S("rulename"); rn != "" && e.Rule.Name == "" {
		e.Rule.Name = rn
	}
	return o.Emit(&e)
}

// fill maps a parsed msg onto an event.
func (m *FirewallMsg) fill(e *event.Event) error {
	e.Protocol, e.ICMPType = fwProtocol(m.Protocol)
	if e.Protocol != "icmp" && e.Protocol != "icmpv6" {
		e.ICMPType = 0
	}
	ip, ok := parseHostIP(m.SrcHost)
	if !ok {
		return errString("source " + strconv.Quote(m.SrcHost) + " is not an address")
	}
	e.SrcIP = ip
	if m.SrcPort >= 0 {
		e.SrcPort = uint16(m.SrcPort)
	}
	if m.HasDst {
		if ip, ok := parseHostIP(m.DstHost); ok {
			e.DstIP = ip
		} else {
			e.FQDN = m.DstHost
		}
		if m.DstPort >= 0 {
			e.DstPort = uint16(m.DstPort)
		}
	}
	e.URL = redact.Signatures(m.URL) // a SAS token in a logged URL must not be passed on
	switch {
	case m.NATHost != "":
		nip, ok := parseHostIP(m.NATHost)
		if !ok {
			return errString("DNAT target " + strconv.Quote(m.NATHost) + " is not an address")
		}
		e.Verdict = event.VerdictDNAT
		e.NAT = &event.NAT{Kind: "dnat", TranslatedIP: nip}
		if m.NATPort >= 0 {
			e.NAT.TranslatedPort = uint16(m.NATPort)
		}
	default:
		v, ok := actionVerdict(m.Action)
		if !ok {
			return errString("unknown action " + strconv.Quote(m.Action))
		}
		e.Verdict = v
	}
	e.Rule = event.Rule{
		Name: m.Rule, Policy: m.Policy, RuleCollectionGroup: m.RuleCollectionGroup, RuleCollection: m.RuleCollection,
		Signature: m.Signature, ThreatIntel: m.ThreatIntel, Default: m.Default, Reason: m.Reason,
	}
	if m.Default && m.Reason == "" {
		e.Rule.Reason = msgDefault
	}
	if e.Rule.Name == "" && m.Signature != "" {
		e.Rule.Name = m.Signature
	}
	var d map[string]string
	d = withDetail(d, "web_category", m.WebCategory)
	d = withDetail(d, "idps_description", m.IDS)
	d = withDetail(d, "idps_priority", m.Priority)
	d = withDetail(d, "idps_classification", m.Classification)
	if m.Action != "" {
		d = withDetail(d, "action", m.Action)
	}
	e.Detail = d
	return nil
}

func parseDNSProxyLegacy(r *Record, o *Output) error {
	e, msg, err := legacyBase(r)
	if err != nil {
		return err
	}
	m, err := ParseDNSProxyMsg(msg)
	if err != nil {
		return Skipf(CodeBadMsg, "%v: %q", err, truncate(msg, 160))
	}
	if m.ClientHost != "" {
		ip, ok := parseHostIP(m.ClientHost)
		if !ok {
			return Skipf(CodeBadMsg, "client %q is not an address", truncate(m.ClientHost, 60))
		}
		e.SrcIP = ip
		if m.ClientPort >= 0 {
			e.SrcPort = uint16(m.ClientPort)
		}
	}
	e.Source = event.SourceDNS // a DNS query, though the firewall logged it (docs/log-formats-more.md §11.1)
	e.Protocol = strings.ToLower(m.Protocol)
	e.FQDN = strings.TrimSuffix(m.QueryName, ".")
	e.Verdict = event.VerdictInfo
	var d map[string]string
	d = withDetail(d, "query_name", m.QueryName)
	d = withDetail(d, "query_type", m.QueryType)
	d = withDetail(d, "query_class", m.QueryClass)
	d = withDetail(d, "query_id", m.QueryID)
	d = withDetail(d, "rcode", m.ResponseCode)
	d = withDetail(d, "response_flags", m.Flags)
	d = withDetail(d, "request_size", m.RequestSize)
	d = withDetail(d, "response_size", m.ResponseSize)
	d = withDetail(d, "dnssec_ok", m.DNSSECOK)
	d = withDetail(d, "edns0_buffer", m.EDNSBuffer)
	d = withDetail(d, "duration_s", m.Duration)
	if m.Error != "" {
		e.Verdict = event.VerdictError
		d = withDetail(d, "error", m.Error)
		if ip, ok := parseHostIP(m.UpstreamHost); ok {
			e.DstIP = ip
			if m.UpstreamPort >= 0 {
				e.DstPort = uint16(m.UpstreamPort)
			}
		}
	}
	e.Detail = d
	return o.Emit(&e)
}

func withDetail(d map[string]string, k, v string) map[string]string {
	if v == "" {
		return d
	}
	if d == nil {
		d = map[string]string{}
	}
	d[k] = v
	return d
}

type errString string

func (e errString) Error() string { return string(e) }
