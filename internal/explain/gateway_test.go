package explain

import (
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/topology/load"
)

// macGW is the hub gateway's instance MAC; 10.10.255.4 its instance
// address in GatewaySubnet.
const macGW = "000D3A0000F1"

// branchWithInstances is branch.yaml whose gateway lists its instance's
// MAC (withMAC) or only its instance address.
func branchWithInstances(t *testing.T, withMAC bool) *azure.Engine {
	t.Helper()
	n, _, err := load.Load(filepath.Join("testdata", "branch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	g := n.Gateway("gw-hub")
	g.InstanceIPs = []netip.Addr{ip("10.10.255.4")}
	if withMAC {
		g.InstanceMACs = []string{"00-0d-3a-00-00-f1"}
	}
	n.Index()
	return azure.New(n, azure.Options{})
}

// storyGatewayFlowLog: the admin's RDP session to the jump host crosses
// the hub gateway, whose instance writes VNet flow logs (its tuples carry
// the admin's and the jump host's addresses, never its own, except its BGP
// session); the jump host logs the session too.
func storyGatewayFlowLog() *logs {
	l := storyBranch(true)
	l.background(macJump, "10.10.1.4", 0, 55)
	for m := 0; m < 55; m += 10 {
		l.tuple(at(m, 30), macGW, "10.10.255.4", 50000+m, "192.168.50.1", 179, event.DirOut, "C", "PlatformRule", 4, 4)
	}
	for _, mac := range []string{macGW, macJump} {
		l.tuple(at(3, 10), mac, "192.168.50.10", 49822, "10.10.1.4", 3389, event.DirIn, "B", "UserRule_Allow-RDP-Branch", 0, 0)
		l.tuple(at(14, 0), mac, "192.168.50.10", 49822, "10.10.1.4", 3389, event.DirIn, "E", "UserRule_Allow-RDP-Branch", 400, 380)
	}
	return l
}

// TestGatewayInstanceFlowLog: VNet flow logs cover gateways. With the
// topology's instance MAC (or address), the instance's records are the
// gateway hop's evidence (the flow crossed it, or it logged other traffic
// and not this flow), never a NIC's.
func TestGatewayInstanceFlowLog(t *testing.T) {
	l := storyGatewayFlowLog()
	for _, withMAC := range []bool{true, false} {
		how := "its instance address 10.10.255.4"
		if withMAC {
			how = "the topology's instance MAC"
		}
		t.Run(how, func(t *testing.T) {
			eng := branchWithInstances(t, withMAC)
			opt := Options{At: at(10, 0), Now: t0.Add(6 * time.Hour)}
			p, err := Prepare(Query{From: "onprem:branch/admin-pc", To: "10.10.1.4:3389"}, eng)
			if err != nil {
				t.Fatal(err)
			}
			res := oneShot(t, p, l.evs, opt)
			if res.Verdict != VerdictDelivered || res.At != "nic:jump-nic" {
				t.Fatalf("got %s at %s\n%s", res.Verdict, res.At, dump(res))
			}
			if !strings.Contains(dump(res), "flow-log emitter "+macGW+" is gateway:gw-hub's instance ("+how) {
				t.Errorf("the gateway's emitter is not mapped by %s\n%s", how, dump(res))
			}
			gw, jump := hop(res, "gateway:gw-hub"), hop(res, "nic:jump-nic")
			if gw == nil || gw.Status != StatusSeen || !strings.Contains(gw.Seen, "its instances' flow log shows the flow crossing (2 tuple(s)") {
				t.Fatalf("gateway hop %+v\n%s", gw, dump(res))
			}
			for name, h := range map[string]*Hop{"gateway:gw-hub": gw, "nic:jump-nic": jump} {
				want := macJump
				if name == "gateway:gw-hub" {
					want = macGW
				}
				for _, e := range h.Evidence {
					if o := res.Citations[e.Citation].Origin; strings.Contains(o, "macAddress=") && !strings.Contains(o, "macAddress="+want) {
						t.Errorf("%s cites %s", name, o)
					}
				}
			}

			// The RDP to the app VM: the gateway's flow log was alive and
			// did not see it.
			p, err = Prepare(Query{From: "onprem:branch/admin-pc", To: "10.20.1.4:3389"}, eng)
			if err != nil {
				t.Fatal(err)
			}
			res = oneShot(t, p, l.evs, opt)
			if res.Verdict != VerdictNeverReachedAzure {
				t.Fatalf("got %s at %s\n%s", res.Verdict, res.At, dump(res))
			}
			if gw := hop(res, "gateway:gw-hub"); gw == nil || gw.Status != StatusNotSeen || !strings.Contains(gw.Seen, "none of this flow") {
				t.Errorf("gateway hop %+v\n%s", gw, dump(res))
			}
			if !strings.Contains(res.Summary, "reached nic:jump-nic") || strings.Contains(res.Summary, "reached gateway") {
				t.Errorf("summary: %s", res.Summary)
			}
		})
	}
}
