package logs

import (
	"testing"

	"github.com/pathproof/pathproof/internal/event"
)

// No public Traffic Collector row exists; these are built from the table's
// documented columns (docs/log-formats-more.md §4.2) and are synthetic.
const erRaw = `{"time":"2026-01-15T09:20:31.0000000Z","resourceId":"/SUBSCRIPTIONS/0/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORKFUNCTION/AZURETRAFFICCOLLECTORS/ATC-WEU","category":"ExpressRouteCircuitIpfix","operationName":"ExpressRouteCircuitIpfix","properties":{"FlowRecordTime":"2026-01-15T09:20:00.0000000Z","ATCRegion":"westeurope","ATCResourceId":"/subscriptions/0/resourceGroups/rg/providers/Microsoft.NetworkFunction/azureTrafficCollectors/atc-weu","ExRCircuitId":"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er-ams","ExRCircuitServiceKey":"0A1B2C3D-0000-4000-8000-000000000001","ExRCircuitDirectPortId":"","PeeringType":"AzurePrivatePeering","Dot1qVlanId":100,"Dot1qCustomerVlanId":0,"SourceIp":"192.168.10.20","DestinationIp":"10.5.1.4","SourcePort":50110,"DestinationPort":443,"Protocol":6,"IpProtocolIdentifier":6,"IcmpType":0,"IpVerCode":4,"IpClassOfService":0,"MinTtl":61,"MaxTtl":61,"TcpFlag":2,"NumberOfPackets":1,"NumberOfBytes":60,"Flowsequence":88120,"SrcAsn":65010,"DstAsn":12076,"SrcSubnet":"192.168.10.0","SrcMask":24,"DstSubnet":"10.5.0.0","DstMask":16,"BgpNextHop":"10.255.0.5","NextHop":"10.255.0.5","SchemaVersion":"1.0"}}`

const erRow = `{"TimeGenerated":"2026-01-15T09:20:31Z","FlowRecordTime":"2026-01-15T09:20:00Z","ExRCircuitId":"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er-ams","PeeringType":"AzurePrivatePeering","SourceIp":"192.168.10.20","DestinationIp":"10.5.1.4","SourcePort":50110,"DestinationPort":443,"Protocol":6,"NumberOfPackets":1,"NumberOfBytes":60,"SrcAsn":65010,"DstAsn":12076,"Type":"ATCExpressRouteCircuitIpfix"}`

const erCSVHeader = `TimeGenerated [UTC],FlowRecordTime [UTC],ExRCircuitId,PeeringType,SourceIp,DestinationIp,SourcePort,DestinationPort,Protocol,NumberOfPackets,NumberOfBytes,SrcAsn,DstAsn,Type`
const erCSVRow = `"1/15/2026, 9:20:31.000 AM","1/15/2026, 9:20:00.000 AM",/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er-ams,AzurePrivatePeering,192.168.10.20,10.5.1.4,50110,443,6,1,60,65010,12076,ATCExpressRouteCircuitIpfix`

func TestExpressRouteFramings(t *testing.T) {
	fs := append(rawFramings("insights-logs-expressroutecircuitipfix", erRaw), laFramings(erRow, erCSVHeader, erCSVRow)...)
	checkFramings(t, fs, event.SourceExpressRoute, func(t *testing.T, e event.Event) {
		if e.Emitter != "er-ams" || e.SrcIP.String() != "192.168.10.20" || e.DstIP.String() != "10.5.1.4" || e.DstPort != 443 || e.Protocol != "tcp" ||
			e.Direction != event.DirIn || !e.Aggregate || e.Verdict != event.VerdictInfo {
			t.Errorf("event %+v", e)
		}
		// Sampled: never packet counters, the flow record time (not the emit time).
		if e.PacketsSent != 0 || e.BytesSent != 0 || e.Time.Minute() != 20 || e.Time.Second() != 0 {
			t.Errorf("sampled record counted as packets or wrong time: %+v", e)
		}
		if e.Detail["sampling"] != "1:4096" || e.Detail["peering"] != "AzurePrivatePeering" || e.Detail["edge"] != "to-azure" || e.Detail["sampled_packets"] != "1" {
			t.Errorf("detail %v", e.Detail)
		}
	})
}

func TestExpressRouteDirectionAndMetadata(t *testing.T) {
	out := `{"time":"2026-01-15T09:21:00Z","category":"ExpressRouteCircuitIpfix","properties":{"ExRCircuitId":"/x/expressRouteCircuits/C","SourceIp":"10.5.1.4","DestinationIp":"192.168.10.20","SourcePort":443,"DestinationPort":50110,"Protocol":6,"SrcAsn":12076,"DstAsn":65010}}`
	unknown := `{"time":"2026-01-15T09:21:00Z","category":"ExpressRouteCircuitIpfix","properties":{"ExRCircuitId":"/x/expressRouteCircuits/C","SourceIp":"10.5.1.4","DestinationIp":"192.168.10.20","Protocol":1,"IcmpType":8}}`
	meta := `{"TimeGenerated":"2026-01-15T09:00:00Z","Type":"ATCPrivatePeeringMetadata","ExRCircuitId":"/x/expressRouteCircuits/C","VnetName":"hub","VnetAddressPrefix":"10.5.0.0/16"}`
	bad := `{"time":"2026-01-15T09:21:00Z","category":"ExpressRouteCircuitIpfix","properties":{"SourceIp":"10.5.1.4"}}`
	evs, rep := readString(t, "er.json", out+"\n"+unknown+"\n"+meta+"\n"+bad)
	if len(evs) != 3 || rep.SkipsByCode()[CodeBadRecord] != 1 {
		t.Fatalf("%d events, skips %v", len(evs), rep.Skips())
	}
	if evs[0].Direction != event.DirOut || evs[0].Detail["edge"] != "from-azure" {
		t.Errorf("from Azure: %+v", evs[0])
	}
	if evs[1].Direction != "" || evs[1].Protocol != "icmp" || evs[1].ICMPType != 8 {
		t.Errorf("no ASN: %+v", evs[1])
	}
	if evs[2].Detail["metadata"] != "true" || evs[2].Detail["prefix"] != "10.5.0.0/16" || evs[2].Emitter != "c" {
		t.Errorf("metadata: %+v", evs[2])
	}
}

func FuzzExpressRoute(f *testing.F) {
	f.Add([]byte(erRaw))
	f.Add([]byte(erRow))
	f.Add([]byte(`{"TimeGenerated":"2026-01-15T09:00:00Z","Type":"ATCMicrosoftPeeringMetadata"}`))
	f.Add([]byte(`{"time":"x","category":"ExpressRouteCircuitIpfix","properties":{"FlowRecordTime":"2026-01-15T09:00:00Z","SourceIp":"::1","DestinationIp":"::2","Protocol":"300","SourcePort":-1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(data, parseExpressRoute, func(e *event.Event) {
			if e.Source != event.SourceExpressRoute || !e.Aggregate || e.PacketsSent != 0 || e.PacketsRecv != 0 {
				t.Fatalf("event %+v", e)
			}
		})
	})
}
