package logs

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// ExpressRoute Traffic Collector (docs/log-formats-more.md §4): table
// ATCExpressRouteCircuitIpfix (diagnostic category ExpressRouteCircuitIpfix)
// and the peering metadata tables. A flow record is **sampled** evidence
// (1 packet in 4,096): it proves that packets of the flow crossed the
// circuit edge in that minute, never how many. So its events are
// Aggregate, carry no packet counters (the sampled counts are in Detail)
// and say sampling=1:4096; the circuit and peering are beside them. There
// is no direction column: Microsoft's side of a peering is AS 12076, so a
// destination ASN of 12076 is "in" (toward Azure) and a source ASN of
// 12076 "out"; otherwise the direction is left empty.

// CategoryERIpfix is the Traffic Collector's flow-record category.
const CategoryERIpfix = "ExpressRouteCircuitIpfix"

// msASN is the autonomous system Microsoft uses on ExpressRoute peerings.
const msASN = 12076

// ERSampling is the Traffic Collector's fixed sampling rate, as events say it.
const ERSampling = "1:4096"

func parseExpressRoute(r *Record, o *Output) error {
	cat := r.Category()
	if strings.Contains(strings.ToLower(cat), "metadata") {
		return parseERMetadata(r, o, cat)
	}
	ts := firstS(r, "FlowRecordTime")
	t, err := ParseTime(ts)
	if ts == "" || err != nil {
		if t, err = r.Time(); err != nil {
			return Skipf(CodeBadTime, "%v", err)
		}
	}
	circuit := firstS(r, "ExRCircuitId")
	e := event.Event{Time: t, Source: event.SourceExpressRoute, Category: cat, Verdict: event.VerdictInfo, Aggregate: true,
		Emitter: strings.ToLower(lastIDSegment(circuit, "expressRouteCircuits")), EmitterID: strings.ToLower(circuit)}
	if e.Emitter == "" {
		e.Emitter = strings.ToLower(firstS(r, "ExRCircuitServiceKey"))
	}
	if e.SrcIP, err = erAddr(r, "SourceIp"); err != nil {
		return err
	}
	if e.DstIP, err = erAddr(r, "DestinationIp"); err != nil {
		return err
	}
	var perr error
	e.SrcPort, perr = portField(r, "SourcePort", perr)
	e.DstPort, perr = portField(r, "DestinationPort", perr)
	if perr != nil {
		return perr
	}
	proto := firstS(r, "Protocol", "IpProtocolIdentifier")
	if n, err := strconv.Atoi(proto); err == nil && n >= 0 && n <= 255 {
		e.Protocol = ProtocolName(n)
	} else if proto != "" {
		e.Protocol, _ = fwProtocol(proto)
	}
	if e.Protocol == "icmp" || e.Protocol == "icmpv6" {
		e.SrcPort, e.DstPort = 0, 0
		if n, ok := r.Int("IcmpType"); ok {
			e.ICMPType = int(n)
		}
	}
	srcASN, _ := r.Int("SrcAsn")
	dstASN, _ := r.Int("DstAsn")
	switch {
	case dstASN == msASN && srcASN != msASN:
		e.Direction = event.DirIn
	case srcASN == msASN && dstASN != msASN:
		e.Direction = event.DirOut
	}
	d := map[string]string{"sampling": ERSampling}
	setDetail(d, "peering", firstS(r, "PeeringType"))
	setDetail(d, "circuit_service_key", strings.ToLower(firstS(r, "ExRCircuitServiceKey")))
	setDetail(d, "direct_port", firstS(r, "ExRCircuitDirectPortId"))
	setDetail(d, "vlan", firstS(r, "Dot1qVlanId"))
	setDetail(d, "customer_vlan", firstS(r, "Dot1qCustomerVlanId"))
	setDetail(d, "collector", strings.ToLower(lastIDSegment(firstS(r, "ATCResourceId"), "azureTrafficCollectors")))
	setDetail(d, "sampled_packets", firstS(r, "NumberOfPackets"))
	setDetail(d, "sampled_bytes", firstS(r, "NumberOfBytes"))
	setDetail(d, "tcp_flags", firstS(r, "TcpFlag"))
	setDetail(d, "src_asn", firstS(r, "SrcAsn"))
	setDetail(d, "dst_asn", firstS(r, "DstAsn"))
	setDetail(d, "bgp_next_hop", firstS(r, "BgpNextHop"))
	switch e.Direction {
	case event.DirIn:
		d["edge"] = "to-azure"
	case event.DirOut:
		d["edge"] = "from-azure"
	}
	e.Detail = d
	return o.Emit(&e)
}

// parseERMetadata reads a peering metadata row (the VNets or public
// prefixes behind a circuit): an info event naming the circuit, with the
// prefix in Detail.
func parseERMetadata(r *Record, o *Output, cat string) error {
	t, err := r.Time()
	if err != nil {
		return Skipf(CodeBadTime, "%v", err)
	}
	circuit := firstS(r, "ExRCircuitId")
	e := event.Event{Time: t, Source: event.SourceExpressRoute, Category: cat, Verdict: event.VerdictInfo, Aggregate: true,
		Emitter: strings.ToLower(lastIDSegment(circuit, "expressRouteCircuits")), EmitterID: strings.ToLower(circuit)}
	d := map[string]string{"metadata": "true"}
	setDetail(d, "vnet", firstS(r, "VnetName"))
	setDetail(d, "vnet_id", strings.ToLower(firstS(r, "VnetId")))
	setDetail(d, "prefix", firstS(r, "VnetAddressPrefix", "IpPrefix", "PublicIpPrefix"))
	setDetail(d, "peering", firstS(r, "PeeringType"))
	e.Detail = d
	return o.Emit(&e)
}

// erAddr reads a Traffic Collector flow record's address column name,
// which every flow record has.
func erAddr(r *Record, name string) (netip.Addr, error) {
	s := firstS(r, name)
	if s == "" {
		return netip.Addr{}, Skipf(CodeBadRecord, "a Traffic Collector flow record without %s", name)
	}
	ip, ok := parseHostIP(s)
	if !ok {
		return netip.Addr{}, Skipf(CodeBadRecord, "%s %q is not an address", name, truncate(s, 60))
	}
	return ip, nil
}
