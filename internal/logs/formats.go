package logs

import (
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// The formats pathproof reads, in one place. A new log source is a parser
// file and one entry here.

// recordFormats are the JSON record formats. A record goes to the format
// one of whose Keys is its category (or Log Analytics table), else its
// operation name, else the insights-logs-* container it was read from;
// keys are matched case-insensitively and belong to one format each.
var recordFormats = []Format{
	{Name: "vnetflow", Source: event.SourceVNetFlow, Keys: []string{CategoryVNetFlow}, Parse: parseVNetRecord},
	{Name: "nsgflow", Source: event.SourceNSGFlow, Keys: []string{CategoryNSGFlow}, Parse: parseNSGRecord},
	{Name: "trafficanalytics", Source: event.SourceTrafficAnalytics,
		Keys: []string{"NTANetAnalytics", "AzureNetworkAnalytics_CL"}, Parse: parseTrafficAnalytics},
	{Name: "azfw", Source: event.SourceFirewall, Keys: azfwKeys(), Parse: parseAZFW},
	{Name: "azfw-legacy", Source: event.SourceFirewall,
		Keys: []string{CategoryFWNetworkRule, CategoryFWApplicationRule,
			"AzureFirewallNetworkRuleLog", "AzureFirewallNatRuleLog", "AzureFirewallApplicationRuleLog",
			"AzureFirewallIDSLog", "AzureFirewallThreatIntelLog"},
		Parse: parseFirewallLegacy},
	{Name: "azfw-dns", Source: event.SourceDNS, Keys: []string{"AZFWDnsQuery"}, Parse: parseAZFW},
	{Name: "azfw-dnsproxy", Source: event.SourceDNS,
		Keys: []string{CategoryFWDnsProxy, "AzureFirewallDnsProxyLog"}, Parse: parseDNSProxyLegacy},
	{Name: "dns", Source: event.SourceDNS, Keys: []string{CategoryDNSResponse, "DNSQueryLogs"}, Parse: parseDNSQueryLog},
	{Name: "appgw", Source: event.SourceAppGateway,
		Keys: []string{"ApplicationGatewayAccessLog", "ApplicationGatewayFirewallLog", "ApplicationGatewayPerformanceLog",
			"AGWAccessLogs", "AGWFirewallLogs", "AGWPerformanceLogs"},
		Parse: parseAppGateway},
	{Name: "storage", Source: event.SourceStorage,
		Keys: []string{"StorageRead", "StorageWrite", "StorageDelete",
			"StorageBlobLogs", "StorageFileLogs", "StorageQueueLogs", "StorageTableLogs"},
		Parse: parseStorage},
	{Name: "keyvault", Source: event.SourceKeyVault, Keys: []string{"AuditEvent", "AZKVAuditLogs"}, Parse: parseKeyVault},
	{Name: "sql", Source: event.SourceSQL, Keys: []string{"SQLSecurityAuditEvents"}, Parse: parseSQL},
	{Name: "vpngw", Source: event.SourceVPNGateway,
		Keys: []string{"GatewayDiagnosticLog", "TunnelDiagnosticLog", "RouteDiagnosticLog",
			"IKEDiagnosticLog", "P2SDiagnosticLog"},
		Parse: parseVPNGateway},
	{Name: "frontdoor", Source: event.SourceFrontDoor,
		Keys: []string{"FrontDoorAccessLog", "FrontDoorWebApplicationFirewallLog", "FrontDoorHealthProbeLog"}, Parse: parseFrontDoor},
	{Name: "expressroute", Source: event.SourceExpressRoute,
		Keys:  []string{CategoryERIpfix, "ATCExpressRouteCircuitIpfix", "ATCPrivatePeeringMetadata", "ATCMicrosoftPeeringMetadata"},
		Parse: parseExpressRoute},
	{Name: "cloudngfw", Source: event.SourcePaloAlto, Keys: []string{CategoryCloudNGFW}, Parse: parseCloudNGFW},
	{Name: "connmon", Source: event.SourceConnMon,
		Keys: []string{"NWConnectionMonitorTestResult", "NWConnectionMonitorPathResult",
			"NWConnectionMonitorDNSResult", "NWConnectionMonitorDestinationListenerResult"},
		Parse: parseConnMon},
}

// sniffers are the whole-file, non-JSON formats, tried in this order on
// inputs that do not start with '{' or '['; an input none claims is read
// as a Log Analytics CSV export.
var sniffers = []*Sniffer{
	{Name: "storage-analytics", Source: event.SourceStorage,
		Match: func(key string, head []byte) bool { return saLine.Match(head) },
		Read:  readStorageAnalytics},
	{Name: "vpn-troubleshoot", Source: event.SourceVPNGateway,
		Match: func(key string, head []byte) bool { return troubleshootKind(key, head) != "" },
		Read:  readTroubleshoot},
	{Name: "panos-syslog", Source: event.SourcePaloAlto, Match: panSyslogMatch, Read: readPANOSSyslog},
}

// formatsByKey indexes recordFormats by lower-cased key.
var formatsByKey = indexFormats(recordFormats)

// indexFormats maps every key of formats, lower-cased, to its format. It
// panics on a key two formats claim: the table above is wrong.
func indexFormats(formats []Format) map[string]*Format {
	m := map[string]*Format{}
	for i := range formats {
		f := &formats[i]
		for _, k := range f.Keys {
			lk := strings.ToLower(k)
			if _, dup := m[lk]; dup {
				panic("logs: format key in the table twice: " + k)
			}
			m[lk] = f
		}
	}
	return m
}
