package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// resolve looks name up with the system resolver, or with server when it
// is valid, and returns every address in answer order.
func resolve(ctx context.Context, name string, server netip.AddrPort, family Family, timeout time.Duration) (*DNSResult, []netip.Addr, *Failure) {
	res := &DNSResult{Name: name, Resolver: "system"}
	start := time.Now()
	var addrs []netip.Addr
	var f *Failure
	if !server.IsValid() {
		addrs, f = resolveSystem(ctx, name, family, timeout)
	} else {
		res.Resolver = server.String()
		addrs, f = resolveWith(ctx, res, name, server.String(), family, timeout)
	}
	res.LookupMS = ms(time.Since(start))
	res.Answers = []DNSAnswer{}
	for _, a := range addrs {
		res.Answers = append(res.Answers, DNSAnswer{Address: a.String(), Private: IsPrivate(a)})
	}
	res.PrivateLinkZone = PrivateLinkZone(name, res.CNAMEs)
	return res, addrs, f
}

func resolveSystem(ctx context.Context, name string, family Family, timeout time.Duration) ([]netip.Addr, *Failure) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, string(family), name)
	if err == nil {
		for i := range addrs {
			addrs[i] = addrs[i].Unmap()
		}
		if len(addrs) == 0 {
			return nil, newFailure(ClassDNSNXDomain, fmt.Sprintf("%s has no address records", name), "system resolver: empty answer")
		}
		return addrs, nil
	}
	var de *net.DNSError
	switch {
	case errors.As(err, &de) && de.IsNotFound:
		return nil, newFailure(ClassDNSNXDomain, fmt.Sprintf("%s does not resolve", name), "system resolver: "+err.Error())
	case errors.As(err, &de) && de.IsTimeout, errors.Is(err, context.DeadlineExceeded):
		return nil, newFailure(ClassDNSTimeout, fmt.Sprintf("no answer for %s within %s", name, timeout), "system resolver: "+err.Error())
	default:
		return nil, newFailure(ClassDNSTimeout, fmt.Sprintf("the resolver gave no usable answer for %s", name), "system resolver: "+err.Error())
	}
}

// resolveWith asks server directly (UDP, TCP on truncation) for A and/or
// AAAA records, following the CNAME chain in the answers.
func resolveWith(ctx context.Context, res *DNSResult, name, server string, family Family, timeout time.Duration) ([]netip.Addr, *Failure) {
	var types []uint16
	switch family {
	case IPv4:
		types = []uint16{dns.TypeA}
	case IPv6:
		types = []uint16{dns.TypeAAAA}
	default:
		types = []uint16{dns.TypeA, dns.TypeAAAA}
	}
	var addrs []netip.Addr
	nx := false
	seen := map[string]bool{}
	for _, qt := range types {
		m := new(dns.Msg)
		m.SetQuestion(dns.Fqdn(name), qt)
		m.RecursionDesired = true
		c := &dns.Client{Net: "udp", Timeout: timeout}
		r, _, err := c.ExchangeContext(ctx, m, server)
		if err == nil && r.Truncated {
			c.Net = "tcp"
			r, _, err = c.ExchangeContext(ctx, m, server)
		}
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return nil, newFailure(ClassDNSTimeout, fmt.Sprintf("%s did not answer for %s within %s", server, name, timeout), fmt.Sprintf("%s query: %v", dns.TypeToString[qt], err))
			}
			return nil, newFailure(ClassDNSTimeout, fmt.Sprintf("%s gave no answer for %s", server, name), fmt.Sprintf("%s query: %v", dns.TypeToString[qt], err))
		}
		res.Rcode = dns.RcodeToString[r.Rcode]
		switch r.Rcode {
		case dns.RcodeSuccess:
		case dns.RcodeNameError:
			nx = true
			continue
		default:
			return nil, newFailure(ClassDNSTimeout, fmt.Sprintf("%s answered %s for %s", server, res.Rcode, name), fmt.Sprintf("%s query: rcode %s", dns.TypeToString[qt], res.Rcode))
		}
		for _, rr := range r.Answer {
			switch v := rr.(type) {
			case *dns.CNAME:
				t := strings.TrimSuffix(v.Target, ".")
				if !seen[t] {
					seen[t] = true
					res.CNAMEs = append(res.CNAMEs, t)
				}
			case *dns.A:
				if a, ok := netip.AddrFromSlice(v.A.To4()); ok {
					addrs = append(addrs, a)
				}
			case *dns.AAAA:
				if a, ok := netip.AddrFromSlice(v.AAAA); ok {
					addrs = append(addrs, a)
				}
			}
		}
	}
	if len(addrs) == 0 {
		if nx {
			return nil, newFailure(ClassDNSNXDomain, fmt.Sprintf("%s does not exist (NXDOMAIN from %s)", name, server), "rcode NXDOMAIN")
		}
		return nil, newFailure(ClassDNSNXDomain, fmt.Sprintf("%s has no address records at %s (NODATA)", name, server), "rcode NOERROR, empty answer")
	}
	return addrs, nil
}

// cgnat is 100.64.0.0/10, shared address space Azure and carriers use
// inside private networks.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// IsPrivate reports whether a is not routable on the internet: RFC 1918,
// unique-local IPv6, shared address space, loopback or link-local.
func IsPrivate(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || cgnat.Contains(a) || a.IsUnspecified()
}

// privateLinkZones maps the public DNS zones of Azure services that
// support private endpoints to their private DNS zone (Azure docs,
// "Azure Private Endpoint private DNS zone values").
var privateLinkZones = map[string]string{
	"blob.core.windows.net":           "privatelink.blob.core.windows.net",
	"table.core.windows.net":          "privatelink.table.core.windows.net",
	"queue.core.windows.net":          "privatelink.queue.core.windows.net",
	"file.core.windows.net":           "privatelink.file.core.windows.net",
	"web.core.windows.net":            "privatelink.web.core.windows.net",
	"dfs.core.windows.net":            "privatelink.dfs.core.windows.net",
	"database.windows.net":            "privatelink.database.windows.net",
	"sql.azuresynapse.net":            "privatelink.sql.azuresynapse.net",
	"dev.azuresynapse.net":            "privatelink.dev.azuresynapse.net",
	"documents.azure.com":             "privatelink.documents.azure.com",
	"mongo.cosmos.azure.com":          "privatelink.mongo.cosmos.azure.com",
	"cassandra.cosmos.azure.com":      "privatelink.cassandra.cosmos.azure.com",
	"gremlin.cosmos.azure.com":        "privatelink.gremlin.cosmos.azure.com",
	"table.cosmos.azure.com":          "privatelink.table.cosmos.azure.com",
	"postgres.database.azure.com":     "privatelink.postgres.database.azure.com",
	"mysql.database.azure.com":        "privatelink.mysql.database.azure.com",
	"mariadb.database.azure.com":      "privatelink.mariadb.database.azure.com",
	"vault.azure.net":                 "privatelink.vaultcore.azure.net",
	"vaultcore.azure.net":             "privatelink.vaultcore.azure.net",
	"search.windows.net":              "privatelink.search.windows.net",
	"azurecr.io":                      "privatelink.azurecr.io",
	"azconfig.io":                     "privatelink.azconfig.io",
	"servicebus.windows.net":          "privatelink.servicebus.windows.net",
	"azure-devices.net":               "privatelink.azure-devices.net",
	"eventgrid.azure.net":             "privatelink.eventgrid.azure.net",
	"azurewebsites.net":               "privatelink.azurewebsites.net",
	"cognitiveservices.azure.com":     "privatelink.cognitiveservices.azure.com",
	"openai.azure.com":                "privatelink.openai.azure.com",
	"afs.azure.net":                   "privatelink.afs.azure.net",
	"datafactory.azure.net":           "privatelink.datafactory.azure.net",
	"adf.azure.com":                   "privatelink.adf.azure.com",
	"redis.cache.windows.net":         "privatelink.redis.cache.windows.net",
	"redisenterprise.cache.azure.net": "privatelink.redisenterprise.cache.azure.net",
	"purview.azure.com":               "privatelink.purview.azure.com",
	"digitaltwins.azure.net":          "privatelink.digitaltwins.azure.net",
	"monitor.azure.com":               "privatelink.monitor.azure.com",
	"oms.opinsights.azure.com":        "privatelink.oms.opinsights.azure.com",
	"ods.opinsights.azure.com":        "privatelink.ods.opinsights.azure.com",
	"agentsvc.azure-automation.net":   "privatelink.agentsvc.azure-automation.net",
	"azure-automation.net":            "privatelink.azure-automation.net",
	"service.signalr.net":             "privatelink.service.signalr.net",
	"api.azureml.ms":                  "privatelink.api.azureml.ms",
	"notebooks.azure.net":             "privatelink.notebooks.azure.net",
	"database.chinacloudapi.cn":       "privatelink.database.chinacloudapi.cn",
	"documents.azure.cn":              "privatelink.documents.azure.cn",
}

// PrivateLinkZone returns the Azure Private Link DNS zone name (or one of
// its aliases) belongs to, or "" when none does: a "privatelink" label
// anywhere, or a service zone that private endpoints override.
func PrivateLinkZone(name string, cnames []string) string {
	for _, n := range append([]string{name}, cnames...) {
		n = strings.ToLower(strings.TrimSuffix(n, "."))
		labels := strings.Split(n, ".")
		for i, l := range labels {
			if l == "privatelink" && i < len(labels)-1 {
				return strings.Join(labels[i:], ".")
			}
		}
	}
	n := strings.ToLower(strings.TrimSuffix(name, "."))
	for i := 0; i < len(n); i++ {
		if i == 0 || n[i-1] == '.' {
			if z, ok := privateLinkZones[n[i:]]; ok && i > 0 {
				return z
			}
		}
	}
	return ""
}

// privateLinkCheck flags a public answer for a private-link name.
func privateLinkCheck(res *DNSResult) *Failure {
	if res == nil || res.PrivateLinkZone == "" {
		return nil
	}
	var public []string
	for _, a := range res.Answers {
		if !a.Private {
			public = append(public, a.Address)
		}
	}
	if len(public) == 0 {
		return nil
	}
	ev := fmt.Sprintf("resolver %s answered %s", res.Resolver, strings.Join(public, ", "))
	if len(res.CNAMEs) > 0 {
		ev += " via " + strings.Join(res.CNAMEs, " -> ")
	}
	return newFailure(ClassDNSPrivateLinkPublic,
		fmt.Sprintf("%s is a private-link name (zone %s) but resolved to a public address", res.Name, res.PrivateLinkZone), ev)
}
