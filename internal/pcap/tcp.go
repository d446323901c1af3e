package pcap

import "time"

// Duplicate detection. A frame captured twice (on a bond and its member,
// on several interfaces merged into one file, by a SPAN session with
// several sources) repeats the IPv4 identification, where a retransmission
// gets a new one (Linux and Windows assign an ID per transmission). No
// stack retransmits within 100 ms (minimum RTO: Linux 200 ms, Windows
// 300 ms), so an identical segment with the same non-zero ID that soon is
// a copy. Without an ID to compare (IPv6, or ID 0), only copies within a
// millisecond are taken as duplicates.
const (
	dupWindowSameID = 100 * time.Millisecond
	dupWindow       = time.Millisecond
	// recentSegs is how many recent segments per direction are compared:
	// copies are not always adjacent in the file.
	recentSegs = 8
)

// segSig is what identifies a copy of the same segment.
type segSig struct {
	seq, ack uint32
	t        int64 // capture time, Unix nanoseconds; 0 for an empty slot
	n        int32
	ipID     uint16
	flags    uint8
	v6       bool
}

// isDuplicate reports whether p repeats a recent segment of this
// direction, and remembers p otherwise.
func (d *dir) isDuplicate(p *pkt, ts time.Time) bool {
	now := ts.UnixNano()
	for i := range d.recent {
		r := &d.recent[i]
		if r.seq != p.seq || r.t == 0 || r.ack != p.ack || r.flags != p.flags || int(r.n) != p.payloadLen || r.v6 != p.v6 {
			continue
		}
		dt := time.Duration(now - r.t)
		if dt < 0 {
			continue
		}
		if !p.v6 && p.ipID != 0 && r.ipID == p.ipID && dt <= dupWindowSameID {
			return true
		}
		if (p.v6 || r.ipID == p.ipID) && dt <= dupWindow {
			return true
		}
	}
	d.recent[d.ri] = segSig{t: now, seq: p.seq, ack: p.ack, n: int32(p.payloadLen), ipID: p.ipID, flags: p.flags, v6: p.v6}
	d.ri = (d.ri + 1) % recentSegs
	return false
}

// reorderWindow is how late a segment that fills a gap may arrive to count
// as out of order rather than retransmitted, when no RTT is known.
const reorderWindow = 3 * time.Millisecond

func seqLT(a, b uint32) bool { return int32(a-b) < 0 }
func seqGT(a, b uint32) bool { return int32(a-b) > 0 }

// tcp updates c with one TCP segment sent from direction di.
func (c *conn) tcp(p *pkt, di int, ts time.Time) {
	d := &c.d[di]
	peer := &c.d[1-di]
	syn, ack, fin, rst := p.flags&flagSYN != 0, p.flags&flagACK != 0, p.flags&flagFIN != 0, p.flags&flagRST != 0

	// A frame captured twice is counted but not analysed again.
	if d.isDuplicate(p, ts) {
		d.Duplicates++
		return
	}

	// Zeek's history and endpoint states.
	switch {
	case syn && !ack:
		c.mark(di, hSYN)
		d.SYNs++
		if d.MSS == 0 {
			d.MSS = p.mss
		}
		if c.synT.IsZero() {
			c.synT = ts
		}
		if d.state == epInactive {
			d.state = epSynSent
		}
	case syn && ack:
		c.mark(di, hSYNACK)
		c.sawSynAck = true
		if d.MSS == 0 {
			d.MSS = p.mss
		}
		if c.synAckT.IsZero() {
			c.synAckT = ts
		}
		if d.state == epInactive || d.state == epSynSent {
			d.state = epSynAckSent
		}
	}
	if p.payloadLen > 0 {
		c.mark(di, hData)
		d.dataSegs++
		d.MaxSegment = max(d.MaxSegment, p.payloadLen)
	} else if ack && !syn && !fin && !rst {
		c.mark(di, hACK)
	}
	if !syn && !rst {
		switch d.state {
		case epInactive:
			d.state = epPartial
		case epSynSent, epSynAckSent:
			if peer.state == epSynSent || peer.state == epSynAckSent || peer.state == epEstablished || peer.state == epClosed {
				d.state = epEstablished
				if peer.state == epSynAckSent || peer.state == epSynSent {
					peer.state = epEstablished
				}
				if !c.rttSet && !c.synT.IsZero() && !c.synAckT.IsZero() && di == 0 {
					c.rtt, c.rttSet = ts.Sub(c.synT), true
				}
			}
		}
	}
	if fin {
		c.mark(di, hFIN)
		c.finSeen[di] = true
		if d.state != epReset {
			d.state = epClosed
		}
		if c.finSeen[0] && c.finSeen[1] && c.closedAt.IsZero() {
			c.closedAt = ts
		}
	}
	if rst {
		c.mark(di, hRST)
		d.state = epReset
		if c.closedAt.IsZero() {
			c.closedAt = ts
		}
	}
	if p.win == 0 && !syn && !fin && !rst {
		d.ZeroWindows++
		c.markScaled(di, 2, hZeroW)
	}

	// Sequence analysis.
	segLen := uint32(p.payloadLen)
	if syn {
		segLen++
	}
	if fin {
		segLen++
	}
	switch {
	case syn:
		// A repeated SYN is counted in SYNs, not as a retransmission.
		d.isn = p.seq
		d.nextSeq, d.seqInit = p.seq+segLen, true
	case !d.seqInit:
		d.nextSeq, d.seqInit = p.seq+segLen, true
	case rst || segLen == 0:
	case p.seq == d.nextSeq:
		d.nextSeq = p.seq + segLen
	case seqGT(p.seq, d.nextSeq):
		d.LostSegments++
		c.markScaled(di, 1, hGap)
		if d.ngaps < maxGaps {
			d.gaps[d.ngaps] = gap{from: d.nextSeq, to: p.seq, at: ts}
			d.ngaps++
		}
		d.nextSeq = p.seq + segLen
	default: // before nextSeq: a retransmission, a keep-alive or a late segment
		end := p.seq + segLen
		if segLen <= 1 && p.seq+1 == d.nextSeq && !fin {
			break // keep-alive probe
		}
		if i := d.gapFilled(p.seq, end); i >= 0 {
			window := reorderWindow
			if c.rttSet {
				window = max(window, c.rtt)
			}
			reordered := ts.Sub(d.gaps[i].at) <= window
			if reordered {
				d.OutOfOrder++
			} else {
				d.Retransmissions++
				c.markScaled(di, 0, hRetx)
			}
			if d.closeGap(i, p.seq, end) && reordered && d.LostSegments > 0 {
				d.LostSegments--
			}
		} else {
			d.Retransmissions++
			c.markScaled(di, 0, hRetx)
		}
		if seqGT(end, d.nextSeq) {
			d.nextSeq = end
		}
	}
}

// gapFilled returns the index of the open gap [from,to) that the segment
// [s,e) overlaps, or -1.
func (d *dir) gapFilled(s, e uint32) int {
	for i := 0; i < d.ngaps; i++ {
		g := d.gaps[i]
		if seqLT(s, g.to) && seqGT(e, g.from) {
			return i
		}
	}
	return -1
}

// closeGap shrinks or removes gap i after [s,e) arrived; it reports
// whether the gap is now closed.
func (d *dir) closeGap(i int, s, e uint32) bool {
	g := &d.gaps[i]
	switch {
	case !seqGT(s, g.from) && !seqLT(e, g.to):
		d.gaps[i] = d.gaps[d.ngaps-1]
		d.ngaps--
		return true
	case !seqGT(s, g.from):
		g.from = e
	default:
		g.to = s
	}
	return false
}
