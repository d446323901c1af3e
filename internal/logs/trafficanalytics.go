package logs

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// Traffic Analytics (docs/log-formats.md §7): NTANetAnalytics rows (VNet flow
// logs) and the legacy AzureNetworkAnalytics_CL rows (NSG flow logs, _s/_d
// suffixed columns), from Log Analytics JSON or CSV exports. Each row
// aggregates the flows of one (source, destination, destination port,
// protocol, direction, rule) key over a processing interval: the event is
// marked Aggregate, Count is the number of flows, and the packet and byte
// sums stay in Detail, never in the packet counters. The real encodings
// differ from the documentation (Allowed/Denied, Inbound/Outbound, TCP): both
// are accepted. Only FlowLog rows are evidence; StatusMessage rows are
// counted and produce nothing.

func parseTrafficAnalytics(r *Record, o *Output) error {
	sub := firstS(r, "SubType")
	if sub != "" && !strings.EqualFold(sub, "FlowLog") {
		return nil // processing status rows
	}
	tf := firstS(r, "FlowStartTime", "FlowStartTime_t", "FlowIntervalStartTime", "FlowIntervalStartTime_t")
	t, err := ParseTime(tf)
	if err != nil {
		if t, err = r.Time(); err != nil {
			return Skipf(CodeBadTime, "%v", err)
		}
	}
	cat := r.Table()
	if cat == "" {
		cat = r.Category()
	}
	base := event.Event{Time: t, Source: event.SourceTrafficAnalytics, Category: cat, Aggregate: true}
	base.Protocol = taProtocol(firstS(r, "L4Protocol"))
	switch strings.ToLower(firstS(r, "FlowDirection")) {
	case "i", "inbound":
		base.Direction = event.DirIn
	case "o", "outbound":
		base.Direction = event.DirOut
	}
	switch strings.ToLower(firstS(r, "FlowStatus")) {
	case "a", "allowed", "allow":
		base.Verdict = event.VerdictAllow
	case "d", "denied", "deny":
		base.Verdict = event.VerdictDeny
	default:
		base.Verdict = event.VerdictInfo
	}
	if p, ok := r.Int("DestPort"); ok && p >= 0 && p <= 65535 {
		base.DstPort = uint16(p)
	}
	base.Rule = event.Rule{Name: firstS(r, "AclRule", "NsgRule", "NSGRule"), ACL: firstS(r, "AclGroup", "NsgList", "NSGList")}
	mac := strings.ToUpper(strings.NewReplacer("-", "", ":", "").Replace(firstS(r, "MacAddress")))
	base.Emitter = mac
	if base.Emitter == "" {
		base.Emitter = firstS(r, "SrcVm", "DestVm")
	}
	d := map[string]string{}
	setDetail(d, "flow_type", firstS(r, "FlowType"))
	setDetail(d, "src_vm", firstS(r, "SrcVm", "VM1"))
	setDetail(d, "dest_vm", firstS(r, "DestVm", "VM2"))
	setDetail(d, "connection_type", firstS(r, "ConnectionType"))
	setDetail(d, "connection_name", firstS(r, "ConnectionName"))
	setDetail(d, "private_link_resource", firstS(r, "PrivateLinkResourceName"))
	setDetail(d, "flow_encryption", firstS(r, "FlowEncryption"))
	setDetail(d, "src_ports", firstS(r, "SrcPorts"))
	setDetail(d, "interval_end", firstS(r, "FlowIntervalEndTime", "FlowEndTime"))
	for _, k := range []string{"PacketsSrcToDest", "PacketsDestToSrc", "BytesSrcToDest", "BytesDestToSrc",
		"AllowedInFlows", "DeniedInFlows", "AllowedOutFlows", "DeniedOutFlows", "CompletedFlows"} {
		if n, ok := r.Int(k); ok {
			d[snake(k)] = strconv.FormatInt(n, 10)
		}
	}
	base.Count = taFlows(r)
	if len(d) > 0 {
		base.Detail = d
	}
	src := addrOf(firstS(r, "SrcIp", "SrcIP"))
	dst := addrOf(firstS(r, "DestIp", "DestIP"))
	var srcPub, dstPub []taPublic
	if !src.IsValid() {
		srcPub = taPublicIPs(firstS(r, "SrcPublicIps"))
	}
	if !dst.IsValid() {
		dstPub = taPublicIPs(firstS(r, "DestPublicIps"))
	}
	if !src.IsValid() && !dst.IsValid() && len(srcPub) == 0 && len(dstPub) == 0 {
		return Skipf(CodeBadRecord, "no source or destination address (SrcIp, DestIp, SrcPublicIps, DestPublicIps)")
	}
	// One event per public address of a public flow row, else one event.
	emit := func(s, dd netip.Addr, count int64) error {
		e := base
		e.SrcIP, e.DstIP = s, dd
		if count > 0 {
			e.Count = count
		}
		return o.Emit(&e)
	}
	switch {
	case len(srcPub) > 0:
		for _, p := range srcPub {
			if err := emit(p.addr, dst, p.flows); err != nil {
				return err
			}
		}
	case len(dstPub) > 0:
		for _, p := range dstPub {
			if err := emit(src, p.addr, p.flows); err != nil {
				return err
			}
		}
	default:
		return emit(src, dst, 0)
	}
	return nil
}

// taProtocol maps T/U/TCP/UDP/ICMP/6/17 to protocol names.
func taProtocol(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "t", "tcp", "6":
		return "tcp"
	case "u", "udp", "17":
		return "udp"
	case "icmp", "1":
		return "icmp"
	case "":
		return ""
	}
	return strings.ToLower(strings.TrimSpace(s))
}

// taFlows sums the flow counters of a row.
func taFlows(r *Record) int64 {
	var n int64
	for _, k := range []string{"AllowedInFlows", "DeniedInFlows", "AllowedOutFlows", "DeniedOutFlows"} {
		if v, ok := r.Int(k); ok && v > 0 {
			n += v
		}
	}
	return n
}

type taPublic struct {
	addr  netip.Addr
	flows int64
}

// taPublicIPs parses "ip|flowsStarted|flowsEnded|outPkts|inPkts|outBytes|inBytes"
// entries separated by spaces.
func taPublicIPs(s string) []taPublic {
	var out []taPublic
	for _, ent := range strings.Fields(s) {
		parts := strings.Split(ent, "|")
		a := addrOf(parts[0])
		if !a.IsValid() {
			continue
		}
		p := taPublic{addr: a}
		if len(parts) > 1 {
			p.flows, _ = strconv.ParseInt(parts[1], 10, 64)
		}
		out = append(out, p)
	}
	return out
}

// snake turns PacketsSrcToDest into packets_src_to_dest.
func snake(s string) string {
	var b strings.Builder
	for i, c := range s {
		if c >= 'A' && c <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}
