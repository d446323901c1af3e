package pcap

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// maxAnswers caps the answers kept per DNS exchange.
const maxAnswers = 8

// isDNSPort reports whether a UDP port carries unicast DNS.
func isDNSPort(p uint16) bool { return p == 53 }

// dnsMessage records one DNS message seen on c. Malformed messages are
// ignored: DNS on port 53 is not guaranteed to be DNS.
func (c *conn) dnsMessage(dns *layers.DNS, payload []byte) {
	if err := dns.DecodeFromBytes(payload, gopacket.NilDecodeFeedback); err != nil || len(dns.Questions) == 0 {
		return
	}
	q := dns.Questions[0]
	name := string(q.Name)
	if !dns.QR {
		if len(c.dns) < maxExchanges {
			c.dns = append(c.dns, DNSExchange{ID: dns.ID, Query: name, Type: q.Type.String()})
		}
		return
	}
	var ex *DNSExchange
	for i := len(c.dns) - 1; i >= 0; i-- {
		if c.dns[i].ID == dns.ID && c.dns[i].Query == name && c.dns[i].Rcode == "" {
			ex = &c.dns[i]
			break
		}
	}
	if ex == nil {
		if len(c.dns) >= maxExchanges {
			return
		}
		c.dns = append(c.dns, DNSExchange{ID: dns.ID, Query: name, Type: q.Type.String()})
		ex = &c.dns[len(c.dns)-1]
	}
	ex.Rcode = rcodeName(dns.ResponseCode)
	for _, a := range dns.Answers {
		if len(ex.Answers) >= maxAnswers {
			break
		}
		switch a.Type {
		case layers.DNSTypeA, layers.DNSTypeAAAA:
			ex.Answers = append(ex.Answers, fmt.Sprintf("%s %s %s", a.Name, a.Type, a.IP))
		case layers.DNSTypeCNAME:
			ex.Answers = append(ex.Answers, fmt.Sprintf("%s CNAME %s", a.Name, a.CNAME))
		}
	}
}

func rcodeName(r layers.DNSResponseCode) string {
	switch r {
	case layers.DNSResponseCodeNoErr:
		return "NOERROR"
	case layers.DNSResponseCodeFormErr:
		return "FORMERR"
	case layers.DNSResponseCodeServFail:
		return "SERVFAIL"
	case layers.DNSResponseCodeNXDomain:
		return "NXDOMAIN"
	case layers.DNSResponseCodeNotImp:
		return "NOTIMP"
	case layers.DNSResponseCodeRefused:
		return "REFUSED"
	}
	return fmt.Sprintf("RCODE%d", r)
}

// privateLinkPublic returns the first public address a privatelink name
// resolved to in ex, if any.
func privateLinkPublic(ex DNSExchange) (name string, addr netip.Addr, ok bool) {
	viaPL := strings.Contains(strings.ToLower(ex.Query), ".privatelink.")
	for _, a := range ex.Answers {
		f := strings.Fields(a)
		if len(f) != 3 {
			continue
		}
		if f[1] == "CNAME" && strings.Contains(strings.ToLower(f[2]), ".privatelink.") {
			viaPL = true
			name = f[2]
			continue
		}
		if f[1] != "A" && f[1] != "AAAA" {
			continue
		}
		ip, err := netip.ParseAddr(f[2])
		if err != nil {
			continue
		}
		if viaPL && isPublic(ip) {
			if name == "" {
				name = ex.Query
			}
			return name, ip, true
		}
	}
	return "", netip.Addr{}, false
}

// cgnat is 100.64.0.0/10 (RFC 6598), private in practice.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

func isPublic(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsGlobalUnicast() && !ip.IsPrivate() && !cgnat.Contains(ip)
}
