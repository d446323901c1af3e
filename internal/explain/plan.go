package explain

import (
	"fmt"
	"net"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/trace"
)

// Plan is a query resolved against the topology and traced: what to look
// for in the evidence (every address and port the flow has on its way,
// NAT included) and the path it should take. Build it with Prepare before
// the logs load, so Keep can choose the events worth storing.
type Plan struct {
	q     Query
	proto string
	// src is the client's address; srcToken how the source resolved.
	src      netip.Addr
	srcToken string
	// dst/port are the destination as the client addresses it; fqdn the
	// name when DEST was one, paas its resource (kind keyvault, storage,
	// sql; name the account, vault or server).
	dst  netip.Addr
	port uint16
	fqdn string
	paas paasRef
	// pe is the private endpoint the name resolves to, when the topology
	// has one.
	pe *topology.PrivateEndpoint
	// dns is how the name resolved from the source when the topology
	// models DNS (resolve.go); nil otherwise.
	dns *azure.DNSAnswer

	// Trace is the simulated path; nil without a topology.
	Trace *trace.Result
	net   *topology.Network

	// addrs and ports are every address and port the flow may carry at
	// any hop (both legs, after NAT): the one-shot load keeps events that
	// touch them.
	addrs []netip.Addr
	ports []uint16
	// keepLo and keepHi bound the one-shot keep in time (KeepWithin);
	// zero: open.
	keepLo, keepHi time.Time
}

// paasRef names a PaaS resource by the service's DNS suffix.
type paasRef struct {
	Kind string // keyvault, storage, sql ("" when not a known PaaS name)
	Name string // the first label: vault, account or server name
}

func (r paasRef) token() string {
	if r.Kind == "" {
		return ""
	}
	return r.Kind + ":" + r.Name
}

// paasSuffixes maps service DNS suffixes (public and privatelink forms) to
// the hop kind and the log family that speaks for the service.
var paasSuffixes = []struct {
	suffix string
	kind   string
}{
	{".vault.azure.net", "keyvault"}, {".privatelink.vaultcore.azure.net", "keyvault"}, {".vaultcore.azure.net", "keyvault"},
	{".blob.core.windows.net", "storage"}, {".dfs.core.windows.net", "storage"}, {".file.core.windows.net", "storage"},
	{".queue.core.windows.net", "storage"}, {".table.core.windows.net", "storage"},
	{".privatelink.blob.core.windows.net", "storage"}, {".privatelink.dfs.core.windows.net", "storage"},
	{".database.windows.net", "sql"}, {".privatelink.database.windows.net", "sql"},
}

// privatelinkZones names the private DNS zone a client must resolve a
// service through, by hop kind.
var privatelinkZones = map[string]string{
	"keyvault": "privatelink.vaultcore.azure.net",
	"storage":  "privatelink.blob.core.windows.net",
	"sql":      "privatelink.database.windows.net",
}

// paasOf recognises a PaaS host name.
func paasOf(fqdn string) paasRef {
	h := strings.ToLower(strings.TrimSuffix(fqdn, "."))
	best := ""
	var ref paasRef
	for _, s := range paasSuffixes {
		if strings.HasSuffix(h, s.suffix) && len(s.suffix) > len(best) {
			name := strings.TrimSuffix(h, s.suffix)
			if name == "" || strings.Contains(name, ".") {
				continue
			}
			best, ref = s.suffix, paasRef{Kind: s.kind, Name: name}
		}
	}
	return ref
}

// sourceOfKind is the log family of a PaaS hop kind.
func sourceOfKind(kind string) event.Source {
	switch kind {
	case "keyvault":
		return event.SourceKeyVault
	case "storage":
		return event.SourceStorage
	case "sql":
		return event.SourceSQL
	case "appgw":
		return event.SourceAppGateway
	case kindFrontDoor:
		return event.SourceFrontDoor
	}
	return ""
}

// QueryError says the question names something pathproof does not know;
// Known lists what it does know nearby (NICs, private endpoints), so the
// user can correct the command line. The CLI exits 2 with it.
type QueryError struct {
	// Arg is the argument at fault: "from" or "to".
	Arg string
	// Msg says what is wrong.
	Msg string
	// Known lists nearby things pathproof knows ("nic:web-nic (10.1.0.4)").
	Known []string
}

func (e *QueryError) Error() string {
	s := "--" + e.Arg + ": " + e.Msg
	if len(e.Known) > 0 {
		s += "; known: " + strings.Join(e.Known, ", ")
	}
	return s
}

// Prepare resolves q against the topology of eng and traces it. eng nil
// means no topology: SRC must then be an address (IP, internet:IP or
// onprem:SITE/IP) and the path is inferred from the evidence later. A
// *QueryError reports an unknown SRC or DEST.
func Prepare(q Query, eng *azure.Engine) (*Plan, error) {
	p := &Plan{q: q}
	p.proto = strings.ToLower(strings.TrimSpace(q.Protocol))
	switch p.proto {
	case "":
		p.proto = "tcp"
	case "tcp", "udp", "icmp":
	default:
		return nil, &QueryError{Arg: "protocol", Msg: fmt.Sprintf("%q: want tcp, udp or icmp", q.Protocol)}
	}
	if err := p.parseDest(); err != nil {
		return nil, err
	}
	if eng != nil {
		p.net = eng.Net
	}
	if err := p.resolveSource(); err != nil {
		return nil, err
	}
	handled, err := p.resolveName(eng)
	if err != nil {
		return nil, err
	}
	if !handled {
		if err := p.resolveDest(); err != nil {
			return nil, err
		}
	}
	if eng != nil && p.dst.IsValid() {
		res, err := trace.TraceEngine(eng, trace.Query{From: q.From, Dst: p.dst, DstPort: p.port, Protocol: p.proto})
		if err != nil {
			return nil, &QueryError{Arg: "from", Msg: err.Error(), Known: p.nearestNICs(p.src)}
		}
		p.Trace = res
	}
	p.collectAddrs()
	return p, nil
}

// parseDest splits --to into an address or a name and the port.
func (p *Plan) parseDest() error {
	to := strings.TrimSpace(p.q.To)
	if to == "" {
		return &QueryError{Arg: "to", Msg: "missing: want IP:PORT or FQDN:PORT"}
	}
	if ap, err := netip.ParseAddrPort(to); err == nil {
		p.dst, p.port = ap.Addr().Unmap(), ap.Port()
	} else if ip, err := netip.ParseAddr(to); err == nil {
		p.dst = ip.Unmap()
	} else if host, port, err := net.SplitHostPort(to); err == nil {
		n, perr := strconv.ParseUint(port, 10, 16)
		if perr != nil || !validHost(host) {
			return &QueryError{Arg: "to", Msg: fmt.Sprintf("%q: want IP:PORT or FQDN:PORT", to)}
		}
		p.fqdn, p.port = strings.ToLower(strings.TrimSuffix(host, ".")), uint16(n)
		p.paas = paasOf(p.fqdn)
	} else if validHost(to) && p.proto == "icmp" {
		p.fqdn = strings.ToLower(strings.TrimSuffix(to, "."))
		p.paas = paasOf(p.fqdn)
	} else if validHost(to) {
		return &QueryError{Arg: "to", Msg: fmt.Sprintf("%q: give the port (FQDN:PORT) for %s", to, p.proto)}
	} else {
		return &QueryError{Arg: "to", Msg: fmt.Sprintf("%q: want IP:PORT or FQDN:PORT", to)}
	}
	if p.proto == "icmp" {
		p.port = 0
	} else if p.port == 0 {
		return &QueryError{Arg: "to", Msg: fmt.Sprintf("%q: give the port (IP:PORT or FQDN:PORT) for %s", to, p.proto)}
	}
	return nil
}

// validHost accepts a DNS name: labels of letters, digits and hyphens.
func validHost(h string) bool {
	h = strings.TrimSuffix(h, ".")
	if h == "" || len(h) > 253 || !strings.Contains(h, ".") {
		return false
	}
	for _, l := range strings.Split(h, ".") {
		if l == "" || len(l) > 63 {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return false
			}
		}
	}
	return true
}

// resolveSource resolves --from: through the topology when there is one
// (as trace does), else it must carry an address.
func (p *Plan) resolveSource() error {
	from := strings.TrimSpace(p.q.From)
	if from == "" {
		return &QueryError{Arg: "from", Msg: "missing: want an IP, nic:NAME, onprem:SITE/HOST or internet:IP"}
	}
	if p.net != nil {
		ep, err := trace.ResolveSource(p.net, from)
		if err != nil {
			var known []string
			if ip, perr := netip.ParseAddr(lastPart(from)); perr == nil {
				known = p.nearestNICs(ip)
			} else {
				known = p.similarNICs(lastPart(from))
			}
			return &QueryError{Arg: "from", Msg: err.Error(), Known: known}
		}
		p.src, p.srcToken = ep.IP.Unmap(), ep.String()
		return nil
	}
	kind, rest, hasKind := strings.Cut(from, ":")
	if ip, err := netip.ParseAddr(from); err == nil {
		p.src, p.srcToken = ip.Unmap(), ip.Unmap().String()
		return nil
	}
	switch {
	case hasKind && kind == trace.KindInternet:
		if ip, err := netip.ParseAddr(rest); err == nil {
			p.src, p.srcToken = ip.Unmap(), from
			return nil
		}
	case hasKind && kind == trace.KindOnPrem:
		if _, host, ok := strings.Cut(rest, "/"); ok {
			if ip, err := netip.ParseAddr(host); err == nil {
				p.src, p.srcToken = ip.Unmap(), from
				return nil
			}
		}
		return &QueryError{Arg: "from", Msg: fmt.Sprintf("%q: without --topology give the host as an address (onprem:SITE/IP)", from)}
	case hasKind && kind == trace.KindNIC:
		return &QueryError{Arg: "from", Msg: fmt.Sprintf("%q: a NIC name needs --topology; without one give the NIC's IP", from)}
	}
	return &QueryError{Arg: "from", Msg: fmt.Sprintf("%q: want an IP, nic:NAME, onprem:SITE/HOST or internet:IP", from)}
}

func lastPart(s string) string {
	if i := strings.LastIndexAny(s, ":/"); i >= 0 && strings.Count(s, ":") < 2 {
		return s[i+1:]
	}
	return s
}

// resolveDest resolves a destination name through the topology's private
// endpoints (then the firewall policies' DNS records); an address needs no
// resolving, but with a topology it must be one the network can reach.
func (p *Plan) resolveDest() error {
	if p.net == nil {
		return nil
	}
	if p.fqdn != "" {
		for _, pe := range p.net.PrivateEndpoints {
			if samePaaS(pe.Target.FQDN, p.fqdn) {
				p.pe, p.dst = pe, pe.IP
				return nil
			}
		}
		for _, pol := range p.net.FirewallPolicies {
			for _, r := range pol.DNSRecords {
				if strings.EqualFold(strings.TrimSuffix(r.FQDN, "."), p.fqdn) && r.IP.IsValid() {
					p.dst = r.IP.Unmap()
					return nil
				}
			}
		}
		// The name's public answer, when the topology records one: the
		// client reaches the service over its public endpoint (and the
		// trace shows the outbound source address the service sees).
		for _, r := range p.net.PublicDNS {
			if topology.CanonicalName(r.FQDN) == topology.CanonicalName(p.fqdn) && len(r.IPs) > 0 {
				p.dst = r.IPs[0].Unmap()
				return nil
			}
		}
		return &QueryError{Arg: "to", Msg: fmt.Sprintf("%s does not resolve in the topology (no private endpoint, firewall DNS record or public DNS answer has that name)", p.fqdn), Known: p.peNames()}
	}
	if o, ok := p.net.Owner(p.dst); ok && o.Kind == topology.OwnerPE {
		p.pe = o.PE
		if p.paas.Kind == "" {
			p.paas = paasOf(o.PE.Target.FQDN)
		}
	}
	if _, ok := p.net.Owner(p.dst); ok {
		return nil
	}
	if _, ok := p.net.PublicOwner(p.dst); ok {
		return nil
	}
	if p.dst.IsPrivate() || isCGNAT(p.dst) {
		for _, s := range p.net.OnPremSites {
			for _, pr := range s.Prefixes {
				if pr.Contains(p.dst) {
					return nil
				}
			}
		}
		for _, v := range p.net.VNets {
			for _, pr := range v.AddressSpace {
				if pr.Contains(p.dst) {
					return nil // inside a VNet: trace reports who (if anyone) owns it
				}
			}
		}
		return &QueryError{Arg: "to", Msg: fmt.Sprintf("%s is a private address no VNet, NIC, private endpoint or on-premises site of the topology has", p.dst), Known: p.nearestNICs(p.dst)}
	}
	return nil
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

func isCGNAT(ip netip.Addr) bool { return cgnat.Contains(ip) }

// samePaaS reports whether two host names name the same PaaS resource
// (kv.vault.azure.net and kv.privatelink.vaultcore.azure.net do).
func samePaaS(a, b string) bool {
	if strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, ".")) {
		return true
	}
	ra, rb := paasOf(a), paasOf(b)
	return ra.Kind != "" && ra == rb
}

// peNames lists the topology's private endpoints with their names.
func (p *Plan) peNames() []string {
	var out []string
	for _, pe := range p.net.PrivateEndpoints {
		s := "pe:" + pe.Name
		if pe.Target.FQDN != "" {
			s += " (" + pe.Target.FQDN + ", " + pe.IP.String() + ")"
		}
		out = append(out, s)
	}
	return out
}

// nearestNICs names up to three NICs closest to ip: same subnet first,
// then by address distance.
func (p *Plan) nearestNICs(ip netip.Addr) []string {
	if p.net == nil || !ip.IsValid() {
		return nil
	}
	type cand struct {
		nic  *topology.NIC
		same bool
		dist uint64
	}
	var cs []cand
	for _, n := range p.net.NICs {
		if !n.IP.IsValid() || n.IP.Is4() != ip.Is4() {
			continue
		}
		c := cand{nic: n, dist: addrDistance(n.IP, ip)}
		if s := n.SubnetRef(); s != nil && s.Prefix.Contains(ip) {
			c.same = true
		}
		cs = append(cs, c)
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].same != cs[j].same {
			return cs[i].same
		}
		return cs[i].dist < cs[j].dist
	})
	var out []string
	for i := 0; i < len(cs) && i < 3; i++ {
		out = append(out, fmt.Sprintf("nic:%s (%s)", cs[i].nic.Name, cs[i].nic.IP))
	}
	return out
}

func addrDistance(a, b netip.Addr) uint64 {
	x, y := a.As16(), b.As16()
	var d uint64
	for i := 8; i < 16; i++ {
		d = d<<8 | uint64(x[i]^y[i])
	}
	return d
}

// similarNICs names up to three NICs whose names are closest to name.
func (p *Plan) similarNICs(name string) []string {
	if p.net == nil {
		return nil
	}
	type cand struct {
		nic *topology.NIC
		d   int
	}
	var cs []cand
	for _, n := range p.net.NICs {
		cs = append(cs, cand{n, editDistance(strings.ToLower(name), strings.ToLower(n.Name))})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	var out []string
	for i := 0; i < len(cs) && i < 3; i++ {
		out = append(out, fmt.Sprintf("nic:%s (%s)", cs[i].nic.Name, cs[i].nic.IP))
	}
	return out
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// collectAddrs gathers every address and port the flow may carry.
func (p *Plan) collectAddrs() {
	add := func(a netip.Addr) {
		if a.IsValid() {
			a = a.Unmap()
			if !containsAddr(p.addrs, a) {
				p.addrs = append(p.addrs, a)
			}
		}
	}
	addPort := func(n uint16) {
		for _, x := range p.ports {
			if x == n {
				return
			}
		}
		p.ports = append(p.ports, n)
	}
	add(p.src)
	add(p.dst)
	if p.port != 0 {
		addPort(p.port)
	}
	if p.pe != nil {
		add(p.pe.IP)
	}
	if p.Trace != nil {
		for _, leg := range []trace.Leg{p.Trace.Forward, p.Trace.Return} {
			for _, h := range leg.Hops {
				add(h.Packet.Src)
				add(h.Packet.Dst)
			}
		}
		for _, h := range p.Trace.Forward.Hops {
			if h.Packet.DstPort != 0 {
				addPort(h.Packet.DstPort)
			}
		}
		for _, n := range p.Trace.NAT {
			add(n.SourceTo)
			add(n.DestinationTo)
			if n.DestinationPort != 0 {
				addPort(n.DestinationPort)
			}
		}
	}
}

// Addrs returns every address the flow may carry at any hop (both legs,
// NAT included): what a push-down query (internal/kql) asks the logs for.
func (p *Plan) Addrs() []netip.Addr { return slices.Clone(p.addrs) }

// hasAddr reports whether a is one of the flow's addresses.
func (p *Plan) hasAddr(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	for _, x := range p.addrs {
		if x == a {
			return true
		}
	}
	return false
}

func (p *Plan) hasPort(n uint16) bool {
	for _, x := range p.ports {
		if x == n {
			return true
		}
	}
	return false
}

// Keep returns the predicate a one-shot load sets as store.Loader.Keep: it
// counts every event in act (nil: no tally) and keeps the events the
// explanation can use: flow-log and firewall records that carry one of the
// flow's addresses (either side, any hop, NAT included) with one of its
// ports, PaaS records of the destination resource or from the client,
// application-rule records naming the destination, every VPN gateway
// record (tunnel state; few), and the client's other records that back a
// conclusion (its firewall and DNS proxy records, other NICs' inbound
// tuples from it: bounded by the client's traffic). It ignores the time window (a relative window
// is only known once all the data is read). Call it from one goroutine.
func (p *Plan) Keep(act *Activity) func(*event.Event) bool {
	return func(e *event.Event) bool {
		if act != nil {
			act.Observe(e)
		}
		return p.keepEvent(e)
	}
}

// keepEvent is keeps inside the keep window (KeepWithin).
func (p *Plan) keepEvent(e *event.Event) bool {
	return p.inKeepWindow(e.Time) && p.keeps(e)
}

func (p *Plan) relevant(e *event.Event) bool {
	switch e.Source {
	case event.SourceVPNGateway:
		return true
	case event.SourceDNS:
		return p.dnsRelevant(e)
	case event.SourceKeyVault, event.SourceStorage, event.SourceSQL, event.SourceAppGateway, event.SourceFrontDoor:
		if p.matchesResource(e) {
			return true
		}
		return p.hasAddr(e.SrcIP) || p.hasAddr(e.DstIP)
	}
	if !p.hasAddr(e.SrcIP) && !p.hasAddr(e.DstIP) {
		return p.fqdn != "" && e.FQDN != "" && strings.EqualFold(e.FQDN, p.fqdn)
	}
	if p.proto == "icmp" || e.Aggregate {
		return true
	}
	return p.hasPort(e.DstPort) || p.hasPort(e.SrcPort) || (e.DstPort == 0 && e.SrcPort == 0)
}

// matchesResource reports whether a PaaS record is about the destination
// resource: by host name, or by the resource name the record carries.
func (p *Plan) matchesResource(e *event.Event) bool {
	if p.fqdn != "" && e.FQDN != "" && samePaaS(e.FQDN, p.fqdn) {
		return true
	}
	return p.paas.Kind != "" && sourceOfKind(p.paas.Kind) == e.Source && strings.EqualFold(e.Emitter, p.paas.Name)
}
