package logs

import (
	"encoding/json"
	"net/netip"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// DNS query logs of a DNS security policy (docs/log-formats-more.md §11):
// category DnsResponse as written to storage or an event hub (properties in
// snake_case: query_name, srcipaddr, answer[]) and table DNSQueryLogs
// (QueryName, SourceIpAddress, Answer). One event per query: the client is
// the source, the name is FQDN, and the answer addresses and CNAME chain
// are in Detail ("answers", "cnames"), so a reader can tell which address
// the client was given. Queries that a DNS Private Resolver handled carry
// its endpoint and forwarding ruleset.

// CategoryDNSResponse is the diagnostic category of DNS security policy
// query logs.
const CategoryDNSResponse = "DnsResponse"

// rcodeNames are the DNS response codes by number (RFC 1035, 2136, 6895).
var rcodeNames = map[int64]string{0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED",
	6: "YXDOMAIN", 7: "YXRRSET", 8: "NXRRSET", 9: "NOTAUTH", 10: "NOTZONE"}

func parseDNSQueryLog(r *Record, o *Output) error {
	t, err := r.Time()
	if err != nil {
		return Skipf(CodeBadTime, "%v", err)
	}
	id := r.ResourceID()
	e := event.Event{Time: t, Source: event.SourceDNS, Category: r.Category(), Verdict: event.VerdictInfo,
		Emitter: strings.ToLower(lastIDSegment(id, "dnsResolverPolicies")), EmitterID: strings.ToLower(id)}
	if e.Emitter == "" {
		e.Emitter = strings.ToLower(firewallName(id))
	}
	if s := firstS(r, "SourceIpAddress", "srcipaddr"); s != "" {
		ip, ok := parseHostIP(s)
		if !ok {
			return Skipf(CodeBadRecord, "source address %q is not an address", truncate(s, 60))
		}
		e.SrcIP = ip
	}
	if s := firstS(r, "DestinationIpAddress", "dstipaddr"); s != "" {
		if ip, ok := parseHostIP(s); ok {
			e.DstIP = ip
		}
	}
	var perr error
	e.SrcPort, perr = portFieldOf(r, perr, "SourcePort", "srcport")
	e.DstPort, perr = portFieldOf(r, perr, "DestinationPort", "dstport")
	if perr != nil {
		return perr
	}
	if e.DstPort == 0 {
		e.DstPort = 53
	}
	e.Protocol = strings.ToLower(firstS(r, "Transport", "transport"))
	if e.Protocol == "" {
		e.Protocol = "udp"
	}
	name := firstS(r, "QueryName", "query_name")
	if name == "" {
		return Skipf(CodeBadRecord, "a DNS query record without a query name")
	}
	e.FQDN = strings.ToLower(strings.TrimSuffix(name, "."))
	d := map[string]string{"query_name": name}
	setDetail(d, "query_type", firstS(r, "QueryType", "query_type"))
	setDetail(d, "query_class", firstS(r, "QueryClass", "query_class"))
	setDetail(d, "rcode", rcodeName(firstS(r, "ResponseCode", "response_code")))
	setDetail(d, "response_flags", firstS(r, "ResponseFlags", "response_flags"))
	setDetail(d, "operation", r.Operation())
	setDetail(d, "resolution_path", firstS(r, "ResolutionPath", "resolution_path"))
	setDetail(d, "vnet", strings.ToLower(firstS(r, "VirtualNetworkId", "vnet_id")))
	setDetail(d, "region", firstS(r, "Region", "region"))
	setDetail(d, "duration_ms", firstS(r, "QueryResponseTime", "query_response_time"))
	setDetail(d, "resolver_endpoint", strings.ToLower(firstS(r, "PrivateResolverEndpointId", "private_resolver_endpoint_id")))
	setDetail(d, "forwarding_ruleset", strings.ToLower(firstS(r, "DnsForwardingRulesetId", "dns_forwarding_ruleset_id")))
	setDetail(d, "forwarding_domain", firstS(r, "DnsForwardingRulesetDomain", "dns_forwarding_ruleset_domain"))
	action := firstS(r, "ResolverPolicyRuleAction", "resolverpolicy_rule_action")
	setDetail(d, "policy_action", action)
	e.Rule = event.Rule{Name: lastSegment(firstS(r, "ResolverPolicyDomainListId", "resolverpolicy_domain_list_id")),
		Policy: lastSegment(firstS(r, "ResolverPolicyId", "resolverpolicy_id"))}
	switch strings.ToLower(action) {
	case "deny", "block":
		e.Verdict = event.VerdictDeny
		e.Rule.Reason = "DNS security policy " + strings.ToLower(action)
	case "alert":
		e.Verdict = event.VerdictAlert
		e.Rule.Reason = "DNS security policy alert"
	}
	var raw []byte
	for _, k := range []string{"Answer", "answer"} {
		if v, ok := r.JSON(k); ok {
			raw = v
			break
		}
	}
	addrs, cnames := dnsAnswers(raw)
	setDetail(d, "answers", strings.Join(addrs, ","))
	setDetail(d, "cnames", strings.Join(cnames, ","))
	e.Detail = d
	return o.Emit(&e)
}

// portFieldOf is portField over the first of names that is present.
func portFieldOf(r *Record, prev error, names ...string) (uint16, error) {
	if prev != nil {
		return 0, prev
	}
	for _, n := range names {
		if s, ok := r.Str(n); ok && strings.TrimSpace(s) != "" {
			return portField(r, n, nil)
		}
	}
	return 0, nil
}

// rcodeName turns a response code (a number or a name) into its name.
func rcodeName(s string) string {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if name, ok := rcodeNames[n]; ok {
			return name
		}
		return "RCODE" + s
	}
	return strings.ToUpper(s)
}

// lastSegment returns the last path segment of an ARM id ("" stays "").
func lastSegment(id string) string {
	id = strings.TrimRight(strings.TrimSpace(id), "/")
	if i := strings.LastIndexByte(id, '/'); i >= 0 {
		return id[i+1:]
	}
	return id
}

// dnsAnswers reads an answer list in any of the shapes Azure and its
// exports write (docs/log-formats-more.md §11.3): a JSON array of records
// ({"Type":"A","RData":"10.0.0.5",...}, keys in any case), a JSON array of
// resource-record text lines ("name. 60 IN A 10.0.0.5") or bare values, a
// JSON string holding either (a CSV cell), or plain text separated by
// commas or new lines. It returns the A/AAAA addresses and the CNAME
// targets, in order, without duplicates.
func dnsAnswers(raw []byte) (addrs, cnames []string) {
	add := func(typ, data string) {
		typ = strings.ToUpper(strings.TrimSpace(typ))
		data = strings.TrimSpace(data)
		if data == "" {
			return
		}
		switch typ {
		case "CNAME":
			c := strings.ToLower(strings.TrimSuffix(data, "."))
			if !containsString(cnames, c) {
				cnames = append(cnames, c)
			}
			return
		case "", "A", "AAAA":
		default:
			return
		}
		if a, err := netip.ParseAddr(data); err == nil && !containsString(addrs, a.Unmap().String()) {
			addrs = append(addrs, a.Unmap().String())
		}
	}
	line := func(s string) {
		f := strings.Fields(s)
		switch {
		case len(f) == 0:
		case len(f) == 1:
			add("", f[0])
		default:
			// "name TTL IN TYPE data": the type is the word before the data.
			add(f[len(f)-2], f[len(f)-1])
		}
	}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > 4 {
			return
		}
		switch x := v.(type) {
		case []any:
			for _, el := range x {
				walk(el, depth+1)
			}
		case map[string]any:
			var typ, data string
			for k, val := range x {
				s, _ := val.(string)
				switch strings.ToLower(k) {
				case "type", "rtype", "recordtype":
					typ = s
				case "rdata", "data", "value", "address", "ipaddress":
					data = s
				}
			}
			add(typ, data)
		case string:
			s := strings.TrimSpace(x)
			if strings.HasPrefix(s, "[") || strings.HasPrefix(s, "{") {
				var inner any
				if json.Unmarshal([]byte(s), &inner) == nil {
					walk(inner, depth+1)
					return
				}
			}
			for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' || r == ';' }) {
				line(l)
			}
		}
	}
	raw = []byte(strings.TrimSpace(string(raw)))
	if len(raw) == 0 {
		return nil, nil
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		v = string(raw) // a CSV cell that is not JSON
	}
	walk(v, 0)
	return addrs, cnames
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
