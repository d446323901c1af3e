package logs

import (
	"net/netip"
	"regexp"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// VPN gateway resource logs (docs/log-formats-more.md §2): GatewayDiagnosticLog,
// TunnelDiagnosticLog, RouteDiagnosticLog, IKEDiagnosticLog and
// P2SDiagnosticLog, raw (fields under properties) or as AzureDiagnostics
// rows (instance_s, remoteIP_s, status_s, Message). No raw record has been
// published: the key spellings follow the AzureDiagnostics columns; see
// docs/vpn-gateway-logs.md. Every event is tied to the gateway (Emitter) and,
// where the record names it, the connection or peer (Detail "connection",
// "remote_ip").

// gatewayName returns the gateway name from an ARM id of a virtual network
// gateway, a Virtual WAN VPN gateway or a P2S gateway.
func gatewayName(r *Record) string {
	id := r.ResourceID()
	for _, k := range []string{"virtualNetworkGateways", "vpnGateways", "p2sVpnGateways"} {
		if n := lastIDSegment(id, k); n != "" {
			return strings.ToLower(n)
		}
	}
	return strings.ToLower(r.S("Resource"))
}

var (
	anyIPv4  = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}\b`)
	anyCIDR  = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}/\d{1,2}\b`)
	p2sIP    = regexp.MustCompile(`\bIP=([0-9A-Fa-f.:X]+?)(?::(\d+))?(?:\s|$)`)
	p2sUser  = regexp.MustCompile(`\bUsername=(\S+)`)
	p2sOVPN  = regexp.MustCompile(`\[(OVPN_[^\]]+)\]`)
	connName = []string{"configuration.Name", "connectionName", "connection", "ConnectionName"}
)

func parseVPNGateway(r *Record, o *Output) error {
	t, err := r.Time()
	if err != nil {
		return Skipf(CodeBadTime, "%v", err)
	}
	cat := r.Category()
	op := r.Operation()
	msg := firstS(r, "message", "Message")
	e := event.Event{
		Time: t, Source: event.SourceVPNGateway, Category: cat,
		Emitter: gatewayName(r), EmitterID: strings.ToLower(r.ResourceID()),
		Verdict: event.VerdictInfo,
	}
	d := map[string]string{}
	setDetail(d, "operation", op)
	setDetail(d, "instance", firstS(r, "instance"))
	setDetail(d, "level", firstS(r, "level", "Level"))
	setDetail(d, "connection", firstS(r, connName...))
	if msg != "" {
		d["message"] = truncate(msg, 500)
	}
	remote := firstS(r, "remoteIP", "remoteIp")
	if remote != "" {
		if a, err := netip.ParseAddr(remote); err == nil {
			e.DstIP = a.Unmap()
		}
		d["remote_ip"] = remote
	}
	switch strings.ToLower(cat) {
	case "tunneldiagnosticlog":
		state := strings.ToLower(firstS(r, "status"))
		if state == "" {
			switch strings.ToLower(op) {
			case "tunnelconnected":
				state = "connected"
			case "tunneldisconnected":
				state = "disconnected"
			}
		}
		setDetail(d, "tunnel_state", state)
		reason := firstS(r, "stateChangeReason")
		setDetail(d, "state_change_reason", reason)
		e.Rule.Reason = strings.TrimSpace("tunnel " + state + " " + reason)
		e.Protocol = "udp"
		if _, ok := d["connection"]; !ok && remote != "" {
			d["connection"] = "peer " + remote
		}
	case "ikediagnosticlog":
		l := ParseIKELine(msg)
		e.Protocol = "udp"
		if l.Remote.IsValid() {
			// The peer is the far end, the gateway's own public IP the near
			// one; the event points from the gateway to the peer.
			e.DstIP, e.DstPort = l.Remote, l.RemotePort
			e.SrcIP, e.SrcPort = l.Local, l.LocalPort
			d["remote_ip"] = l.Remote.String()
		}
		setDetail(d, "session_id", l.Session)
		setDetail(d, "ike_direction", l.Direction())
		setDetail(d, "ike_exchange", l.Exchange())
		if l.ErrorCode != 0 {
			d["ike_error_code"] = itoa(int64(l.ErrorCode))
		}
		if l.Failure != "" {
			e.Verdict = event.VerdictError
			e.Rule.Reason = l.Failure + ": " + l.Description
			d["ike_failure"] = l.Failure
		}
		if _, ok := d["connection"]; !ok && l.Remote.IsValid() {
			d["connection"] = "peer " + l.Remote.String()
		}
	case "routediagnosticlog":
		switch strings.ToLower(op) {
		case "bgpconnectedevent":
			d["bgp_state"] = "connected"
		case "bgpdisconnectedevent":
			d["bgp_state"] = "disconnected"
		}
		if p := anyCIDR.FindString(msg); p != "" {
			d["prefix"] = p
		}
		// The BGP peer is the first address in the message that is not the
		// start of the prefix.
		for _, s := range anyIPv4.FindAllString(msg, -1) {
			if a, err := netip.ParseAddr(s); err == nil && !strings.HasPrefix(d["prefix"], s+"/") {
				e.DstIP = a
				d["bgp_peer"] = s
				break
			}
		}
		e.Rule.Reason = strings.TrimSpace(strings.TrimSuffix(strings.ToLower(op), "event") + " " + d["prefix"])
	case "p2sdiagnosticlog":
		low := strings.ToLower(msg)
		switch {
		case strings.Contains(low, "connection successful"), strings.Contains(low, "authentication succeeded"):
			e.Verdict = event.VerdictAllow
		case strings.Contains(low, "connection failed"), strings.Contains(low, "authentication failed"):
			e.Verdict = event.VerdictDeny
		}
		if m := p2sIP.FindStringSubmatch(msg); m != nil {
			// On success lines IP= is the address assigned from the client
			// pool; on connect requests the client's public address with its
			// first octet masked to 0 (not usable as an address).
			if a, err := netip.ParseAddr(m[1]); err == nil && !strings.Contains(low, "connect request") {
				e.SrcIP = a
			}
			d["client_ip"] = m[1]
		}
		if m := p2sUser.FindStringSubmatch(msg); m != nil {
			e.Caller = m[1]
		}
		if m := p2sOVPN.FindStringSubmatch(msg); m != nil {
			d["p2s_session"] = m[1]
		}
		e.Rule.Reason = firstLine(msg, 120)
	default: // GatewayDiagnosticLog
		setDetail(d, "operation_status", firstS(r, "operationStatus"))
		setDetail(d, "remote_site", firstS(r, "configuration.RemoteStie", "configuration.RemoteSite"))
		setDetail(d, "traffic_type", firstS(r, "configuration.ConnectionTrafficType"))
		low := strings.ToLower(msg)
		switch {
		case strings.Contains(low, "upgrade gateway started"), strings.EqualFold(op, "HostMaintenanceEvent"):
			d["maintenance"] = "true"
		case strings.EqualFold(op, "GatewayTenantPrimaryChanged"):
			d["failover"] = "true"
		}
		e.Rule.Reason = strings.TrimSpace(op + " " + firstS(r, "operationStatus"))
	}
	if len(d) > 0 {
		e.Detail = d
	}
	return o.Emit(&e)
}
