package scenario

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/azure"
)

// ArgError is one argument of a question that a front end passed on
// wrong. Field names it as the question does (direction, protocol, local,
// remote), so the CLI prints it as its flag (--local) and the MCP server
// as its field (local); Error is the field's name and Msg.
type ArgError struct {
	Field string
	// Msg is what is wrong, after the field's name: `"x" is not IP:PORT`.
	Msg string
}

func (e *ArgError) Error() string { return e.Field + " " + e.Msg }

// IPFlowQuery is an IP flow verify question as `pathproof ip-flow` and the
// ip_flow_verify tool take it: the direction relative to the NIC (Inbound,
// Outbound), the protocol (TCP or UDP, the only two IP flow verify
// supports) and both ends as IP:PORT.
type IPFlowQuery struct {
	Direction, Protocol, Local, Remote string
}

// Flow checks q and returns it as the engine's flow; the first wrong
// argument is an *ArgError.
func (q IPFlowQuery) Flow() (azure.Flow, error) {
	d, ok := azure.ParseDirection(q.Direction)
	if !ok {
		return azure.Flow{}, &ArgError{"direction", "must be Inbound or Outbound"}
	}
	if !strings.EqualFold(q.Protocol, "TCP") && !strings.EqualFold(q.Protocol, "UDP") {
		return azure.Flow{}, &ArgError{"protocol", "must be TCP or UDP (IP flow verify supports only those)"}
	}
	local, err := netip.ParseAddrPort(q.Local)
	if err != nil {
		return azure.Flow{}, &ArgError{"local", fmt.Sprintf("%q is not IP:PORT", q.Local)}
	}
	remote, err := netip.ParseAddrPort(q.Remote)
	if err != nil {
		return azure.Flow{}, &ArgError{"remote", fmt.Sprintf("%q is not IP:PORT", q.Remote)}
	}
	return azure.Flow{Direction: d, Protocol: strings.ToUpper(q.Protocol),
		LocalIP: local.Addr(), LocalPort: int(local.Port()), RemoteIP: remote.Addr(), RemotePort: int(remote.Port())}, nil
}

// ArgsError is a combination of a question's arguments a front end got
// wrong: exactly one of Fields is needed (OneOf), or not both of two
// (NotBoth), or they need another field (Need), or all of them are needed
// (the rest empty), or together they are wrong as Msg says ("must be IP
// addresses"). Forms, when given, is each field's syntax (IP:PORT), said
// after its name.
type ArgsError struct {
	Fields, Forms  []string
	OneOf, NotBoth bool
	Need, Msg      string
}

func (e *ArgsError) Error() string { return e.Say(func(f string) string { return f }) }

// Say phrases e with each field named by name: the CLI passes one that
// spells a field as its flag ("--source and --destination are required").
// Two fields are joined with "and", more with commas.
func (e *ArgsError) Say(name func(field string) string) string {
	names := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		names[i] = name(f)
		if i < len(e.Forms) && e.Forms[i] != "" {
			names[i] += " " + e.Forms[i]
		}
	}
	sep := ", "
	if len(names) == 2 {
		sep = " and "
	}
	list := strings.Join(names, sep)
	switch {
	case e.OneOf:
		return "give exactly one of " + list
	case e.NotBoth:
		return "give " + strings.Join(names, " or ") + ", not both"
	case e.Need != "":
		return list + " need " + name(e.Need)
	case e.Msg != "":
		return list + " " + e.Msg
	}
	return list + " are required"
}

// NextHopQuery is a next hop question as `pathproof next-hop` and the
// next_hop tool take it: the source IP (a NIC, private endpoint or
// firewall) and the destination IP.
type NextHopQuery struct {
	From, To string
}

// Addrs checks q and returns its source and destination; when either is
// not an IP address the error is an *ArgsError naming both.
func (q NextHopQuery) Addrs() (src, dst netip.Addr, err error) {
	src, err1 := netip.ParseAddr(q.From)
	dst, err2 := netip.ParseAddr(q.To)
	if err1 != nil || err2 != nil {
		return netip.Addr{}, netip.Addr{}, &ArgsError{Fields: []string{"from", "to"}, Msg: "must be IP addresses"}
	}
	return src, dst, nil
}

// RoutesQuery is a routes question as `pathproof routes` and the routes
// tool take it: exactly one of a NIC (name or id), a subnet (VNET/SUBNET
// or id) and the private IP of a NIC, private endpoint or firewall; or,
// where the front end offers them (Extended), a NIC whose routes are
// compared with the live ones (CompareEffective) or a Virtual WAN hub
// (Hub) with at most one of its route table (RouteTable) and a connection
// (Connection) whose learned routes are shown.
type RoutesQuery struct {
	NIC, Subnet, IP                               string
	CompareEffective, Hub, RouteTable, Connection string
	// Extended says the front end offers compare_effective and hub, so
	// its errors name them.
	Extended bool
}

// Selector checks q and returns the subnet it selects, the zero
// SubnetSelector when the question is CompareEffective or Hub. The first
// wrong argument, in the order exactly one question, the hub's route
// table or connection, ip, is an *ArgsError or *ArgError.
func (q RoutesQuery) Selector() (SubnetSelector, error) {
	fields, vals := []string{"nic", "subnet", "ip"}, []string{q.NIC, q.Subnet, q.IP}
	if q.Extended {
		fields, vals = append(fields, "compare_effective", "hub"), append(vals, q.CompareEffective, q.Hub)
	}
	set := 0
	for _, v := range vals {
		if v != "" {
			set++
		}
	}
	if set != 1 {
		return SubnetSelector{}, &ArgsError{Fields: fields, OneOf: true}
	}
	hubArgs := []string{"route_table", "connection"}
	if q.Hub == "" && (q.RouteTable != "" || q.Connection != "") {
		return SubnetSelector{}, &ArgsError{Fields: hubArgs, Need: "hub"}
	}
	if q.RouteTable != "" && q.Connection != "" {
		return SubnetSelector{}, &ArgsError{Fields: hubArgs, NotBoth: true}
	}
	sel := SubnetSelector{NIC: q.NIC, Subnet: q.Subnet}
	if q.IP != "" {
		a, err := netip.ParseAddr(q.IP)
		if err != nil {
			return SubnetSelector{}, &ArgError{"ip", fmt.Sprintf("%q is not an IP address", q.IP)}
		}
		sel.IP = a
	}
	return sel, nil
}

// NSGDiagQuery is an NSG diagnostics question as `pathproof nsg-diag`
// takes it: the direction, the protocol (TCP, UDP, ICMP or Any, any
// case), the source (an IP, a CIDR or a service tag), the destination IP
// and the destination port (a number or *).
type NSGDiagQuery struct {
	Direction, Protocol, Source, Destination, Port string
}

// Flow checks q and returns it as the engine's flow; the first wrong
// argument, in the order direction, protocol, port, source and
// destination, is an *ArgError or *ArgsError; a source or destination of
// the wrong form is NSGDiagFlow's error.
func (q NSGDiagQuery) Flow() (azure.Flow, error) {
	d, ok := azure.ParseDirection(q.Direction)
	if !ok {
		return azure.Flow{}, &ArgError{"direction", "must be Inbound or Outbound"}
	}
	pr, ok := NSGProtocol(q.Protocol)
	if !ok {
		return azure.Flow{}, &ArgError{"protocol", "must be TCP, UDP, ICMP or Any"}
	}
	p := 0
	if q.Port != "*" {
		n, err := strconv.Atoi(q.Port)
		if err != nil || n < 0 || n > 65535 {
			return azure.Flow{}, &ArgError{"port", fmt.Sprintf("%q is not a port or *", q.Port)}
		}
		p = n
	}
	if q.Source == "" || q.Destination == "" {
		return azure.Flow{}, &ArgsError{Fields: []string{"source", "destination"}}
	}
	return NSGDiagFlow(d, pr, q.Source, q.Destination, p)
}

// NSGProtocol spells an NSG diagnostics protocol as Azure does (TCP, UDP,
// ICMP or Any), whatever its case; false when it is none of those.
func NSGProtocol(p string) (string, bool) {
	switch u := strings.ToUpper(p); u {
	case "TCP", "UDP", "ICMP":
		return u, true
	case "ANY":
		return "Any", true
	}
	return "", false
}

// FirewallQuestion is an Azure Firewall decision question as `pathproof
// firewall` takes it: the protocol (TCP, UDP, ICMP, HTTP, HTTPS or MSSQL,
// any case), the source IP[:PORT], exactly one of the destination IP:PORT
// (Dst) and NAME:PORT (FQDN), and where the packet arrived (internal, or
// public when addressed to a firewall public IP).
type FirewallQuestion struct {
	Protocol, Src, Dst, FQDN, ArrivedOn string
}

// Query checks q and returns it as the engine's query; the first wrong
// argument, in the order protocol, arrived_on, dst/fqdn, src, dst or
// fqdn, is an *ArgError or *ArgsError.
func (q FirewallQuestion) Query() (azure.FirewallQuery, error) {
	var fq azure.FirewallQuery
	switch strings.ToUpper(q.Protocol) {
	case "TCP", "UDP", "ICMP", "HTTP", "HTTPS", "MSSQL":
	default:
		return fq, &ArgError{"protocol", "must be TCP, UDP, ICMP, HTTP, HTTPS or MSSQL"}
	}
	if q.ArrivedOn != "internal" && q.ArrivedOn != "public" {
		return fq, &ArgError{"arrived_on", "must be internal or public"}
	}
	if (q.Dst == "") == (q.FQDN == "") {
		return fq, &ArgsError{Fields: []string{"dst", "fqdn"}, Forms: []string{"IP:PORT", "NAME:PORT"}, OneOf: true}
	}
	fq.Protocol, fq.ArrivedOn = strings.ToUpper(q.Protocol), q.ArrivedOn
	var err error
	if fq.SrcIP, fq.SrcPort, err = ipOptPort(q.Src, "src"); err != nil {
		return fq, err
	}
	if q.Dst != "" {
		fq.DstIP, fq.DstPort, err = ipPort(q.Dst, "dst")
	} else {
		fq.FQDN, fq.DstPort, err = namePort(q.FQDN, "fqdn")
	}
	return fq, err
}

// ipPort parses IP:PORT (port required); a wrong one is field's *ArgError.
func ipPort(s, field string) (netip.Addr, int, error) {
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return netip.Addr{}, 0, &ArgError{field, fmt.Sprintf("%q is not IP:PORT", s)}
	}
	return ap.Addr(), int(ap.Port()), nil
}

// ipOptPort parses IP or IP:PORT (port 0 when absent).
func ipOptPort(s, field string) (netip.Addr, int, error) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a, 0, nil
	}
	return ipPort(s, field)
}

// namePort parses NAME:PORT; a wrong one is field's *ArgError.
func namePort(s, field string) (string, int, error) {
	i := strings.LastIndexByte(s, ':')
	if i <= 0 {
		return "", 0, &ArgError{field, fmt.Sprintf("%q is not NAME:PORT", s)}
	}
	p, err := strconv.Atoi(s[i+1:])
	if err != nil || p < 0 || p > 65535 {
		return "", 0, &ArgError{field, fmt.Sprintf("%q: bad port", s)}
	}
	return s[:i], p, nil
}
