package loggen

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// VPNOptions say what VPN gateway diagnostic logs to write.
type VPNOptions struct {
	// Out is the folder the insights-logs-* containers are written under.
	Out string
	// Start is the UTC hour of the story.
	Start time.Time
	// Subscription, ResourceGroup and Gateway name the gateway (defaults as
	// Options, demo-vpngw).
	Subscription, ResourceGroup, Gateway string
	// Connection is the S2S connection name (default onprem-conn); Peer the
	// on-premises device's public address, Local the gateway's.
	Connection  string
	Peer, Local netip.Addr
	// Expect, when set, receives every event the generator means to write.
	Expect func(*event.Event)
}

// vpnRecord is a raw VPN gateway record. No raw record is published: the
// shape follows the common resource-log schema and the AzureDiagnostics
// columns (docs/log-formats-more.md §2.2; docs/vpn-gateway-logs.md).
type vpnRecord struct {
	Time          string         `json:"time"`
	ResourceID    string         `json:"resourceId"`
	Category      string         `json:"category"`
	OperationName string         `json:"operationName"`
	Level         string         `json:"level"`
	Properties    map[string]any `json:"properties"`
}

// VPNGateway writes one hour of a site-to-site story: a configuration push,
// the tunnel and BGP session up, a failover to the other instance, then a
// pre-shared key change on the device: IKE authentication failures, the
// tunnel down with no reconnect and BGP down after its hold time. Each
// category goes to its own container (GatewayDiagnosticLog,
// TunnelDiagnosticLog, IKEDiagnosticLog, RouteDiagnosticLog).
func VPNGateway(opt VPNOptions) (Result, error) {
	base := Options{Start: opt.Start, Subscription: opt.Subscription, ResourceGroup: opt.ResourceGroup, Out: opt.Out}
	base.Defaults()
	if base.Out == "" {
		return Result{}, fmt.Errorf("loggen: no output folder")
	}
	if opt.Gateway == "" {
		opt.Gateway = "demo-vpngw"
	}
	if opt.Connection == "" {
		opt.Connection = "onprem-conn"
	}
	if !opt.Peer.IsValid() {
		opt.Peer = netip.MustParseAddr("198.51.100.20")
	}
	if !opt.Local.IsValid() {
		opt.Local = netip.MustParseAddr("20.50.1.2")
	}
	g := &gen{opt: base, rng: rand.New(rand.NewPCG(9, 9))}
	id := g.armID("Microsoft.Network", "virtualNetworkGateways", opt.Gateway)
	h := base.Start
	peer, local := opt.Peer.String(), opt.Local.String()
	session := "9c6d5e2a-1f3b-4c7d-8e9f-0a1b2c3d4e5f"
	ike := func(dir, exch, text string) string {
		return fmt.Sprintf("SESSION_ID :{%s} Remote %s:500: Local %s:500: [%s]%s %s", session, peer, local, dir, exch, text)
	}
	type rec struct {
		at       time.Duration
		cat, op  string
		props    map[string]any
		verdict  event.Verdict
		key, val string // a Detail the parser must produce
	}
	recs := []rec{
		{2 * time.Minute, "GatewayDiagnosticLog", "SetConnectionConfiguration", map[string]any{"operationStatus": "Success", "message": "Connection configuration applied",
			"configuration": map[string]any{"Name": opt.Connection, "RemoteStie": "onprem-lng", "Ikeversion": "IKEv2", "ConnectionTrafficType": "Internet"}}, event.VerdictInfo, "connection", opt.Connection},
		{5 * time.Minute, "TunnelDiagnosticLog", "TunnelConnected", map[string]any{"instance": "GatewayTenantWorker_IN_0", "remoteIP": peer, "status": "Connected", "stateChangeReason": "", "message": "Tunnel connected"}, event.VerdictInfo, "tunnel_state", "connected"},
		{5*time.Minute + 20*time.Second, "RouteDiagnosticLog", "BgpConnectedEvent", map[string]any{"message": "BGP peer 169.254.21.1 connected, remote AS 65010"}, event.VerdictInfo, "bgp_state", "connected"},
		{5*time.Minute + 25*time.Second, "RouteDiagnosticLog", "BgpRouteUpdate", map[string]any{"message": "Route 192.168.10.0/24 learned from 169.254.21.1, AS path 65010"}, event.VerdictInfo, "prefix", "192.168.10.0/24"},
		{18 * time.Minute, "GatewayDiagnosticLog", "HostMaintenanceEvent", map[string]any{"operationStatus": "Success", "message": "Upgrade gateway started"}, event.VerdictInfo, "maintenance", "true"},
		{20 * time.Minute, "TunnelDiagnosticLog", "TunnelDisconnected", map[string]any{"instance": "GatewayTenantWorker_IN_0", "remoteIP": peer, "status": "Disconnected", "stateChangeReason": "Instance maintenance", "message": "Tunnel disconnected"}, event.VerdictInfo, "tunnel_state", "disconnected"},
		{20*time.Minute + 8*time.Second, "TunnelDiagnosticLog", "TunnelConnected", map[string]any{"instance": "GatewayTenantWorker_IN_1", "remoteIP": peer, "status": "Connected", "stateChangeReason": "", "message": "Tunnel connected"}, event.VerdictInfo, "instance", "GatewayTenantWorker_IN_1"},
		{40 * time.Minute, "TunnelDiagnosticLog", "TunnelDisconnected", map[string]any{"instance": "GatewayTenantWorker_IN_1", "remoteIP": peer, "status": "Disconnected", "stateChangeReason": "IKE SA deleted by peer", "message": "Tunnel disconnected"}, event.VerdictInfo, "tunnel_state", "disconnected"},
	}
	for i := 0; i < 4; i++ {
		at := 40*time.Minute + 10*time.Second + time.Duration(i)*30*time.Second
		recs = append(recs,
			rec{at, "IKEDiagnosticLog", "IKELogEvent", map[string]any{"instance": "GatewayTenantWorker_IN_1", "message": ike("SEND", "[SA_INIT]", "Sending IKE SA_INIT message")}, event.VerdictInfo, "ike_exchange", "SA_INIT"},
			rec{at + 200*time.Millisecond, "IKEDiagnosticLog", "IKELogEvent", map[string]any{"instance": "GatewayTenantWorker_IN_1", "message": ike("RECEIVED", "[SA_AUTH]", "Received IKE AUTH message")}, event.VerdictInfo, "ike_direction", "RECEIVED"},
			rec{at + 300*time.Millisecond, "IKEDiagnosticLog", "IKELogEvent", map[string]any{"instance": "GatewayTenantWorker_IN_1", "message": ike("SEND", "[NOTIFY]", "Sending Notify Message - Authentication failed")}, event.VerdictError, "ike_failure", "ike-auth-failed"},
		)
	}
	recs = append(recs, rec{43*time.Minute + 5*time.Second, "RouteDiagnosticLog", "BgpDisconnectedEvent", map[string]any{"message": "BGP peer 169.254.21.1 disconnected: hold timer expired"}, event.VerdictInfo, "bgp_state", "disconnected"})

	files := map[string]*blob{}
	count := map[string]int{}
	var order []string
	for _, r := range recs {
		b := files[r.cat]
		if b == nil {
			var err error
			b, err = g.create("insights-logs-" + strings.ToLower(r.cat) + "/resourceId=" + id + "/" + hourPath(h) + "/PT1H.json")
			if err != nil {
				return g.res, err
			}
			files[r.cat] = b
			order = append(order, r.cat)
		}
		at := h.Add(r.at)
		line, _ := json.Marshal(vpnRecord{Time: at.Format(timeLayout), ResourceID: id, Category: r.cat, OperationName: r.op, Level: "Informational", Properties: r.props})
		b.write(append(line, '\n'))
		g.res.Events++
		if opt.Expect != nil {
			e := event.Event{Time: at, Source: event.SourceVPNGateway, Category: r.cat, Emitter: strings.ToLower(opt.Gateway), EmitterID: strings.ToLower(id),
				Verdict: r.verdict, Detail: map[string]string{r.key: r.val, "operation": r.op},
				Origin: event.Origin{Key: b.key, Record: count[r.cat]}}
			opt.Expect(&e)
		}
		count[r.cat]++
	}
	for _, c := range order {
		if err := files[c].close(); err != nil {
			return g.res, err
		}
	}
	return g.res, nil
}
