package logs

import (
	"errors"
	"strconv"
	"strings"
)

// FirewallMsg is a legacy Azure Firewall msg (AzureFirewallNetworkRule,
// AzureFirewallApplicationRule) parsed by the left-to-right grammar of
// docs/log-formats.md §4.3.2. Absent parts are empty; ports are -1 when absent or
// empty ("192.168.0.2:").
type FirewallMsg struct {
	// Protocol is the raw token ("TCP", "ICMP Type=8", "HTTP"), trimmed.
	Protocol string
	SrcHost  string
	SrcPort  int
	// HasDst is false for SNI-missing denials (no " to " part).
	HasDst  bool
	DstHost string
	DstPort int
	// NATHost/NATPort are the DNAT target ("was DNAT'ed to").
	NATHost string
	NATPort int
	URL     string
	// Action as logged (Allow, Deny, Alert, alert, drop); empty for DNAT.
	Action              string
	Policy              string
	RuleCollectionGroup string
	RuleCollection      string
	Rule                string
	WebCategory         string
	// IDPS: Signature (from "Signature:" or, before "IDS:", "Rule:").
	Signature      string
	IDS            string
	Priority       string
	Classification string
	ThreatIntel    string
	// Default is true for "No rule matched. Proceeding with default action".
	Default bool
	// Reason is "Reason: ..." or other free text after the action.
	Reason string
}

const (
	msgRequestFrom = " request from "
	msgTo          = " to "
	msgDNAT        = " was DNAT'ed to "
	msgDefault     = "No rule matched. Proceeding with default action"
)

// trailer labels, longest first where one is a prefix of another.
var msgLabels = []string{
	"Rule Collection Group: ", "Rule Collection: ", "Rule: ", "Policy: ",
	"Web Category: ", "Signature: ", "IDS: ", "Priority: ", "Classification: ",
	"ThreatIntel: ", "Reason: ", "Url: ",
}

// ParseFirewallMsg parses one legacy network/application/NAT/IDPS/threat
// intel msg. It never panics; a msg that does not start with
// "<proto> request from " is an error.
func ParseFirewallMsg(msg string) (FirewallMsg, error) {
	m := FirewallMsg{SrcPort: -1, DstPort: -1, NATPort: -1}
	i := strings.Index(msg, msgRequestFrom)
	if i < 0 {
		return m, errors.New(`no "<protocol> request from" header`)
	}
	m.Protocol = strings.TrimSpace(msg[:i])
	if m.Protocol == "" || strings.ContainsAny(m.Protocol, ".:") {
		return m, errors.New("no protocol before \"request from\"")
	}
	rest := msg[i+len(msgRequestFrom):]

	// Source endpoint: up to the next space.
	tok, rest := cutSpace(rest)
	tok, endDot := strings.CutSuffix(tok, ".")
	var err error
	if m.SrcHost, m.SrcPort, err = splitHostPort(tok); err != nil {
		return m, errors.New("source " + err.Error())
	}
	if m.SrcHost == "" {
		return m, errors.New("no source address")
	}
	if !endDot && strings.HasPrefix(rest, "to ") {
		tok, rest = cutSpace(rest[len("to "):])
		tok, _ = strings.CutSuffix(tok, ".")
		m.HasDst = true
		if m.DstHost, m.DstPort, err = splitHostPort(tok); err != nil {
			return m, errors.New("destination " + err.Error())
		}
		if m.DstHost == "" {
			return m, errors.New("no destination address")
		}
	}
	if strings.HasPrefix(rest, msgDNAT[1:]) {
		tok, rest = cutSpace(rest[len(msgDNAT)-1:])
		tok, _ = strings.CutSuffix(tok, ".")
		if m.NATHost, m.NATPort, err = splitHostPort(tok); err != nil || m.NATHost == "" {
			return m, errors.New("bad DNAT target")
		}
	}
	rest = trimSep(rest)
	// Optional Url before Action.
	if strings.HasPrefix(rest, "Url: ") {
		j := strings.Index(rest, ". Action: ")
		if j < 0 {
			return m, errors.New("a Url without a following Action")
		}
		m.URL = rest[len("Url: "):j]
		rest = rest[j+2:]
	}
	if strings.HasPrefix(rest, "Action: ") {
		a := rest[len("Action: "):]
		n := 0
		for n < len(a) && (a[n]|0x20 >= 'a' && a[n]|0x20 <= 'z') {
			n++
		}
		if n == 0 {
			return m, errors.New("empty Action")
		}
		m.Action = a[:n]
		rest = trimSep(a[n:])
	} else if m.NATHost == "" {
		return m, errors.New("no Action and no DNAT target")
	}
	m.trailer(rest)
	return m, nil
}

// trailer splits the text after the action on the label keywords (§4.3.2
// step 6): a label counts only at the start or after ". ".
func (m *FirewallMsg) trailer(s string) {
	if strings.HasPrefix(s, msgDefault) {
		m.Default = true
		s = trimSep(s[len(msgDefault):])
	}
	type seg struct{ label, val string }
	var segArr [12]seg
	segs := segArr[:0]
	free := ""
	label := ""
	start := 0
	flush := func(end int) {
		v := strings.TrimRight(s[start:end], ". ")
		if label == "" {
			free = strings.TrimSpace(strings.TrimRight(s[start:end], " "))
			free = strings.TrimSuffix(free, ".")
		} else {
			segs = append(segs, seg{label, v})
		}
	}
	for i := 0; i <= len(s); i++ {
		at := i == 0 || (i >= 2 && s[i-2] == '.' && s[i-1] == ' ')
		if !at || i == len(s) {
			continue
		}
		for _, l := range msgLabels {
			if strings.HasPrefix(s[i:], l) {
				if i > 0 || label != "" {
					flush(i)
				}
				label = l
				start = i + len(l)
				i = start - 1
				break
			}
		}
	}
	if start < len(s) || label != "" {
		flush(len(s))
	}
	hasIDS := false
	for _, sg := range segs {
		if sg.label == "IDS: " {
			hasIDS = true
		}
	}
	for _, sg := range segs {
		switch sg.label {
		case "Policy: ":
			m.Policy = sg.val
		case "Rule Collection Group: ":
			m.RuleCollectionGroup = sg.val
		case "Rule Collection: ":
			m.RuleCollection = sg.val
		case "Rule: ":
			if hasIDS && m.Signature == "" {
				m.Signature = sg.val
			} else {
				m.Rule = sg.val
			}
		case "Web Category: ":
			m.WebCategory = sg.val
		case "Signature: ":
			m.Signature = sg.val
		case "IDS: ":
			m.IDS = sg.val
		case "Priority: ":
			m.Priority = sg.val
		case "Classification: ":
			m.Classification = sg.val
		case "ThreatIntel: ":
			m.ThreatIntel = sg.val
		case "Reason: ":
			m.Reason = sg.val
		case "Url: ":
			m.URL = sg.val
		}
	}
	if free != "" && m.Reason == "" {
		m.Reason = free
	}
	// §4.3.2 step 8: "Rule Collection: policy:rcg:rc".
	if m.Policy == "" && m.RuleCollectionGroup == "" && strings.Count(m.RuleCollection, ":") == 2 {
		p := strings.SplitN(m.RuleCollection, ":", 3)
		m.Policy, m.RuleCollectionGroup, m.RuleCollection = p[0], p[1], p[2]
	}
}

// cutSpace splits s at the first space, dropping any run of spaces.
func cutSpace(s string) (tok, rest string) {
	i := strings.IndexByte(s, ' ')
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimLeft(s[i:], " ")
}

// trimSep drops leading periods and spaces.
func trimSep(s string) string { return strings.TrimLeft(s, ". ") }

// splitHostPort splits "host:port", "host:", "host", "[v6]:port" and a bare
// IPv6 address; port is -1 when absent or empty.
func splitHostPort(s string) (host string, port int, err error) {
	if strings.HasPrefix(s, "[") {
		j := strings.IndexByte(s, ']')
		if j < 0 {
			return "", -1, errors.New("unclosed [ in address")
		}
		host, s = s[1:j], s[j+1:]
		if !strings.HasPrefix(s, ":") {
			return host, -1, nil
		}
		p, err := portOrNone(s[1:])
		return host, p, err
	}
	if strings.Count(s, ":") > 1 { // a bare IPv6 address: no port form known
		return s, -1, nil
	}
	h, p, ok := strings.Cut(s, ":")
	if !ok {
		return s, -1, nil
	}
	port, err = portOrNone(p)
	return h, port, err
}

func portOrNone(p string) (int, error) {
	if p == "" {
		return -1, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 0 || n > 65535 {
		return -1, errors.New("port " + strconv.Quote(p) + " is not a port")
	}
	return n, nil
}
