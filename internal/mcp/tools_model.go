package mcp

import (
	"context"
	"fmt"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/pathproof/pathproof/internal/codes"
	_ "github.com/pathproof/pathproof/internal/codes/all" // every code-registering package
	"github.com/pathproof/pathproof/internal/scenario"
	"github.com/pathproof/pathproof/internal/trace"
	"github.com/pathproof/pathproof/internal/workspace"
)

type traceIn struct {
	From     string `json:"from" jsonschema:"the source: an IP, nic:NAME, onprem:SITE/HOST or internet:IP"`
	To       string `json:"to" jsonschema:"the destination as the client addresses it: IP:PORT (IP alone for icmp)"`
	Protocol string `json:"protocol,omitempty" jsonschema:"tcp (default), udp or icmp"`
	SrcPort  int    `json:"src_port,omitempty" jsonschema:"the client's source port (default 50000)"`
}

type routesIn struct {
	NIC    string `json:"nic,omitempty" jsonschema:"a NIC name or id (give exactly one of nic, subnet, ip)"`
	Subnet string `json:"subnet,omitempty" jsonschema:"a subnet as VNET/SUBNET or id"`
	IP     string `json:"ip,omitempty" jsonschema:"the private IP of a NIC, private endpoint or firewall"`
}

type rulesIn struct {
	NIC string `json:"nic" jsonschema:"a NIC name or id"`
}

type nextHopIn struct {
	From string `json:"from" jsonschema:"the source IP (a NIC, private endpoint or firewall in the topology)"`
	To   string `json:"to" jsonschema:"the destination IP"`
}

type ipFlowIn struct {
	Direction string `json:"direction" jsonschema:"Inbound or Outbound, relative to the NIC"`
	Protocol  string `json:"protocol" jsonschema:"TCP or UDP"`
	Local     string `json:"local" jsonschema:"the NIC's IP:PORT"`
	Remote    string `json:"remote" jsonschema:"the other end's IP:PORT"`
	NIC       string `json:"nic,omitempty" jsonschema:"the NIC name (default: the NIC owning the local IP)"`
}

type checkIn struct {
	File              string `json:"file" jsonschema:"a scenario file (pathproof.scenario/v1 YAML), by name inside the folders the server may read"`
	UseServerTopology bool   `json:"use_server_topology,omitempty" jsonschema:"run the queries against the server's topology instead of the file's own"`
}

type codesIn struct {
	Code   string `json:"code,omitempty" jsonschema:"one code, e.g. asymmetric-stateful or tcp.no-response"`
	Domain string `json:"domain,omitempty" jsonschema:"only codes of this domain: logs, model, trace, pcap, probe, explain"`
}

func (h *server) addModelTools(s *sdk.Server) {
	addTool(s, h.o.Log, tool{name: "trace", title: "Trace a flow hop by hop",
		desc: "Simulate one flow through the loaded Azure topology, forward and return legs hop by hop (NICs, firewalls, appliances, gateways, private endpoints, sites): " +
			"every NSG, route, firewall rule and NAT decision, where a leg is dropped and why, findings with the fix. Returns the JSON of `pathproof trace -o json`."},
		func(_ context.Context, in traceIn) (any, error) {
			e, err := h.ws.NeedEngine()
			if err != nil {
				return nil, err
			}
			if in.SrcPort == 0 {
				in.SrcPort = trace.DefaultSourcePort
			}
			q, err := trace.ParseQuery(in.From, in.To, in.Protocol, in.SrcPort)
			if err != nil {
				return nil, err
			}
			return trace.TraceEngine(e, q)
		})
	addTool(s, h.o.Log, tool{name: "routes", title: "Effective routes of a subnet",
		desc: "The effective route table of a subnet (chosen by a NIC in it, VNET/SUBNET, or an IP in it) as Azure computes it: system, gateway and user routes with source, " +
			"state, next hop type and IP. Returns the JSON of `pathproof routes -o json`."},
		func(_ context.Context, in routesIn) (any, error) {
			e, err := h.ws.NeedEngine()
			if err != nil {
				return nil, err
			}
			sel, err := scenario.RoutesQuery{NIC: in.NIC, Subnet: in.Subnet, IP: in.IP}.Selector()
			if err != nil {
				return nil, err
			}
			return scenario.EffectiveRoutes(e, sel)
		})
	addTool(s, h.o.Log, tool{name: "rules", title: "Effective security rules of a NIC",
		desc: "The effective security rules of a NIC: AVNM admin rules, the subnet NSG and the NIC NSG with default rules, service tags and ASGs expanded. " +
			"Returns the JSON of `pathproof rules -o json`."},
		func(_ context.Context, in rulesIn) (any, error) {
			e, err := h.ws.NeedEngine()
			if err != nil {
				return nil, err
			}
			return scenario.EffectiveRules(e, in.NIC)
		})
	addTool(s, h.o.Log, tool{name: "next_hop", title: "Next hop (Network Watcher, offline)",
		desc: "The next hop of a packet leaving the NIC that owns `from` toward `to`: next hop type and IP and the route table that chose it. Returns the JSON of `pathproof next-hop -o json`."},
		func(_ context.Context, in nextHopIn) (any, error) {
			e, err := h.ws.NeedEngine()
			if err != nil {
				return nil, err
			}
			src, dst, err := scenario.NextHopQuery{From: in.From, To: in.To}.Addrs()
			if err != nil {
				return nil, err
			}
			r, err := e.NextHop(src, dst)
			if err != nil {
				return nil, err
			}
			return scenario.NextHopAnswer(r), nil
		})
	addTool(s, h.o.Log, tool{name: "ip_flow_verify", title: "IP flow verify (Network Watcher, offline)",
		desc: "Which NSG rule allows or denies a flow at the NIC owning the local IP (AVNM admin rules, then the subnet and NIC NSGs in the order of the direction). " +
			"Returns the JSON of `pathproof ip-flow -o json`: access, rule_name and nsg (null when no NSG applies)."},
		func(_ context.Context, in ipFlowIn) (any, error) {
			e, err := h.ws.NeedEngine()
			if err != nil {
				return nil, err
			}
			fl, err := scenario.IPFlowQuery{Direction: in.Direction, Protocol: in.Protocol, Local: in.Local, Remote: in.Remote}.Flow()
			if err != nil {
				return nil, err
			}
			nic, err := scenario.NICFor(e.Net, in.NIC, fl.LocalIP)
			if err != nil {
				return nil, err
			}
			r, err := e.IPFlowVerify(nic, fl)
			if err != nil {
				return nil, err
			}
			return scenario.IPFlowAnswer(r), nil
		})
	addTool(s, h.o.Log, tool{name: "check", title: "Run a scenario file",
		desc: "Run every query of a pathproof scenario file (network assertions: routes, next hop, IP flow verify, NSG diagnostics, firewall decisions, path traces) " +
			"and report pass or fail per query with the differences. Returns the JSON of `pathproof check FILE -o json`."},
		func(_ context.Context, in checkIn) (any, error) {
			path, err := h.ws.Resolve(in.File)
			if err != nil {
				return nil, err
			}
			f, err := scenario.ReadFile(path)
			if err != nil {
				return nil, err
			}
			o := scenario.RunOptions{Engine: h.ws.EngineOptions}
			if in.UseServerTopology {
				if o.Topology = h.ws.Net; o.Topology == nil {
					return nil, fmt.Errorf("use_server_topology: %w", workspace.ErrNoTopology)
				}
			}
			return scenario.Run(f, o), nil
		})
	addTool(s, h.o.Log, tool{name: "codes", title: "What a pathproof code means",
		desc: "What a stable pathproof code (a verdict, drop reason, finding or failure class) means and what to check or change next. " +
			"Returns {\"codes\": [...]} holding the JSON of `pathproof codes [CODE] -o json`."},
		func(_ context.Context, in codesIn) (any, error) {
			list := codes.Select(in.Domain, in.Code)
			if in.Code != "" && len(list) == 0 {
				return nil, fmt.Errorf("no code %q (call codes without arguments for the list)", in.Code)
			}
			return map[string]any{"codes": list}, nil
		})
}
