package loggen

import (
	"encoding/json"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// ExpressRouteFlow is one sampled flow record an ExpressRoute Traffic
// Collector writes for a circuit (ExpressRouteCircuitIpfix,
// docs/log-formats-more.md §4.2). No public row exists; the record follows
// the table's columns under properties, as every resource log does.
type ExpressRouteFlow struct {
	// At is the flow record time (when the circuit emitted it).
	At       time.Time
	Proto    int
	Src, Dst netip.AddrPort
	// ToAzure says which way it crossed the edge: the destination's ASN is
	// Microsoft's 12076 when true, the source's when false.
	ToAzure bool
	// Packets and Bytes are the sampled counts (default 1 packet, 60 bytes).
	Packets, Bytes int64
	// Peering is the peering type (default AzurePrivatePeering).
	Peering string
}

// erCircuit names a circuit's flows under a collector.
type erCircuit struct {
	collector, circuit string
}

// ExpressRoute adds sampled flow records of the circuit named circuit, as
// the Traffic Collector named collector writes them.
func (s *Script) ExpressRoute(collector, circuit string, flows ...ExpressRouteFlow) {
	if s.ers == nil {
		s.ers = map[erCircuit][]ExpressRouteFlow{}
	}
	k := erCircuit{collector, circuit}
	s.ers[k] = append(s.ers[k], flows...)
}

// erLine is one flow record and its event.
func erLine(f ExpressRouteFlow, atcID, circuitID, circuit, key string, seq int) ([]byte, event.Event) {
	at := f.At.UTC().Truncate(time.Second)
	emitted := at.Add(31 * time.Second)
	if f.Packets == 0 {
		f.Packets, f.Bytes = 1, 60
	}
	if f.Peering == "" {
		f.Peering = "AzurePrivatePeering"
	}
	srcASN, dstASN := 65010, 12076
	dir, edge := event.DirIn, "to-azure"
	if !f.ToAzure {
		srcASN, dstASN, dir, edge = 12076, 65010, event.DirOut, "from-azure"
	}
	props := map[string]any{"FlowRecordTime": at.Format(timeLayout), "ATCRegion": "westeurope", "ATCResourceId": atcID,
		"ExRCircuitId": circuitID, "ExRCircuitServiceKey": key, "ExRCircuitDirectPortId": "", "PeeringType": f.Peering,
		"Dot1qVlanId": 100, "Dot1qCustomerVlanId": 0, "SourceIp": f.Src.Addr().String(), "DestinationIp": f.Dst.Addr().String(),
		"SourcePort": f.Src.Port(), "DestinationPort": f.Dst.Port(), "Protocol": f.Proto, "IpProtocolIdentifier": f.Proto, "IcmpType": 0,
		"IpVerCode": 4, "IpClassOfService": 0, "MinTtl": 61, "MaxTtl": 61, "TcpFlag": 2, "NumberOfPackets": f.Packets, "NumberOfBytes": f.Bytes,
		"Flowsequence": seq, "SrcAsn": srcASN, "DstAsn": dstASN, "BgpNextHop": "10.255.0.5", "NextHop": "10.255.0.5", "SchemaVersion": "1.0"}
	line, _ := json.Marshal(map[string]any{"time": emitted.Format(timeLayout), "resourceId": atcID, "category": "ExpressRouteCircuitIpfix",
		"operationName": "ExpressRouteCircuitIpfix", "properties": props})
	proto := map[int]string{6: "tcp", 17: "udp", 1: "icmp"}[f.Proto]
	if proto == "" {
		proto = strconv.Itoa(f.Proto)
	}
	e := event.Event{Time: at, Source: event.SourceExpressRoute, Category: "ExpressRouteCircuitIpfix", Emitter: strings.ToLower(circuit),
		EmitterID: strings.ToLower(circuitID), Protocol: proto, SrcIP: f.Src.Addr(), SrcPort: f.Src.Port(), DstIP: f.Dst.Addr(), DstPort: f.Dst.Port(),
		Direction: dir, Verdict: event.VerdictInfo, Aggregate: true,
		Detail: map[string]string{"sampling": "1:4096", "peering": f.Peering, "edge": edge, "sampled_packets": strconv.FormatInt(f.Packets, 10)}}
	return append(line, '\n'), e
}

func (s *Script) writeExpressRoute() error {
	keys := make([]erCircuit, 0, len(s.ers))
	for k := range s.ers {
		keys = append(keys, k)
	}
	sortCircuits(keys)
	for _, k := range keys {
		flows := s.ers[k]
		atcID := s.g.armID("Microsoft.NetworkFunction", "azureTrafficCollectors", k.collector)
		circuitID := "/subscriptions/" + s.opt.Subscription + "/resourceGroups/" + s.opt.ResourceGroup + "/providers/Microsoft.Network/expressRouteCircuits/" + k.circuit
		key := s.g.guid()
		err := s.lines(len(flows), func(i int) time.Time { return flows[i].At },
			func(h time.Time) string { return resourceBlob("ExpressRouteCircuitIpfix", atcID, h) },
			func(i int) ([]byte, event.Event) { return erLine(flows[i], atcID, circuitID, k.circuit, key, 1000+i) })
		if err != nil {
			return err
		}
	}
	return nil
}

func sortCircuits(ks []erCircuit) {
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && (ks[j].collector < ks[j-1].collector || ks[j].collector == ks[j-1].collector && ks[j].circuit < ks[j-1].circuit); j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
}

// expressRouteKind writes n sampled records of on-premises clients talking
// to the VNet's NICs over a circuit, both ways.
func expressRouteKind(g *gen, n int64) error {
	s := NewScript(ScriptOptions{Out: g.opt.Out, Seed: g.opt.Seed + 3, Subscription: g.opt.Subscription, ResourceGroup: g.opt.ResourceGroup, Region: g.opt.Region, Expect: g.opt.Expect})
	span := time.Duration(g.opt.Hours) * time.Hour
	for i := int64(0); i < n; i++ {
		onprem := netip.AddrPortFrom(netip.AddrFrom4([4]byte{192, 168, 10, byte(10 + i%50)}), uint16(50000+i%10000))
		vm := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(4 + i%4)}), 443)
		f := ExpressRouteFlow{At: g.opt.Start.Add(span * time.Duration(i) / time.Duration(n)).Truncate(time.Minute), Proto: 6, Src: onprem, Dst: vm, ToAzure: true}
		if i%2 == 1 {
			f.Src, f.Dst, f.ToAzure = vm, onprem, false
		}
		s.ExpressRoute("demo-atc", "demo-er-circuit", f)
	}
	return g.merge(s.Write())
}
