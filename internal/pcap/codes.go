package pcap

import (
	"github.com/pathproof/pathproof/internal/codes"
	"github.com/pathproof/pathproof/internal/tlscheck"
)

// Finding codes. They are stable: scripts match on them. The certificate
// chain findings are tlscheck's codes (tlscheck.CodeSelfSigned, ...),
// shared with the probe.
const (
	CodeNoResponse      = "tcp.no-response"
	CodeRejected        = "tcp.rejected"
	CodeReset           = "tcp.reset"
	CodeMissingSYN      = "tcp.missing-syn"
	CodeOneSided        = "tcp.one-sided"
	CodeMissingSYNACK   = "tcp.missing-synack"
	CodeRetransmissions = "tcp.retransmissions"
	CodeZeroWindow      = "tcp.zero-window"
	CodeMSSMismatch     = "tcp.mss-mismatch"
	CodeDuplicates      = "tcp.duplicates"
	CodeFragmented      = "ip.fragmented"
	CodeUnreachable     = "icmp.unreachable"
	CodeFragNeeded      = "icmp.frag-needed"
	CodeTTLExceeded     = "icmp.ttl-exceeded"
	CodeTLSAlert        = "tls.alert"
	CodeTLS13Encrypted  = "tls.certificates-encrypted"
	CodePlaintextReply  = "tls.plaintext-reply"
	CodeNXDomain        = "dns.nxdomain"
	CodeServFail        = "dns.servfail"
	CodePrivateLinkPub  = "dns.private-link-public-answer"
	CodeHTTPServerError = "http.server-error"
	CodeHTTPClientError = "http.client-error"
)

// CodePartial says a capture could be read only in part (a damaged or cut
// file, packets that could not be decoded): what was read is still
// diagnosed, and the commands that use the capture exit 4.
const CodePartial = "pcap.partial"

func init() {
	c := func(id, sev, meaning, next string) codes.Code {
		return codes.Code{ID: id, Domain: "pcap", Kind: "finding", Severity: sev, Meaning: meaning, Next: next}
	}
	codes.Register(codes.Code{ID: CodePartial, Domain: "pcap", Kind: "drop-reason", Severity: SevWarning,
		Meaning: "A capture was read only in part: the file is damaged or cut short, or some packets could not be decoded. What was read is still diagnosed.",
		Next:    "The message names the packet and byte offset where reading stopped, or what was skipped. Take the capture again if the missing part matters (stop tcpdump cleanly so it flushes; copy the file only after it is closed), or check that the link type is one pathproof decodes."})
	codes.Register(
		c(CodeNoResponse, SevError, "The client's SYN (often several, retransmitted) was never answered in the capture: no SYN-ACK and no RST came back.",
			"If the capture is on the client: something on the way drops the SYN silently (an NSG deny rule, Azure Firewall, an NVA, a UDR to nowhere) or the server is down; check `pathproof ip-flow` and `pathproof trace` for the 5-tuple, then capture on the server: a SYN arriving there with no SYN-ACK leaving means the host firewall or the service; a SYN-ACK leaving means the return path differs."),
		c(CodeRejected, SevError, "The SYN was answered with a RST: the connection was refused.",
			"Nothing listens on that port, or a host firewall or NVA rejects it. Azure NSGs never send RSTs (they drop silently), so a RST comes from the server's OS or an appliance: check the service is running and bound to that address (`ss -ltn`), and whether a firewall rule rejects rather than drops."),
		c(CodeReset, SevWarning, "The connection was established and then aborted by a RST from one side.",
			"The message says who reset. A server reset right after the first request often means a proxy, load balancer or TLS inspection refused it; an idle connection reset after minutes matches Azure's idle timeout (4 min default on Load Balancer and NAT gateway, SNAT port reuse). Compare the time of the last data with the RST."),
		c(CodeMissingSYN, SevWarning, "The capture has the connection's SYN-ACK or data but not the client's SYN.",
			"Either the capture started after the connection opened (then the connection's first packet is at the start of the capture, and this is harmless), or the SYN took another path than this capture point: asymmetric routing, typically a UDR sending one direction through a firewall or NVA. Check the routes of both subnets with `pathproof routes`."),
		c(CodeMissingSYNACK, SevWarning, "The capture has the client's SYN and later packets of the connection but not the server's SYN-ACK.",
			"The SYN-ACK took another path than this capture point (asymmetric routing: a UDR or a second NIC sends the return traffic elsewhere, where a stateful firewall drops it) or the capture dropped it. Check the routes from the server back to the client with `pathproof trace`."),
		c(CodeOneSided, SevWarning, "Only one direction of the connection was captured, though the other side evidently answered.",
			"The other direction takes another path (asymmetric routing through an NVA, firewall or gateway, which stateful devices then drop) or the capture point only sees one direction. Check effective routes on both ends with `pathproof routes` and `pathproof trace`."),
		c(CodeRetransmissions, SevWarning, "Segments were sent again: the original (or its ACK) was lost between the sender and the receiver.",
			"Loss on the path: look at which side retransmits and whether losses come in bursts. Check NVA or firewall CPU and throughput limits, VM network bandwidth limits for the size, MTU problems (large segments lost, small ones pass: see icmp.frag-needed) and Azure VPN gateway throughput."),
		c(CodeZeroWindow, SevWarning, "A receiver advertised a zero TCP window: its application stopped reading and the sender had to wait.",
			"The receiving application or host is the bottleneck, not the network: check its CPU, disk and the application's read loop. The side that advertised the zero window is named in the message."),
		c(CodeDuplicates, SevInfo, "Frames of this connection were captured more than once: identical segments with the same IPv4 identification within 100 ms (or identical within 1 ms without one).",
			"The capture was taken on several interfaces (a bond and its members, a bridge and its ports, a VM and its host) or several captures were merged. The copies are not retransmissions and were left out of the TCP analysis; tools that count them as retransmissions (tshark) overstate loss."),
		c(CodeMSSMismatch, SevInfo, "A side sent segments larger than the MSS the other side announced.",
			"Usually the capture was taken on the sending host before segmentation offload (TSO/GSO/GRO), which is harmless. If the capture is on the wire, the path does not respect the MSS: check MSS clamping on VPN gateways and NVAs (Azure VPN gateway clamps TCP MSS to 1350)."),
		c(CodeFragmented, SevWarning, "IP fragments belong to this connection.",
			"A packet larger than the path MTU was fragmented. Azure load balancers and some NVAs do not forward fragments; VPN tunnels add overhead. Lower the MTU or MSS of the sender (1400 bytes inside Azure VPN tunnels) or fix the application's datagram size."),
		c(CodeUnreachable, SevError, "A router or host answered a packet of this connection with ICMP destination unreachable.",
			"The message says who sent it and why (port unreachable: nothing listens on that UDP port; host or network unreachable: no route; administratively prohibited: a firewall). Check the named sender's routes and rules."),
		c(CodeFragNeeded, SevWarning, "A router said the packets are too big for the next hop (ICMP fragmentation needed / ICMPv6 packet too big) and gave the MTU.",
			"Path MTU discovery is at work: the sender must lower its packet size to the MTU given. If the connection still stalls, the ICMP does not reach the sender (an NSG or firewall drops ICMP) and large packets vanish: allow ICMP type 3 code 4 / ICMPv6 type 2, or clamp the MSS (1350 on Azure VPN gateways)."),
		c(CodeTTLExceeded, SevWarning, "A router reported that packets of this connection ran out of TTL.",
			"A routing loop (two route tables pointing at each other, a UDR sending traffic back into the same NVA) or a deliberately low TTL (traceroute). Check the effective routes of the hops with `pathproof routes`."),
		c(CodeTLSAlert, SevError, "A TLS alert was sent in clear text: the message names who sent it, its level and description.",
			"handshake_failure: no common version or cipher, or the server wants something the client did not send (SNI, a client certificate). unknown_ca / certificate_unknown / bad_certificate: the client does not trust the chain (see the tls.* chain findings). protocol_version: minimum TLS version mismatch (Azure services require TLS 1.2). unrecognized_name: the server has no certificate for the SNI name."),
		c(tlscheck.CodeSelfSigned, SevWarning, "The server's certificate is self-signed.",
			"Only clients that pin or explicitly trust this certificate will connect. Use a certificate from a CA the clients trust, or distribute this one to their trust stores (and check that Application Gateway or the appliance in front uses the right certificate)."),
		c(tlscheck.CodeIncompleteChain, SevError, "The server sent its leaf certificate without the intermediate that issued it.",
			"Configure the server to send the full chain (leaf then intermediates; PEM bundle or PFX with the chain). Windows and browsers often repair the chain from their own store or by fetching it, so it works there and fails on appliances, Java, curl, Python and Linux tools."),
		c(tlscheck.CodeExpired, SevError, "A certificate in the chain was expired (or not yet valid) at the time of the capture.",
			"Renew the certificate (check Key Vault auto-rotation and that the service picked up the new version), or fix the clock of the host whose time is wrong."),
		c(tlscheck.CodeNameMismatch, SevError, "The certificate does not cover the name the client asked for (SNI).",
			"Use a certificate whose subjectAltName lists that name, connect with the name the certificate carries (not an IP address or an internal alias), or check that the right certificate is bound to this listener or SNI host."),
		c(tlscheck.CodeWrongOrder, SevWarning, "The server sent its certificates out of order.",
			"Put the leaf first, then each intermediate followed by its issuer. Strict clients (older Java, some appliances) reject an out-of-order chain."),
		c(tlscheck.CodeBadCertificate, SevError, "A certificate the server sent could not be parsed.",
			"The server's certificate file is damaged or not DER/X.509; clients reject the handshake. Re-export the certificate and chain."),
		c(CodeTLS13Encrypted, SevInfo, "TLS 1.3 was negotiated: the server's certificates are encrypted, so the capture cannot show the chain.",
			"Check the chain with an active probe (`pathproof probe tls HOST:PORT`) or with `openssl s_client -showcerts`."),
		c(CodePlaintextReply, SevError, "The client started a TLS handshake but the server answered in clear text (HTTP).",
			"The client uses TLS on a port where the server speaks plain HTTP: wrong port or URL scheme, or TLS is terminated elsewhere (Application Gateway, Front Door, a load balancer rule to the wrong backend port)."),
		c(CodeNXDomain, SevWarning, "A DNS query was answered NXDOMAIN: the name does not exist for that resolver.",
			"Check the spelling and the resolver used. Queries with a search suffix appended are often harmless. For Azure private endpoints, check that the private DNS zone holds the record and is linked to the client's VNet, or that the custom DNS server forwards to 168.63.129.16."),
		c(CodeServFail, SevError, "A DNS query was answered SERVFAIL: the resolver could not get an answer.",
			"The resolver failed upstream (forwarder unreachable, DNSSEC failure, a conditional forwarder loop). Check the custom DNS server's forwarders and that it can reach 168.63.129.16 or its upstream."),
		c(CodePrivateLinkPub, SevError, "A privatelink name resolved to a public address: the client will reach the public endpoint, not the private endpoint.",
			"The private DNS zone (privatelink.*) is not linked to the client's VNet, lacks the A record, or the client's DNS server does not forward to Azure DNS (168.63.129.16). Fix the zone link or the forwarder so the name resolves to the private endpoint's address."),
		c(CodeHTTPServerError, SevError, "The server answered with HTTP 5xx.",
			"The request reached an HTTP server that failed: 502/504 from a gateway (Application Gateway, Front Door, a proxy) mean its backend was unreachable or slow; 503 means the service or backend pool is unavailable; 500 is the application. Check the backend health and logs."),
		c(CodeHTTPClientError, SevWarning, "The server answered with HTTP 4xx.",
			"The network delivered the request; the server refused it: 400 bad request (or TLS spoken to an HTTP port), 401/403 authentication or access rules (storage firewall, WAF), 404 wrong path or host."),
	)
}
