package report

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/trace"
)

// The fixtures are hand-built Results in the shape explain produces, one
// per way the report must present a case. Tests of real explain runs are
// in explain_run_test.go.

var (
	ip  = netip.MustParseAddr
	t0  = time.Date(2026, 3, 14, 9, 26, 0, 0, time.UTC)
	sas = "https://stflowlogs.blob.core.windows.net/insights-logs-flowlogflowevent?sv=2022-11-02&ss=b&sig=SECRETSIGNATURE%2Bx%3D"
)

// nsgDenyTrace is the simulated path of nsgDeny: client NIC, hub firewall,
// server NIC whose NSG denies 443.
func nsgDenyTrace() *trace.Result {
	q := trace.Flow{Protocol: "tcp", Src: ip("10.1.1.4"), SrcPort: 0, Dst: ip("10.2.1.4"), DstPort: 443}
	return &trace.Result{
		Query:  q,
		Source: "nic:web-nic",
		Forward: trace.Leg{Result: trace.ResultDropped, Hops: []trace.Hop{
			{Kind: trace.KindNIC, Name: "web-nic", IP: ip("10.1.1.4"), VNet: "spoke-web", Packet: q},
			{Kind: trace.KindFirewall, Name: "fw-hub", IP: ip("10.0.1.4"), VNet: "hub", Packet: q},
			{Kind: trace.KindNIC, Name: "app-nic", IP: ip("10.2.1.4"), VNet: "spoke-app", Packet: q},
		}, Drop: &trace.Drop{At: "nic:app-nic", Reason: trace.DropNSGDeny, NSG: "app-nsg", Rule: "DenyWebInbound", Detail: "app-nsg denies 443 inbound", Fix: "allow 10.1.1.0/24 to 443 in app-nsg above DenyWebInbound"}},
		Return: trace.Leg{Result: trace.ResultNotApplicable},
	}
}

// nsgDeny is "an NSG deny at the server", explained with a topology: the
// client NIC and the firewall logged the request, the server NIC logged
// the deny.
func nsgDeny() *explain.Result {
	flow := &explain.Flow{Protocol: "tcp", Src: ip("10.1.1.4"), SrcPort: 50412, Dst: ip("10.2.1.4"), DstPort: 443}
	return &explain.Result{
		Verdict:    explain.VerdictDropped,
		At:         "nic:app-nic",
		Confidence: explain.ConfidenceHigh,
		Summary:    "The flow stopped at nic:app-nic: NSG app-nsg rule DenyWebInbound denied it inbound (the flow log shows the deny).",
		Hops: []explain.Hop{
			{Hop: "nic:web-nic", Leg: explain.LegForward, Role: "client NIC", Expected: "allows the request out (nsg-outbound: AllowVnetOutBound)", Seen: "logged the request leaving, allowed, no bytes back", Status: explain.StatusSeen, Packet: flow,
				Evidence: []explain.Evidence{{Citation: 0, Time: t0.Add(2 * time.Second), Source: "vnetflow", Verdict: "allow", Rule: "AllowVnetOutBound", Says: "the request left web-nic (state B, 3 packets out, none back)"}}},
			{Hop: "firewall:fw-hub", Leg: explain.LegForward, Role: "Azure Firewall", Expected: "allows it by network rule spokes/allow-web", Seen: "allowed by network rule spokes/allow-web", Status: explain.StatusSeen, Packet: flow,
				Evidence: []explain.Evidence{{Citation: 1, Time: t0.Add(2 * time.Second), Source: "firewall", Verdict: "allow", Rule: "net-coll/spokes/allow-web", Says: "the firewall allowed the request"}}},
			{Hop: "nic:app-nic", Leg: explain.LegForward, Role: "server NIC", Expected: "denies it inbound (nsg-inbound: app-nsg/DenyWebInbound)", Seen: "logged the request arriving and denied by DenyWebInbound", Status: explain.StatusDenied, Packet: flow,
				Evidence: []explain.Evidence{
					{Citation: 2, Time: t0.Add(2 * time.Second), Source: "vnetflow", Verdict: "deny", Rule: "DenyWebInbound", Says: "app-nic denied the request inbound"},
					{Citation: 3, Source: "simulation", Verdict: "deny", Rule: "app-nsg/DenyWebInbound", Says: "the simulation denies it here too"},
				}},
		},
		Findings: []explain.Finding{{Code: trace.DropNSGDeny, Severity: "error", Message: "app-nsg denies tcp 443 from 10.1.1.4 inbound (rule DenyWebInbound, priority 4000).", Fix: "allow 10.1.1.0/24 to 443 in app-nsg above DenyWebInbound", Citations: []int{2, 3}}},
		Citations: []explain.Citation{
			{Origin: "insights-logs-flowlogflowevent/resourceId=/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NW/FLOWLOGS/WEB/y=2026/m=03/d=14/h=09/m=00/macAddress=000D3A1B2C3D/PT1H.json", Record: 0, Tuple: 4, Kind: "log", Time: t0.Add(2 * time.Second),
				Quote: "2026-03-14T09:26:02.000Z vnetflow 000D3A1B2C3D tcp 10.1.1.4:50412 → 10.2.1.4:443 out allow rule=AllowVnetOutBound state=B"},
			{Origin: "fw-hub/AZFWNetworkRule.json", Record: 17, Kind: "log", Time: t0.Add(2 * time.Second),
				Quote: "2026-03-14T09:26:02.000Z firewall/AZFWNetworkRule fw-hub tcp 10.1.1.4:50412 → 10.2.1.4:443 allow rule=net-coll/spokes/allow-web"},
			{Origin: "insights-logs-flowlogflowevent/.../macAddress=000D3A4E5F60/PT1H.json", Record: 0, Tuple: 9, Kind: "log", Time: t0.Add(2 * time.Second),
				Quote: "2026-03-14T09:26:02.000Z vnetflow 000D3A4E5F60 tcp 10.1.1.4:50412 → 10.2.1.4:443 in deny rule=DenyWebInbound"},
			{Origin: explain.OriginSimulation, Record: 2, Kind: "simulation", Quote: "forward leg: nic:app-nic nsg-inbound deny app-nsg/DenyWebInbound"},
		},
		Window:    explain.Window{Since: t0.Add(-10 * time.Minute), Until: t0.Add(10 * time.Minute), Basis: "at"},
		Query:     explain.QueryInfo{From: "nic:web-nic", To: "10.2.1.4:443", Protocol: "tcp", Source: "nic:web-nic", SrcIP: ip("10.1.1.4"), DstIP: ip("10.2.1.4"), DstPort: 443, DstAddrs: []netip.Addr{ip("10.2.1.4")}},
		Reasoning: []explain.Step{{Text: "The simulation puts web-nic, fw-hub and app-nic on the path and denies at app-nic.", Citations: []int{3}}, {Text: "app-nic's flow log shows the deny by DenyWebInbound.", Citations: []int{2}}},
		Inputs:    explain.Inputs{Logs: []string{sas, "./logs/firewall"}, Topology: []string{"contoso.json"}},
	}
}

// hostileAsymmetric is an inferred path (no topology) with an asymmetric
// return, whose strings try every escape: markup, Markdown, control
// characters, pipes, backticks, a SAS token.
func hostileAsymmetric() *explain.Result {
	evil := "<script>alert('x')</script>"
	return &explain.Result{
		Verdict:      explain.VerdictAsymmetric,
		At:           "firewall:fw-" + evil,
		Confidence:   explain.ConfidenceMedium,
		Summary:      "The request arrived at nic:app-nic and it answered, but the reply crossed firewall:fw-" + evil + " which had no session and dropped it (INVALID).\x1b[31m",
		PathInferred: true,
		Hops: []explain.Hop{
			{Hop: "onprem:branch|1", Leg: explain.LegForward, Role: "on-premises site", Expected: "sends the request over the VPN (no Azure log)", Seen: "no Azure log", Status: explain.StatusSimulated},
			{Hop: "gateway:vpngw", Leg: explain.LegForward, Role: "virtual network gateway", Expected: "keeps its tunnel up", Seen: "tunnel `conn-branch` connected", Status: explain.StatusUp,
				Evidence: []explain.Evidence{{Citation: 0, Time: t0, Source: "vpngw", Verdict: "info", Says: "tunnel connected | *bold* [link](http://evil.example/)"}}},
			{Hop: "nic:app-nic", Leg: explain.LegForward, Role: "server NIC", Expected: "logs the request arriving (flow log, direction in) and the packets back", Seen: "logged the request arriving, allowed, 4 packets back", Status: explain.StatusAnswered,
				Evidence: []explain.Evidence{{Citation: 1, Time: t0.Add(3 * time.Second), Source: "vnetflow", Verdict: "allow", Rule: "AllowVnetInBound", Says: "the request arrived and app-nic answered"}}},
			{Hop: "nic:web-nic", Leg: explain.LegForward, Role: "client NIC", Expected: "logs the request leaving", Seen: "nothing in the window", Status: explain.StatusNotSeen},
			{Hop: "firewall:fw-" + evil, Leg: explain.LegReturn, Role: "Azure Firewall (reply path)", Expected: "sees the reply only (it logged no request)", Seen: "flow trace shows the SYN-ACK as INVALID", Status: explain.StatusDenied,
				Evidence: []explain.Evidence{{Citation: 2, Time: t0.Add(3 * time.Second), Source: "firewall", Verdict: "deny", Rule: "```" + evil, Says: "INVALID: a SYN-ACK without its SYN"}}},
			{Hop: "gateway:vpngw2", Leg: explain.LegReturn, Role: "virtual network gateway", Expected: "carries the reply", Seen: "no log covers it", Status: explain.StatusNotLogged},
		},
		Findings: []explain.Finding{
			{Code: explain.FindFlowTraceNeeded, Severity: "warning", Message: "Only flow trace proves it; fetched from " + sas, Fix: "Enable AZFWFlowTrace, reproduce, then switch it off (billed per record).", Citations: []int{2, 99}},
			{Code: explain.FindLogMissing, Severity: "error", Message: "No flow log for web-nic in the window.", Fix: "az network watcher flow-log create --vnet spoke-web ... AccountKey=abc123def456;"},
		},
		Citations: []explain.Citation{
			{Origin: "vpngw/GatewayDiagnosticLog.json", Record: 3, Kind: "log", Time: t0, Quote: "2026-03-14T09:26:00.000Z vpngw/TunnelDiagnosticLog vpngw tunnel_state=Connected connection=conn-branch"},
			{Origin: "flowlogs/app-nic.json", Record: 1, Tuple: 2, Kind: "log", Time: t0.Add(3 * time.Second), Quote: "2026-03-14T09:26:03.000Z vnetflow 000D3A4E5F60 tcp 192.168.20.10:50000 → 10.2.1.4:443 in allow rule=AllowVnetInBound state=E packets=4/4 bytes=300/600"},
			{Origin: "fw/flowtrace.json", Record: 0, Kind: "log", Time: t0.Add(3 * time.Second), Quote: "quote with ``` fence and " + evil + " and \x07 bell and " + sas},
			{Origin: explain.OriginInference, Kind: "inference", Quote: "web-nic's flow log shows 120 other flows in the window: logging was alive"},
		},
		Window:    explain.Window{Since: t0.Add(-time.Hour), Until: t0, Basis: "newest-hour"},
		Query:     explain.QueryInfo{From: "192.168.20.10", To: "10.2.1.4:443", Protocol: "tcp", Source: "192.168.20.10", SrcIP: ip("192.168.20.10"), DstIP: ip("10.2.1.4"), DstPort: 443},
		Reasoning: []explain.Step{{Text: "No topology: the path is inferred from where the evidence appears.", Citations: []int{0, 1, 2}}, {Text: "fw logged INVALID for the reply.", Citations: []int{2}}},
		Inputs: explain.Inputs{Logs: []string{sas}, DB: "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc123def456;",
			Skipped: []explain.Skipped{{Origin: "flowlogs/broken.json", Record: 7, Code: "logs.bad-json", Reason: "unexpected | end <b>"}}, SkippedTotal: 12},
	}
}

// noEvidence is the window without any log: no hops, nothing to draw.
func noEvidence() *explain.Result {
	return &explain.Result{
		Verdict:    explain.VerdictNoEvidence,
		Confidence: explain.ConfidenceHigh,
		Summary:    "The window holds no logs at all: no verdict without guessing.",
		Findings:   []explain.Finding{{Code: explain.FindLogMissing, Severity: "error", Message: "No log in the window.", Fix: "Pass the flow-log container with --logs."}},
		Window:     explain.Window{Basis: "empty"},
		Query:      explain.QueryInfo{From: "10.1.1.4", To: "10.2.1.4:443", Protocol: "tcp"},
	}
}

// keyVault403 is "Key Vault reached over its public endpoint because of
// DNS": delivered, and the vault's firewall answered 403.
func keyVault403() *explain.Result {
	return &explain.Result{
		Verdict:      explain.VerdictDelivered,
		At:           "keyvault:kv-payments",
		Confidence:   explain.ConfidenceHigh,
		Summary:      "The network delivered the request to keyvault:kv-payments, which refused it: HTTP 403 from the vault firewall (the caller 20.50.1.9 is public).",
		PathInferred: true,
		Answer:       &explain.Answer{Hop: "keyvault:kv-payments", Kind: "denied", HTTPStatus: 403, Layer: "vault-firewall", Text: "HTTP 403 ForbiddenByFirewall from the vault firewall", Citations: []int{0}},
		Hops: []explain.Hop{
			{Hop: "nic:10.4.1.4", Leg: explain.LegForward, Role: "client NIC", Expected: "logs the request leaving (flow log, direction out)", Seen: "not in the evidence", Status: explain.StatusNotLogged},
			{Hop: "keyvault:kv-payments", Leg: explain.LegForward, Role: "Key Vault", Expected: "logs the request (AuditEvent) with the caller's address and its answer", Seen: "answered 403 to 20.50.1.9 (vault-firewall)", Status: explain.StatusAnswered,
				Evidence: []explain.Evidence{{Citation: 0, Time: t0, Source: "keyvault", Verdict: "deny", Rule: "vault-firewall", Says: "SecretGet from 20.50.1.9 refused: 403 ForbiddenByFirewall"}}},
		},
		Findings: []explain.Finding{{Code: explain.FindPublicEndpoint, Severity: "warning", Message: "kv-payments has a private endpoint but was called from the public address 20.50.1.9: the client resolved the public name.", Fix: "Link privatelink.vaultcore.azure.net to the client's VNet.", Citations: []int{0}}},
		Citations: []explain.Citation{{Origin: "insights-logs-auditevent/KV-PAYMENTS/PT1H.json", Record: 4, Kind: "log", Time: t0,
			Quote: "2026-03-14T09:26:00.000Z keyvault/AuditEvent kv-payments 20.50.1.9 → kv-payments.vault.azure.net:443 deny 403 caller=20.50.1.9 denial_layer=vault-firewall"}},
		Window: explain.Window{Since: t0.Add(-10 * time.Minute), Until: t0.Add(10 * time.Minute), Basis: "at"},
		Query:  explain.QueryInfo{From: "10.4.1.4", To: "kv-payments.vault.azure.net:443", Protocol: "tcp", Source: "10.4.1.4", SrcIP: ip("10.4.1.4"), DstPort: 443, FQDN: "kv-payments.vault.azure.net", DstAddrs: []netip.Addr{ip("20.50.1.9")}},
	}
}

// notYetKnown is asked too early: the logs that decide have not landed.
func notYetKnown() *explain.Result {
	return &explain.Result{
		Verdict:      explain.VerdictNotYetKnown,
		At:           "",
		Confidence:   explain.ConfidenceLow,
		Summary:      "Nothing decides yet and the window ends 2 minutes ago: flow logs take about 10 minutes to land.",
		RetryAfter:   t0.Add(10 * time.Minute),
		PathInferred: true,
		Hops: []explain.Hop{
			{Hop: "nic:web-nic", Leg: explain.LegForward, Role: "client NIC", Expected: "logs the request leaving", Seen: "nothing yet", Status: explain.StatusNotSeen},
		},
		Findings: []explain.Finding{{Code: explain.FindNotLanded, Severity: "info", Message: "The window ends less than 10 minutes before now.", Fix: "Run the same explain again after 09:36:00Z."}},
		Window:   explain.Window{Since: t0.Add(-10 * time.Minute), Until: t0, Basis: "range"},
		Query:    explain.QueryInfo{From: "nic:web-nic", To: "10.2.1.4:443", Protocol: "tcp"},
	}
}

// origin is the origin citation i of r names.
func origin(r *explain.Result, i int) event.Origin {
	c := r.Citations[i]
	return event.Origin{Key: c.Origin, Record: c.Record, Tuple: c.Tuple}
}

// plantedSecrets are in the raw records of the fixtures; none may reach a
// report.
var plantedSecrets = []string{"PLANTEDSAS", "ESCAPEDSAS", "PLANTEDKEY", "TEXTSECRET", "PLANTEDPW"}

// nsgDenyRaw: the client NIC's flow record (its fourth tuple cited) with a
// SAS planted in it, plainly and with its '=' and '&' escaped as Azure's
// JSON writers may; the firewall's record, long enough to be cut; the
// server NIC's flow log gone since the verdict.
func nsgDenyRaw(r *explain.Result) map[event.Origin]Raw {
	var tuples []string
	for i := range 6 {
		tuples = append(tuples, fmt.Sprintf(`"1773480%03d000,10.1.1.4,10.2.1.%d,5041%d,443,6,O,B,NX,0,0,0,0"`, 360+i, 4+i, i))
	}
	flow := `{"time":"2026-03-14T09:27:00.1234567Z","flowLogVersion":4,"flowLogGUID":"66aa66aa-6666-4aaa-aaaa-666666666666","macAddress":"000D3A1B2C3D","category":"FlowLogFlowEvent",` +
		`"flowLogResourceID":"/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NW/FLOWLOGS/WEB","targetResourceID":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke-web",` +
		`"operationName":"FlowLogFlowEvent","note":"exported from https://stflowlogs.blob.core.windows.net/x/PT1H.json?sv=2022-11-02&sig=PLANTEDSAS%2Bx and sv=1\u0026sig\u003dESCAPEDSAS, conn DefaultEndpointsProtocol=https;AccountKey=PLANTEDKEY==;",` +
		`"flowRecords":{"flows":[{"aclID":"00000000-1111-2222-3333-444444444444","flowGroups":[{"rule":"AllowVnetOutBound","flowTuples":[` + strings.Join(tuples, ",") + `]}]}]}}`
	fw := `{"time":"2026-03-14T09:26:02.5000000Z","resourceId":"/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/AZUREFIREWALLS/FW-HUB","category":"AZFWNetworkRule","properties":{"Protocol":"TCP","SourceIp":"10.1.1.4","SourcePort":50412,"DestinationIp":"10.2.1.4","DestinationPort":443,"Action":"Allow","Policy":"fwp","RuleCollectionGroup":"net","RuleCollection":"spokes","Rule":"allow-web","ActionReason":"","Padding":"` + strings.Repeat("0123456789abcdef", 300) + `","Tail":true}}`
	return map[event.Origin]Raw{
		origin(r, 0): {Record: []byte(flow), Size: len(flow), Tuple: strings.Trim(tuples[4], `"`)},
		origin(r, 1): {Record: []byte(fw), Size: len(fw) + 70000},
		origin(r, 2): {Err: errors.New("/logs/insights-logs-flowlogflowevent/.../macAddress=000D3A4E5F60/PT1H.json: open: no such file or directory")},
	}
}

// hostileRaw: records whose content tries every escape: markup, fences,
// control and bidi characters, a SAS in a text line; and an input read
// from stdin.
func hostileRaw(r *explain.Result) map[event.Origin]Raw {
	evil := "<script>alert('x')</script>"
	flow := `{"category":"FlowLogFlowEvent","macAddress":"000D3A4E5F60","note":"` + "```" + ` fence ` + "````" + ` and ` + evil + ` and \u001b[31m red and \u202e bidi","url":"https://user:PLANTEDPW@evil.example/a?sig=PLANTEDSAS","flowRecords":{"flows":[{"aclID":"x","flowGroups":[{"rule":"AllowVnetInBound","flowTuples":["1773480363000,192.168.20.10,10.2.1.4,50000,443,6,I,E,NX,4,300,4,600"]}]}]}}`
	line := "1.0;2026-03-14T09:26:03.0000000Z;GetBlob;SASSuccess;200;18;10;sas;;stclassic;blob;\"https://stclassic.blob.core.windows.net/c/b.txt?sv=2014-02-14&sig=TEXTSECRET\";\"/stclassic/c/b.txt\";a1;0;192.0.2.10:4362;" + evil + "\x07 ```` fence"
	return map[event.Origin]Raw{
		origin(r, 0): {Err: errors.New("read from standard input (--logs -), which cannot be read a second time")},
		origin(r, 1): {Record: []byte(flow), Size: len(flow), Tuple: "1773480363000,192.168.20.10,10.2.1.4,50000,443,6,I,E,NX,4,300,4,600"},
		origin(r, 2): {Record: []byte(line), Size: len(line)},
	}
}

// keyVaultRaw: the vault's AuditEvent as Azure writes it.
func keyVaultRaw(r *explain.Result) map[event.Origin]Raw {
	kv := `{"time":"2026-03-14T09:26:00.0000000Z","category":"AuditEvent","operationName":"SecretGet","resultType":"Success","resultSignature":"Forbidden","resultDescription":"Client address is not authorized and caller is not a trusted service.","durationMs":"12","callerIpAddress":"20.50.1.9","correlationId":"1f2e3d4c-5b6a-4789-8abc-def012345678","identity":{"claim":{"appid":"0c6d6c1a-2b3c-4d5e-8f90-123456789abc"}},"properties":{"id":"https://kv-payments.vault.azure.net/secrets/db-password","clientInfo":"azsdk-go-azsecrets/v1.1.0","httpStatusCode":403,"requestUri":"https://kv-payments.vault.azure.net/secrets/db-password/?api-version=7.4","isAccessPolicyMatch":false},"resourceId":"/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-PAYMENTS"}`
	return map[event.Origin]Raw{origin(r, 0): {Record: []byte(kv), Size: len(kv)}}
}
