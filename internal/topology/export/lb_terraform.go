package export

import (
	"fmt"
	"net/netip"
)

// loadBalancers writes each load balancer as Terraform manages it: an
// azurerm_lb with its frontends inline, and separate azurerm_lb_* resources
// for pools (IP-based members as azurerm_lb_backend_address_pool_address,
// NIC-based ones as azurerm_network_interface_backend_address_pool_association),
// probes, rules, inbound NAT rules (a single-NIC rule joined by
// azurerm_network_interface_nat_rule_association) and outbound rules.
func (w *tfWriter) loadBalancers() {
	e, rg := w.e, ResourceGroup
	for _, l := range e.n.LoadBalancers {
		id := e.lbID(l)
		var fes []any
		for _, f := range l.Frontends {
			fe := map[string]any{"id": id + "/frontendIPConfigurations/" + f.Name, "name": f.Name, "subnet_id": "", "private_ip_address": "",
				"private_ip_address_allocation": "", "public_ip_address_id": "", "public_ip_prefix_id": "",
				"gateway_load_balancer_frontend_ip_configuration_id": "", "zones": []any{}}
			if f.Subnet != "" {
				fe["subnet_id"], fe["private_ip_address_allocation"] = e.subnetRef(f.Subnet), "Static"
			}
			if f.PrivateIP.IsValid() {
				fe["private_ip_address"] = f.PrivateIP.String()
			}
			if f.PublicIP.IsValid() {
				fe["public_ip_address_id"] = w.pip(l.Name+"-"+f.Name, 0, f.PublicIP, false)
			}
			if g := e.n.GatewayFrontend(f); g != nil {
				fe["gateway_load_balancer_frontend_ip_configuration_id"] = e.lbID(g.LB()) + "/frontendIPConfigurations/" + g.Name
			} else if f.GatewayLB != "" {
				fe["gateway_load_balancer_frontend_ip_configuration_id"] = f.GatewayLB
			}
			fes = append(fes, fe)
		}
		sku := l.SKU
		if sku == "" {
			sku = "Standard"
		}
		w.add("azurerm_lb", l.Name, map[string]any{"id": id, "name": l.Name, "resource_group_name": rg, "sku": sku, "sku_tier": "Regional",
			"frontend_ip_configuration": orEmpty(fes), "tags": map[string]any{}}, false)
		child := func(kind, name string) string { return id + "/" + kind + "/" + name }
		for _, p := range l.BackendPools {
			pid := child("backendAddressPools", p.Name)
			tunnels := []any{}
			for _, t := range p.TunnelInterfaces {
				tunnels = append(tunnels, map[string]any{"type": t.Type, "protocol": t.Protocol, "port": t.Port, "identifier": t.Identifier})
			}
			v := map[string]any{"id": pid, "name": p.Name, "loadbalancer_id": id, "virtual_network_id": "", "tunnel_interface": tunnels}
			vnet := p.VNet
			if x := e.n.VNet(p.VNet); x != nil {
				vnet = e.vnetID(x)
			}
			if len(p.Addresses) > 0 {
				v["virtual_network_id"] = vnet
			}
			w.add("azurerm_lb_backend_address_pool", l.Name+"_"+p.Name, v, false)
			for i, a := range p.Addresses {
				name := fmt.Sprintf("address%d", i+1)
				w.add("azurerm_lb_backend_address_pool_address", l.Name+"_"+p.Name+"_"+name, map[string]any{"id": pid + "/addresses/" + name,
					"name": name, "backend_address_pool_id": pid, "ip_address": a.String(), "virtual_network_id": vnet}, false)
			}
			for _, ref := range p.NICs {
				nic := w.tfNICID(ref)
				w.add("azurerm_network_interface_backend_address_pool_association", l.Name+"_"+p.Name+"_"+ref, map[string]any{
					"id": nic + "/ipConfigurations/ipconfig1|" + pid, "network_interface_id": nic, "ip_configuration_name": "ipconfig1",
					"backend_address_pool_id": pid}, false)
			}
		}
		for _, pr := range l.Probes {
			w.add("azurerm_lb_probe", l.Name+"_"+pr.Name, map[string]any{"id": child("probes", pr.Name), "name": pr.Name, "loadbalancer_id": id,
				"protocol": pr.Protocol, "port": pr.Port, "request_path": pr.RequestPath, "interval_in_seconds": 15, "number_of_probes": 2}, false)
		}
		for _, r := range l.Rules {
			v := map[string]any{"id": child("loadBalancingRules", r.Name), "name": r.Name, "loadbalancer_id": id,
				"frontend_ip_configuration_name": r.Frontend, "frontend_ip_configuration_id": child("frontendIPConfigurations", r.Frontend),
				"protocol": r.Protocol, "frontend_port": r.FrontendPort, "backend_port": r.BackendPort, "backend_address_pool_ids": []any{},
				"probe_id": "", "floating_ip_enabled": r.FloatingIP, "disable_outbound_snat": r.DisableOutboundSNAT, "tcp_reset_enabled": false}
			if r.BackendPool != "" {
				v["backend_address_pool_ids"] = []any{child("backendAddressPools", r.BackendPool)}
			}
			if r.Probe != "" {
				v["probe_id"] = child("probes", r.Probe)
			}
			w.add("azurerm_lb_rule", l.Name+"_"+r.Name, v, false)
		}
		for _, r := range l.InboundNATRules {
			rid := child("inboundNatRules", r.Name)
			v := map[string]any{"id": rid, "name": r.Name, "resource_group_name": rg, "loadbalancer_id": id,
				"frontend_ip_configuration_name": r.Frontend, "frontend_ip_configuration_id": child("frontendIPConfigurations", r.Frontend),
				"protocol": r.Protocol, "backend_port": r.BackendPort, "floating_ip_enabled": r.FloatingIP, "backend_address_pool_id": "",
				"backend_ip_configuration_id": ""}
			if r.FrontendPortEnd > 0 {
				v["frontend_port_start"], v["frontend_port_end"] = r.FrontendPort, r.FrontendPortEnd
			} else {
				v["frontend_port"] = r.FrontendPort
			}
			if r.BackendPool != "" {
				v["backend_address_pool_id"] = child("backendAddressPools", r.BackendPool)
			}
			w.add("azurerm_lb_nat_rule", l.Name+"_"+r.Name, v, false)
			if r.NIC != "" {
				nic := w.tfNICID(r.NIC)
				w.add("azurerm_network_interface_nat_rule_association", l.Name+"_"+r.Name, map[string]any{"id": nic + "/ipConfigurations/ipconfig1|" + rid,
					"network_interface_id": nic, "ip_configuration_name": "ipconfig1", "nat_rule_id": rid}, false)
			}
		}
		for _, r := range l.OutboundRules {
			var fes []any
			for _, f := range r.Frontends {
				fes = append(fes, map[string]any{"id": child("frontendIPConfigurations", f), "name": f})
			}
			w.add("azurerm_lb_outbound_rule", l.Name+"_"+r.Name, map[string]any{"id": child("outboundRules", r.Name), "name": r.Name,
				"loadbalancer_id": id, "frontend_ip_configuration": orEmpty(fes), "backend_address_pool_id": child("backendAddressPools", r.BackendPool),
				"protocol": r.Protocol, "allocated_outbound_ports": 1024, "idle_timeout_in_minutes": 4, "tcp_reset_enabled": false}, false)
		}
	}
}

// tfNICID is the id of a NIC named by a pool or NAT rule, as nics writes it.
func (w *tfWriter) tfNICID(ref string) string {
	if n := w.e.n.NIC(ref); n != nil {
		return w.e.idOf(n.ID, "networkInterfaces", n.Name)
	}
	return ref
}

// natGateways writes azurerm_nat_gateway resources and, as Terraform keeps
// them apart, their public IP, public IP prefix and subnet associations.
func (w *tfWriter) natGateways() {
	e, rg := w.e, ResourceGroup
	for _, g := range e.n.NATGateways {
		id := e.idOf(g.ID, "natGateways", g.Name)
		w.add("azurerm_nat_gateway", g.Name, map[string]any{"id": id, "name": g.Name, "resource_group_name": rg, "sku_name": "Standard",
			"idle_timeout_in_minutes": 4, "zones": []any{}, "tags": map[string]any{}}, false)
		for i, a := range g.PublicIPs {
			pip := w.pip(g.Name, i, a, false)
			w.add("azurerm_nat_gateway_public_ip_association", fmt.Sprintf("%s_%d", g.Name, i+1), map[string]any{"id": id + "|" + pip,
				"nat_gateway_id": id, "public_ip_address_id": pip}, false)
		}
		for i, p := range g.PublicIPPrefixes {
			pfx := w.pipPrefix(g.Name, i, p)
			w.add("azurerm_nat_gateway_public_ip_prefix_association", fmt.Sprintf("%s_%d", g.Name, i+1), map[string]any{"id": id + "|" + pfx,
				"nat_gateway_id": id, "public_ip_prefix_id": pfx}, false)
		}
		for _, s := range g.Subnets {
			sid := e.subnetRef(s)
			w.add("azurerm_subnet_nat_gateway_association", g.Name+"_"+s, map[string]any{"id": sid, "subnet_id": sid, "nat_gateway_id": id}, false)
		}
	}
}

// pipPrefix writes an azurerm_public_ip_prefix and returns its id.
func (w *tfWriter) pipPrefix(owner string, i int, p netip.Prefix) string {
	name := fmt.Sprintf("%s-prefix%d", owner, i+1)
	id := w.e.idOf("", "publicIPPrefixes", name)
	w.add("azurerm_public_ip_prefix", name, map[string]any{"id": id, "name": name, "resource_group_name": ResourceGroup, "ip_prefix": p.String(),
		"prefix_length": p.Bits(), "ip_version": "IPv4", "sku": "Standard"}, false)
	return id
}
