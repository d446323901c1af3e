package logs

import (
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// ResourceEmitter returns the log family and the emitter the parsers give
// the events of a row of the Log Analytics table written by the resource
// resourceID (its _ResourceId), without the row: what a count of a
// table's rows per resource (a push-down's activity query) is a count of.
// ok is false when the emitter is not the resource (Traffic Analytics'
// emitter is a NIC's MAC in the row) or the table is not one pathproof
// maps this way. AzureDiagnostics rows are a firewall's when the resource
// is an Azure Firewall.
func ResourceEmitter(table, resourceID string) (source event.Source, emitter string, ok bool) {
	if resourceID == "" {
		return "", "", false
	}
	switch kind, fw := azfwCategories[strings.ToLower(table)]; {
	case fw && kind == azfwDNS:
		return event.SourceDNS, firewallName(resourceID), true
	case fw:
		return event.SourceFirewall, firewallName(resourceID), true
	}
	switch strings.ToLower(table) {
	case "azurediagnostics":
		if lastIDSegment(resourceID, "azureFirewalls") != "" {
			return event.SourceFirewall, firewallName(resourceID), true
		}
	case "azkvauditlogs":
		if v := lastIDSegment(resourceID, "vaults"); v != "" {
			return event.SourceKeyVault, strings.ToLower(v), true
		}
	case "storagebloblogs":
		if a := lastIDSegment(resourceID, "storageAccounts"); a != "" {
			return event.SourceStorage, strings.ToLower(a), true
		}
	}
	return "", "", false
}
