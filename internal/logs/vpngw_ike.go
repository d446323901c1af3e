package logs

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"
)

// IKELine is one parsed IKE diagnostic line (docs/log-formats-more.md §2.5.1):
// IKEDiagnosticLog messages and the lines of the VPN troubleshoot
// IKElogs.txt share the grammar
//
//	[SESSION_ID :{guid} ][Remote ip:port: Local ip:port: ][TAGS...] text
type IKELine struct {
	Session     string
	Remote      netip.Addr
	RemotePort  uint16
	Local       netip.Addr
	LocalPort   uint16
	RemoteText  string // the remote address as written (may be a placeholder like <IPaddress>)
	Tags        []string
	Text        string
	ErrorCode   int    // Windows IPsec error (decimal), 0 when none
	Failure     string // a failure class (ikeFailure*), "" for a normal line
	Description string // what the failure means
}

var (
	ikeSession = regexp.MustCompile(`^SESSION_ID :\{([0-9A-Fa-f-]+)\} ?`)
	ikeEnds    = regexp.MustCompile(`^Remote (\S+?):(\d+): Local (\S+?):(\d+):\s?`)
	ikeTag     = regexp.MustCompile(`^\[([A-Za-z_]+)\]`)
	ikeDecErr  = regexp.MustCompile(`(?i)(?:error|Windows error)\s+(\d{3,5})\b`)
	ikeHexErr  = regexp.MustCompile(`(?i)\[ErrorCode\]\s*0x([0-9a-f]{1,8})|error code:\s*0x([0-9a-f]{1,8})`)
)

// IKE failure classes (event Rule.Reason starts with one).
const (
	IKEPSKMismatch       = "ike-auth-failed"
	IKEPolicyMismatch    = "ike-policy-mismatch"
	IKETimeout           = "ike-timeout"
	IKESelectorMismatch  = "ike-traffic-selector-mismatch"
	IKEUnsupported       = "ike-unsupported-peer"
	IKEDHFailure         = "ike-dh-failure"
	IKERefused           = "ike-refused"
	IKEOtherFailure      = "ike-failure"
	ikeFailureNoneReason = ""
)

// ikeErrors maps Windows IPsec error codes to a class and meaning (§2.5.3).
var ikeErrors = map[int][2]string{
	13801: {IKEPSKMismatch, "IKE authentication credentials are unacceptable (pre-shared key mismatch)"},
	13805: {IKETimeout, "negotiation timed out (peer not answering, or phase-2 selector mismatch)"},
	13822: {IKEDHFailure, "failure in Diffie-Hellman computation (DH group mismatch)"},
	13824: {IKEUnsupported, "invalid header (unsupported IKE message from the peer)"},
	13825: {IKEPolicyMismatch, "no policy configured (IKE/IPsec policy mismatch)"},
	13826: {IKEPSKMismatch, "failed to verify signature (authentication failure)"},
	13843: {IKEUnsupported, "invalid payload received (unsupported payload from the peer)"},
	13846: {IKEUnsupported, "invalid cookie received"},
	13868: {IKEPolicyMismatch, "policy match error (proposal or PFS mismatch)"},
	13880: {IKEUnsupported, "the peer's IKE version is not accepted (IKEv1/IKEv2 mismatch)"},
	13999: {IKESelectorMismatch, "traffic selectors unacceptable (proxy-ID mismatch)"},
	1225:  {IKERefused, "the remote computer refused the connection (connection set to initiator-only?)"},
}

// ikePhrases classify lines that carry no error code.
var ikePhrases = []struct{ phrase, class, meaning string }{
	{"authentication failed", IKEPSKMismatch, "authentication failed (pre-shared key mismatch)"},
	{"credentials are unacceptable", IKEPSKMismatch, "IKE authentication credentials are unacceptable (pre-shared key mismatch)"},
	{"policy mismatch", IKEPolicyMismatch, "policy mismatch (IKE/IPsec proposals)"},
	{"policy match error", IKEPolicyMismatch, "policy match error (proposal or PFS mismatch)"},
	{"negotiation timed out", IKETimeout, "negotiation timed out"},
	{"sa_negotiation_failed", IKEOtherFailure, "SA negotiation failed"},
	{"invalid_ke_payload", IKEUnsupported, "peer proposed an unsupported key exchange"},
	{"unsupported ike version", IKEUnsupported, "unsupported IKE version"},
	{"invalid payload", IKEUnsupported, "peer sent an invalid payload"},
}

// ParseIKELine parses one IKE diagnostic line. It never fails: a line in
// none of the known shapes is kept as text.
func ParseIKELine(s string) IKELine {
	var l IKELine
	s = strings.TrimRight(s, "\r\n")
	rest := strings.TrimLeft(s, " \t")
	if m := ikeSession.FindStringSubmatch(rest); m != nil {
		l.Session = m[1]
		rest = rest[len(m[0]):]
	}
	if m := ikeEnds.FindStringSubmatch(rest); m != nil {
		l.RemoteText = m[1]
		if a, err := netip.ParseAddr(strings.Trim(m[1], "[]")); err == nil {
			l.Remote = a.Unmap()
		}
		if p, err := strconv.ParseUint(m[2], 10, 16); err == nil {
			l.RemotePort = uint16(p)
		}
		if a, err := netip.ParseAddr(strings.Trim(m[3], "[]")); err == nil {
			l.Local = a.Unmap()
		}
		if p, err := strconv.ParseUint(m[4], 10, 16); err == nil {
			l.LocalPort = uint16(p)
		}
		rest = rest[len(m[0]):]
	}
	for {
		m := ikeTag.FindStringSubmatch(rest)
		if m == nil {
			break
		}
		l.Tags = append(l.Tags, strings.ToUpper(m[1]))
		rest = rest[len(m[0]):]
	}
	l.Text = strings.TrimSpace(rest)
	l.classify(s)
	return l
}

// classify finds an error code or a failure phrase anywhere in the line.
func (l *IKELine) classify(s string) {
	if m := ikeHexErr.FindStringSubmatch(s); m != nil {
		h := m[1]
		if h == "" {
			h = m[2]
		}
		if n, err := strconv.ParseInt(h, 16, 32); err == nil {
			l.ErrorCode = int(n)
		}
	}
	if l.ErrorCode == 0 {
		for _, m := range ikeDecErr.FindAllStringSubmatch(s, -1) {
			n, _ := strconv.Atoi(m[1])
			if _, known := ikeErrors[n]; known {
				l.ErrorCode = n
				break
			}
		}
	}
	if c, ok := ikeErrors[l.ErrorCode]; ok {
		l.Failure, l.Description = c[0], c[1]
		return
	}
	low := strings.ToLower(s)
	// Traffic-selector payloads list "Protocol 0" ranges; they are not failures.
	for _, p := range ikePhrases {
		if strings.Contains(low, p.phrase) {
			l.Failure, l.Description = p.class, p.meaning
			return
		}
	}
	if l.ErrorCode != 0 {
		l.Failure, l.Description = IKEOtherFailure, "IKE error "+strconv.Itoa(l.ErrorCode)
	}
}

// Direction returns the first direction tag (SEND, RECEIVED, LOCAL...) or "".
func (l IKELine) Direction() string {
	for _, t := range l.Tags {
		switch t {
		case "SEND", "RECEIVED", "RECEIVE", "RECV", "LOCAL", "LOCAL_MSG":
			return t
		}
	}
	return ""
}

// Exchange returns the exchange tag (SA_INIT, SA_AUTH, NOTIFY...) or "".
func (l IKELine) Exchange() string {
	for _, t := range l.Tags {
		if t != l.Direction() {
			return t
		}
	}
	return ""
}
