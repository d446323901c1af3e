package loggen

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"path/filepath"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// TAOptions say what Traffic Analytics rows to write.
type TAOptions struct {
	// Out is the folder; the file is NTANetAnalytics.json in it, a Log
	// Analytics JSON export (an array of rows), since Traffic Analytics lives
	// in a workspace, not in a storage account.
	Out string
	// Start is the processing interval's start (an hour); Rows the number of
	// FlowLog rows (StatusMessage rows are added besides).
	Start time.Time
	Rows  int
	// Expect, when set, receives every event the rows stand for.
	Expect func(*event.Event)
}

// TrafficAnalytics writes NTANetAnalytics rows with the encodings real
// workspaces use (Allowed/Denied, Inbound/Outbound, TCP/UDP: not the
// documented A/D, I/O, T/U), a public-destination row using DestPublicIps,
// and a StatusMessage row that must produce nothing.
func TrafficAnalytics(opt TAOptions) (Result, error) {
	base := Options{Start: opt.Start, Out: opt.Out}
	base.Defaults()
	if base.Out == "" {
		return Result{}, fmt.Errorf("loggen: no output folder")
	}
	if opt.Rows <= 0 {
		opt.Rows = 10
	}
	g := &gen{opt: base}
	start := base.Start
	// The Origin key of a file outside the storage layout is its absolute path.
	key := filepath.Join(base.Out, "NTANetAnalytics.json")
	if abs, err := filepath.Abs(key); err == nil {
		key = abs
	}
	key = filepath.ToSlash(key)
	var rows []map[string]any
	ts := func(t time.Time) string { return t.UTC().Format(timeLayout) }
	for i := 0; i < opt.Rows; i++ {
		first := start.Add(time.Duration(i*60/opt.Rows) * time.Minute)
		src := netip.AddrFrom4([4]byte{10, 0, 0, byte(4 + i%4)})
		row := map[string]any{
			"TimeGenerated": ts(start.Add(70 * time.Minute)), "Type": "NTANetAnalytics", "SubType": "FlowLog", "FaSchemaVersion": "3",
			"FlowIntervalStartTime": ts(start), "FlowIntervalEndTime": ts(start.Add(time.Hour)),
			"FlowStartTime": ts(first), "FlowEndTime": ts(first.Add(30 * time.Second)),
			"SrcIp": src.String(), "MacAddress": fmt.Sprintf("00-0D-3A-10-00-%02X", i%4),
			"AclGroup":         "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/demo-rg/providers/Microsoft.Network/networkSecurityGroups/demo-nsg",
			"PacketsSrcToDest": 10 + i, "PacketsDestToSrc": 8 + i, "BytesSrcToDest": 1000 * (i + 1), "BytesDestToSrc": 900 * (i + 1),
		}
		e := event.Event{Time: first, Source: event.SourceTrafficAnalytics, Category: "NTANetAnalytics", Aggregate: true, SrcIP: src,
			Emitter: fmt.Sprintf("000D3A1000%02X", i%4), Origin: event.Origin{Key: "", Record: i}}
		switch i % 3 {
		case 0: // intra-VNet HTTPS allowed
			row["FlowType"], row["DestIp"], row["DestPort"], row["L4Protocol"], row["FlowDirection"], row["FlowStatus"], row["AclRule"], row["AllowedOutFlows"] =
				"IntraVNet", "10.0.1.5", 443, "TCP", "Outbound", "Allowed", "DefaultRule_AllowVnetOutBound", 3
			e.DstIP, e.DstPort, e.Protocol, e.Direction, e.Verdict, e.Count, e.Rule.Name = netip.MustParseAddr("10.0.1.5"), 443, "tcp", event.DirOut, event.VerdictAllow, 3, "DefaultRule_AllowVnetOutBound"
		case 1: // inbound SSH denied
			row["FlowType"], row["DestIp"], row["DestPort"], row["L4Protocol"], row["FlowDirection"], row["FlowStatus"], row["AclRule"], row["DeniedInFlows"] =
				"IntraVNet", "10.0.1.5", 22, "TCP", "Inbound", "Denied", "DefaultRule_DenyAllInBound", 2
			e.DstIP, e.DstPort, e.Protocol, e.Direction, e.Verdict, e.Count, e.Rule.Name = netip.MustParseAddr("10.0.1.5"), 22, "tcp", event.DirIn, event.VerdictDeny, 2, "DefaultRule_DenyAllInBound"
		default: // DNS to a public resolver, documented one-letter encodings
			row["FlowType"], row["DestIp"], row["DestPublicIps"], row["DestPort"], row["L4Protocol"], row["FlowDirection"], row["FlowStatus"], row["AclRule"], row["AllowedOutFlows"] =
				"ExternalPublic", "", "203.0.113.53|4|4|8|8|640|1280", 53, "U", "O", "A", "DefaultRule_AllowInternetOutBound", 4
			e.DstIP, e.DstPort, e.Protocol, e.Direction, e.Verdict, e.Count, e.Rule.Name = netip.MustParseAddr("203.0.113.53"), 53, "udp", event.DirOut, event.VerdictAllow, 4, "DefaultRule_AllowInternetOutBound"
		}
		rows = append(rows, row)
		if opt.Expect != nil {
			e.Origin.Key = key
			opt.Expect(&e)
		}
		g.res.Events++
	}
	rows = append(rows, map[string]any{"TimeGenerated": ts(start.Add(70 * time.Minute)), "Type": "NTANetAnalytics", "SubType": "StatusMessage", "FaSchemaVersion": "3"})
	b, err := g.create("NTANetAnalytics.json")
	if err != nil {
		return g.res, err
	}
	data, _ := json.MarshalIndent(rows, "", "  ")
	b.write(append(data, '\n'))
	return g.res, b.close()
}
