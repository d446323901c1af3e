package demo

import (
	"strconv"
	"time"

	"github.com/pathproof/pathproof/internal/loggen"
)

// rdpDay is the day of the RDP story; the admin tries at 14:07-14:12.
var rdpDay = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// rdpStory: the branch admin's RDP to the new spoke VM never reaches Azure.
// The spoke was peered without "use remote gateways", so the hub gateway
// does not advertise 10.20.0.0/16 and the branch router has no route. The
// evidence proves logging was alive: the tunnel is up, the admin's RDP
// session to the hub jump host flows through it the whole time, the spoke
// VM logs its own traffic, and in the end the admin hops through the jump
// host, which the spoke VM does log (from 10.10.1.4, not from the branch).
var rdpStory = Story{
	Name:         "rdp-never-reaches-azure",
	Ticket:       "The branch admin's RDP to the new app VM (10.20.1.4) times out; RDP to the hub jump host works.",
	Proves:       "nothing in Azure saw the RDP while the gateway, jump host and app VM logged other traffic: the branch never sent it",
	Design:       "trace/rdp-from-branch.yaml",
	From:         "onprem:branch/admin-pc",
	To:           "10.20.1.4:3389",
	EvidenceFrom: "192.168.50.10",
	EvidenceTo:   "10.20.1.4:3389",
	At:           clock(rdpDay, 14, 10, 0, 0),
	Want: StoryWant{Verdict: "never-reached-azure", At: "onprem:branch", EvidenceVerdict: "never-reached-azure", EvidenceAt: "onprem:192.168.50.10",
		Says:         []string{"The tunnel and the site work: 192.168.50.10 reached nic:jump-nic"},
		EvidenceSays: []string{"The tunnel and the site work: 192.168.50.10 reached nic:10.10.1.4"}},
	write: writeRDP,
}

func writeRDP(k *storyKit) error {
	const (
		nsgMgmt  = "2b7c9e41-5d3a-4f60-9a1e-7c2d4b8f0a11"
		nsgApp   = "8e3f1a27-6b4c-4d59-b0e2-1f9a7c3d5e22"
		rdpGUID  = "c41d0b6e-2f7a-4e93-8d15-3a9c6e0f7b44"
		branchIP = "198.51.100.50"
	)
	at := func(h, m, s int) time.Time { return clock(rdpDay, h, m, s, 0) }
	// The tunnel to the branch comes up at 14:02 and stays up; BGP learns
	// the branch's prefix over it.
	k.script.VPNGateway("gw-hub",
		loggen.TunnelLog(at(14, 2, 15), true, "GatewayTenantWorker_IN_0", addr(branchIP), ""),
		loggen.RouteLog(at(14, 2, 35), "BgpConnectedEvent", addr("169.254.21.1"), "BGP peer 169.254.21.1 connected, remote AS 65050"),
		loggen.RouteLog(at(14, 2, 40), "BgpRouteUpdate", addr("169.254.21.1"), "Route 192.168.50.0/24 learned from 169.254.21.1, AS path 65050"),
	)
	// The admin's RDP session to the jump host crosses the tunnel from
	// 14:03 on; at 14:14 the admin gives up and hops from it to the app VM.
	k.script.VNetFlows(nic("hub", "000D3A4E1004"),
		loggen.Flow{Start: at(14, 3, 10), End: at(14, 40, 0), Open: true, Proto: 6, Src: addrPort("192.168.50.10:49822"), Dst: addrPort("10.10.1.4:3389"), Inbound: true,
			Rule: "Allow-RDP-Branch", RuleGUID: rdpGUID, ACL: nsgMgmt, PacketsSent: 41000, BytesSent: 5_300_000, PacketsRecv: 38000, BytesRecv: 31_000_000},
		tcp(at(14, 14, 20), at(14, 31, 5), "10.10.1.4:50110", "10.20.1.4:3389", false, "DefaultRule_AllowVnetOutBound", "", nsgMgmt, 9000, 1_200_000, 8700, 7_400_000),
		tcp(at(14, 5, 0), at(14, 5, 1), "10.10.1.4:50071", "20.190.160.20:443", false, "DefaultRule_AllowInternetOutBound", "", nsgMgmt, 14, 2900, 12, 7100),
	)
	// The app VM: its own outbound traffic all along, and the jump host's
	// RDP; nothing from 192.168.50.10.
	app := nic("spoke-app", "000D3A4E2004")
	for m := 0; m < 60; m += 6 {
		k.script.VNetFlows(app,
			tcp(at(14, m, 12), at(14, m, 13), "10.20.1.4:"+strconv.Itoa(50200+m), "168.63.129.16:80", false, "PlatformRule", "", "", 6, 900, 5, 1500),
			tcp(at(14, m+2, 40), at(14, m+2, 44), "10.20.1.4:"+strconv.Itoa(50300+m), "13.107.4.52:443", false, "DefaultRule_AllowInternetOutBound", "", nsgApp, 22, 4100, 31, 38000),
		)
	}
	k.script.VNetFlows(app,
		tcp(at(14, 14, 20), at(14, 31, 5), "10.10.1.4:50110", "10.20.1.4:3389", true, "DefaultRule_AllowVnetInBound", "", nsgApp, 9000, 1_200_000, 8700, 7_400_000))
	return nil
}
