package logs

import (
	"maps"
	"slices"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/redact"
)

// Azure Firewall structured (resource-specific) categories AZFW*
// (docs/log-formats.md §4.1, §4.2). The same parser reads raw storage or
// event-hub records (fields under "properties") and Log Analytics rows of the
// resource-specific tables (PascalCase columns), through Record.

// azfwKind tells the parser what a category's rows mean.
type azfwKind int

const (
	azfwNetwork azfwKind = iota
	azfwApplication
	azfwNAT
	azfwThreatIntel
	azfwIDPS
	azfwDNS
	azfwFlowTrace
	azfwFatFlow
	azfwFqdnFailure
	azfwNetworkAgg
	azfwApplicationAgg
	azfwNATAgg
	azfwDNSFlowTrace
)

// azfwNames are the categories and tables, as Azure spells them.
var azfwNames = map[string]azfwKind{
	"AZFWNetworkRule":                   azfwNetwork,
	"AZFWApplicationRule":               azfwApplication,
	"AZFWNatRule":                       azfwNAT,
	"AZFWThreatIntel":                   azfwThreatIntel,
	"AZFWIdpsSignature":                 azfwIDPS,
	"AZFWDnsQuery":                      azfwDNS,
	"AZFWFlowTrace":                     azfwFlowTrace,
	"AZFWFatFlow":                       azfwFatFlow,
	"AZFWInternalFqdnResolutionFailure": azfwFqdnFailure,
	"AZFWFqdnResolveFailure":            azfwFqdnFailure,
	"AZFWNetworkRuleAggregation":        azfwNetworkAgg,
	"AZFWApplicationRuleAggregation":    azfwApplicationAgg,
	"AZFWNatRuleAggregation":            azfwNATAgg,
	"AZFWDnsAdditional":                 azfwDNSFlowTrace,
	"AZFWDnsFlowTrace":                  azfwDNSFlowTrace,
}

// azfwCategories is azfwNames keyed lower-case.
var azfwCategories = lowerCased(azfwNames)

// lowerCased returns m keyed lower-case.
func lowerCased[V any](m map[string]V) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[strings.ToLower(k)] = v
	}
	return out
}

// azfwKeys are the categories and tables of azfwNames, sorted, without
// the DNS proxy's (its format of its own, source dns).
func azfwKeys() []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(azfwNames)) {
		if azfwNames[k] != azfwDNS {
			out = append(out, k)
		}
	}
	return out
}

func parseAZFW(r *Record, o *Output) error {
	cat := r.Category()
	kind, ok := azfwCategories[strings.ToLower(cat)]
	if !ok {
		// A resource-specific row: its Category column may be the IDPS
		// category, the table name says what it is.
		cat = r.Table()
		kind, ok = azfwCategories[strings.ToLower(cat)]
		if !ok {
			return Skipf(CodeUnknownCategory, "no parser for category %s", cat)
		}
	}
	t, err := r.Time()
	if err != nil {
		return Skipf(CodeBadTime, "%v", err)
	}
	id := r.ResourceID()
	e := event.Event{
		Time: t, Source: event.SourceFirewall, Category: cat,
		Emitter: firewallName(id), EmitterID: strings.ToLower(id),
	}
	e.Protocol, e.ICMPType = fwProtocol(r.S("Protocol"))
	if e.Protocol != "icmp" && e.Protocol != "icmpv6" {
		e.ICMPType = 0
	}
	if s := r.S("SourceIp"); s != "" {
		ip, ok := parseHostIP(s)
		if !ok {
			return Skipf(CodeBadRecord, "SourceIp %q is not an address", truncate(s, 80))
		}
		e.SrcIP = ip
	}
	if s := r.S("DestinationIp"); s != "" {
		if ip, ok := parseHostIP(s); ok {
			e.DstIP = ip
		} else {
			e.FQDN = s
		}
	}
	var perr error
	e.SrcPort, perr = portField(r, "SourcePort", perr)
	e.DstPort, perr = portField(r, "DestinationPort", perr)
	if perr != nil {
		return perr
	}
	e.Rule = event.Rule{
		Name: r.S("Rule"), Policy: r.S("Policy"), RuleCollectionGroup: r.S("RuleCollectionGroup"),
		RuleCollection: r.S("RuleCollection"), Reason: r.S("ActionReason"),
	}
	if d, ok := r.Bool("IsDefaultRule"); ok && d {
		e.Rule.Default = true
	}
	if strings.EqualFold(e.Rule.Reason, "Default Action") {
		e.Rule.Default = true
	}
	detail := map[string]string{}
	verdict := func() error {
		a := r.S("Action")
		v, ok := actionVerdict(a)
		if !ok {
			return Skipf(CodeBadRecord, "unknown Action %q", truncate(a, 40))
		}
		e.Verdict = v
		return nil
	}
	switch kind {
	case azfwNetwork:
		if err := verdict(); err != nil {
			return err
		}
	case azfwApplication:
		if err := verdict(); err != nil {
			return err
		}
		e.FQDN = r.S("Fqdn")
		e.URL = r.S("TargetUrl")
		setDetail(detail, "web_category", r.S("WebCategory"))
		setBoolDetail(r, detail, "tls_inspected", "IsTlsInspected")
		setBoolDetail(r, detail, "explicit_proxy", "IsExplicitProxyRequest")
	case azfwNAT:
		e.Verdict = event.VerdictDNAT
		nat, err := natFields(r)
		if err != nil {
			return err
		}
		e.NAT = nat
	case azfwThreatIntel:
		if err := verdict(); err != nil {
			return err
		}
		if f := r.S("Fqdn"); f != "" {
			e.FQDN = f
		}
		e.URL = r.S("Url")
		if e.URL == "" {
			e.URL = r.S("TargetUrl")
		}
		e.Rule.ThreatIntel = r.S("ThreatDescription")
		setBoolDetail(r, detail, "tls_inspected", "IsTlsInspected")
	case azfwIDPS:
		if err := verdict(); err != nil {
			return err
		}
		e.Rule.Signature = r.S("SignatureId")
		if e.Rule.Name == "" {
			e.Rule.Name = e.Rule.Signature
		}
		setDetail(detail, "idps_category", r.S("Category"))
		setDetail(detail, "idps_description", r.S("Description"))
		setDetail(detail, "idps_severity", r.S("Severity"))
	case azfwDNS:
		e.Source = event.SourceDNS // a DNS query, though the firewall logged it (docs/log-formats-more.md §11.1)
		e.Verdict = event.VerdictInfo
		e.FQDN = strings.TrimSuffix(r.S("QueryName"), ".")
		setDetail(detail, "query_name", r.S("QueryName"))
		setDetail(detail, "query_type", r.S("QueryType"))
		setDetail(detail, "query_class", r.S("QueryClass"))
		setDetail(detail, "query_id", r.S("QueryId"))
		setDetail(detail, "rcode", r.S("ResponseCode"))
		setDetail(detail, "response_flags", r.S("ResponseFlags"))
		setDetail(detail, "request_size", r.S("RequestSize"))
		setDetail(detail, "response_size", r.S("ResponseSize"))
		setDetail(detail, "duration_s", r.S("RequestDurationSecs"))
		if n, _ := r.Int("ErrorNumber"); n != 0 {
			setDetail(detail, "error_number", r.S("ErrorNumber"))
		}
		setDetail(detail, "error", r.S("ErrorMessage"))
		setBoolDetail(r, detail, "dnssec_ok", "DnssecOkBit")
		setDetail(detail, "edns0_buffer", r.S("EDNS0BufferSize"))
	case azfwFlowTrace:
		e.Verdict = event.VerdictInfo
		setDetail(detail, "flow_trace", "true")
		setDetail(detail, "flag", r.S("Flag"))
		setDetail(detail, "action", r.S("Action"))
	case azfwFatFlow:
		e.Verdict = event.VerdictInfo
		setDetail(detail, "fat_flow", "true")
		setDetail(detail, "flow_rate_mbps", r.S("FlowRate"))
	case azfwFqdnFailure:
		e.Verdict = event.VerdictError
		e.FQDN = r.S("Fqdn")
		if ip, ok := parseHostIP(r.S("ServerIp")); ok {
			e.DstIP = ip
		}
		e.DstPort, perr = portField(r, "ServerPort", nil)
		if perr != nil {
			return perr
		}
		setDetail(detail, "error", r.S("Error"))
	case azfwNetworkAgg, azfwApplicationAgg, azfwNATAgg:
		e.Aggregate = true
		count := map[azfwKind]string{azfwNetworkAgg: "NetworkRuleCount", azfwApplicationAgg: "ApplicationRuleCount", azfwNATAgg: "NatRuleCount"}[kind]
		if n, ok := r.Int(count); ok {
			e.Count = n
		}
		if kind == azfwNATAgg {
			e.Verdict = event.VerdictDNAT
			nat, err := natFields(r)
			if err != nil {
				return err
			}
			e.NAT = nat
		} else if err := verdict(); err != nil {
			return err
		}
		if kind == azfwApplicationAgg {
			e.FQDN = r.S("Fqdn")
			e.URL = r.S("TargetUrl")
		}
	case azfwDNSFlowTrace:
		e.Verdict = event.VerdictInfo
		setDetail(detail, "dns_flow_trace", "true")
	}
	if len(detail) > 0 {
		e.Detail = detail
	}
	// A URL the firewall logged may carry a SAS token: never pass it on.
	e.URL = redact.Signatures(e.URL)
	return o.Emit(&e)
}

// portField reads a port column that may be a number or a numeric string;
// absent or empty is 0.
func portField(r *Record, name string, prev error) (uint16, error) {
	if prev != nil {
		return 0, prev
	}
	s, ok := r.Str(name)
	s = strings.TrimSpace(s)
	if !ok || s == "" {
		return 0, nil
	}
	n, ok := r.Int(name)
	if !ok || n < 0 || n > 65535 {
		return 0, Skipf(CodeBadRecord, "%s %q is not a port", name, truncate(s, 40))
	}
	return uint16(n), nil
}

// natFields reads TranslatedIp and TranslatedPort.
func natFields(r *Record) (*event.NAT, error) {
	s := r.S("TranslatedIp")
	ip, ok := parseHostIP(s)
	if !ok {
		return nil, Skipf(CodeBadRecord, "TranslatedIp %q is not an address", truncate(s, 80))
	}
	p, err := portField(r, "TranslatedPort", nil)
	if err != nil {
		return nil, err
	}
	return &event.NAT{Kind: "dnat", TranslatedIP: ip, TranslatedPort: p}, nil
}
