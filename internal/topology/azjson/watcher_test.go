package azjson

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/testenv"
	"github.com/pathproof/pathproof/internal/topology/arm"
)

// TestWatcherOutputs reads Azure's recorded Network Watcher answers.
func TestWatcherOutputs(t *testing.T) {
	cases := []struct {
		file, kind string
		check      func(w *WatcherOutput) string
	}{
		{"arm/rest-examples/NetworkWatcherNextHopGet.json", "next-hop", func(w *WatcherOutput) string {
			return strings.Join([]string{w.NextHop.NextHopType, w.NextHop.NextHopIP, arm.LastSegment(w.NextHop.RouteTableID), w.Request["sourceIPAddress"], w.Request["destinationIPAddress"]}, " ")
		}},
		{"arm/rest-examples/NetworkWatcherIpFlowVerify.json", "ip-flow", func(w *WatcherOutput) string {
			return strings.Join([]string{w.IPFlow.Access, w.IPFlow.RuleName, w.Request["direction"], w.Request["protocol"], w.Request["localIPAddress"], w.Request["localPort"]}, " ")
		}},
		{"arm/recorded/nic-effective-route-table.rest.json", "effective-routes", func(w *WatcherOutput) string {
			r := w.Routes[0]
			return strings.Join([]string{strconv.Itoa(len(w.Routes)), r.Source, r.State, strings.Join(r.AddressPrefixes, ","), r.NextHopType}, " ")
		}},
		{"arm/recorded/nic-effective-nsg.rest.json", "effective-nsg", func(w *WatcherOutput) string {
			r := w.NSGs[0].Rules[0]
			return strings.Join([]string{strconv.Itoa(len(w.NSGs)), w.NSGs[0].AssociationKind, strconv.Itoa(len(w.NSGs[0].Rules)), r.Name, r.Protocol, strconv.Itoa(r.Priority),
				strings.Join(r.SourcePrefixes, ","), strings.Join(r.ExpandedSources, ",")}, " ")
		}},
		{"arm/rest-examples/NetworkInterfaceEffectiveNSGList.json", "effective-nsg", func(w *WatcherOutput) string {
			return strings.Join([]string{strconv.Itoa(len(w.NSGs)), w.NSGs[0].AssociationKind, arm.LastSegment(w.NSGs[0].AssociationID), w.NSGs[0].Rules[0].Name}, " ")
		}},
	}
	wants := []string{
		"VnetLocal 10.0.0.1 rt1 10.0.0.5 10.0.0.10",
		"Allow Rule1 Outbound TCP 10.2.0.4 80",
		"17 Default Active 10.0.0.0/16 VnetLocal",
		"1 networkInterface 6 defaultSecurityRules/AllowVnetInBound All 65000 VirtualNetwork 10.0.0.0/16,168.63.129.16/32",
		"1 networkInterface nic1 securityRules/rule1",
	}
	for i, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(testenv.Shared(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Watcher == nil || doc.Watcher.Kind != c.kind {
				t.Fatalf("watcher = %+v, want kind %s", doc.Watcher, c.kind)
			}
			if got := c.check(doc.Watcher); got != wants[i] {
				t.Errorf("got  %s\nwant %s", got, wants[i])
			}
		})
	}
}
