package cli

import (
	"strconv"

	"github.com/spf13/pflag"

	"github.com/pathproof/pathproof/internal/loggen"
)

// addKindCountFlags adds the `generate logs` flags of the PaaS, VPN gateway,
// Traffic Analytics, DNS, Front Door, ExpressRoute and Palo Alto kinds (internal/loggen/paas_kinds.go): each sets the
// kind's count in opt.Counts.
func addKindCountFlags(fs *pflag.FlagSet, opt *loggen.Options) {
	for _, k := range []struct{ name, flag, usage string }{
		{"keyvault", "keyvault", "Key Vault AuditEvent records in all (served, firewall/RBAC/access-policy denials, 404, 401)"},
		{"storage", "storage", "Storage StorageRead/StorageWrite records in all (served, storage-firewall and RBAC denials)"},
		{"vpngw", "vpngw", "hours with a VPN gateway story (tunnel, IKE, BGP, gateway logs), at most --hours"},
		{"trafficanalytics", "ta-rows", "Traffic Analytics NTANetAnalytics rows (a Log Analytics export, NTANetAnalytics.json)"},
		{"dns", "dns", "DNS security policy query records (DnsResponse: answered, privatelink, NXDOMAIN, blocked)"},
		{"frontdoor", "frontdoor", "Front Door requests (access log: served, origin timeout, origin refused; WAF blocks)"},
		{"expressroute", "expressroute", "ExpressRoute Traffic Collector sampled flow records (both ways across a circuit)"},
		{"paloalto", "paloalto", "Palo Alto logs, half Cloud NGFW (a fluentbit_CL export), half PAN-OS syslog"},
	} {
		fs.Var(&countValue{counts: &opt.Counts, name: k.name}, k.flag, k.usage)
	}
}

// countValue is a flag that stores a non-negative count in a kind map.
type countValue struct {
	counts *map[string]int64
	name   string
}

func (c *countValue) String() string {
	if c.counts == nil || *c.counts == nil {
		return "0"
	}
	return strconv.FormatInt((*c.counts)[c.name], 10)
}

func (c *countValue) Set(s string) error {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return Usagef("%q is not a count (0 or more)", s)
	}
	if *c.counts == nil {
		*c.counts = map[string]int64{}
	}
	(*c.counts)[c.name] = n
	return nil
}

func (c *countValue) Type() string { return "int" }
