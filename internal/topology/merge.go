package topology

import "reflect"

// Merge appends every resource of o to n. Index n again afterwards.
func (n *Network) Merge(o *Network) {
	n.VNets = append(n.VNets, o.VNets...)
	n.Peerings = append(n.Peerings, o.Peerings...)
	n.RouteTables = append(n.RouteTables, o.RouteTables...)
	n.NSGs = append(n.NSGs, o.NSGs...)
	n.AdminRules = append(n.AdminRules, o.AdminRules...)
	n.ASGs = append(n.ASGs, o.ASGs...)
	n.NICs = append(n.NICs, o.NICs...)
	n.PrivateEndpoints = append(n.PrivateEndpoints, o.PrivateEndpoints...)
	n.LeftOut = append(n.LeftOut, o.LeftOut...)
	n.Firewalls = append(n.Firewalls, o.Firewalls...)
	n.FirewallPolicies = append(n.FirewallPolicies, o.FirewallPolicies...)
	n.IPGroups = append(n.IPGroups, o.IPGroups...)
	n.Gateways = append(n.Gateways, o.Gateways...)
	n.Connections = append(n.Connections, o.Connections...)
	n.OnPremSites = append(n.OnPremSites, o.OnPremSites...)
	n.InternetHosts = append(n.InternetHosts, o.InternetHosts...)
	n.LoadBalancers = append(n.LoadBalancers, o.LoadBalancers...)
	n.NATGateways = append(n.NATGateways, o.NATGateways...)
	n.VirtualWANs = append(n.VirtualWANs, o.VirtualWANs...)
	n.VirtualHubs = append(n.VirtualHubs, o.VirtualHubs...)
	n.RouteServers = append(n.RouteServers, o.RouteServers...)
	n.PrivateDNSZones = append(n.PrivateDNSZones, o.PrivateDNSZones...)
	n.DNSForwarders = append(n.DNSForwarders, o.DNSForwarders...)
	n.PublicDNS = append(n.PublicDNS, o.PublicDNS...)
	n.idx = nil
}

// DropNils removes nil entries (YAML "- " items) from every list of
// resources in n, recursively, so later code never meets a nil resource.
// Decoders call it on what they decoded.
func (n *Network) DropNils() { dropNils(reflect.ValueOf(n)) }

// Finish applies defaults, indexes and validates the network. Loaders that
// build a Network by hand call it once at the end.
func (n *Network) Finish(d *Diagnostics) {
	n.Index()
	n.Validate(d)
}
