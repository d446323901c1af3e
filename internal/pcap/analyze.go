package pcap

import (
	"fmt"
	"io"
	"net/netip"
	"sort"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// Timeouts after which a connection is finished, in capture time. They are
// Zeek's defaults (tcp_inactivity_timeout 5 min, udp and icmp 1 min), so
// connection counts compare with conn.log; closeLinger keeps a closed TCP
// connection a little so late ACKs are not taken for a new connection.
// synIdle finishes a TCP connection that is only its originator's SYNs
// sooner: its finding (no response) is known once the client stopped
// retrying, and a capture of a port scan or a dead backend holds
// thousands of them. It is longer than any common stack's SYN retry
// interval (Linux doubles from 1 s up to 32 s by default, Windows 3 s and
// 6 s), so a retry still joins its connection.
const (
	tcpIdle     = 5 * time.Minute
	udpIdle     = time.Minute
	synIdle     = time.Minute
	closeLinger = 5 * time.Second
	// sweepEvery is how often, in capture time, finished connections are
	// looked for.
	sweepEvery = time.Second
	// maxFragIDs bounds the table that ties IP fragments to connections.
	maxFragIDs = 4096
	// maxFree bounds the finished connections kept for reuse;
	// summaryQueue those waiting to be summarised.
	maxFree      = 1024
	summaryQueue = 1024
)

// Options tune Analyze.
type Options struct {
	// File is the name reported in Report.File.
	File string
	// Progress, when set, is called from the reading goroutine every
	// ProgressEvery packets with the packets and bytes read so far.
	Progress func(packets int, bytes int64)
}

// ProgressEvery is how many packets pass between Progress calls.
const ProgressEvery = 1 << 16

// Analyze reads a whole capture from r and explains every connection in
// it. The error is non-nil only when r is not a capture at all; a capture
// damaged part way is analysed up to the damage and Report.ReadError says
// where reading stopped.
//
// Analyze keeps every connection's summary for Report.Connections, so its
// memory grows with the connections in the capture; Stream does not.
func Analyze(r io.Reader, opts Options) (*Report, error) {
	var list []Connection
	rep, err := Stream(r, opts, func(c *Connection, _ int) { list = append(list, *c) })
	if err != nil {
		return nil, err
	}
	// list is in the order connections were handed over (seq), so the
	// stable sort breaks ties as Before does.
	sortConnections(list)
	rep.Connections = list
	return rep, nil
}

// Stream is Analyze without Report.Connections: it hands each connection to
// fn when it finishes, in the order they finish, and keeps nothing of it.
// seq numbers the connections from 0 in that order; Before uses it to
// break ties. fn runs on a goroutine of its own, one call at a time, and
// must not keep c (it may keep a copy). Memory is bounded by the live
// connections and the packet pipeline, whatever the length of the capture.
//
// Reading and decoding run in one goroutine and connection tracking in
// another, joined by a small ring of packet batches, so two cores share the
// work; memory stays bounded by the ring (see pipeline.go).
func Stream(r io.Reader, opts Options, fn func(c *Connection, seq int)) (*Report, error) {
	rd, err := openReader(r)
	if err != nil {
		return nil, err
	}
	rep := &Report{File: opts.File, Format: rd.format, Skipped: map[string]int{}}
	t := newTracker(rep, fn)
	full, free := make(chan *batch, pipelineDepth), make(chan *batch, pipelineDepth)
	for range pipelineDepth {
		free <- newBatch()
	}
	res := make(chan readResult, 1)
	go func() { res <- readAll(rd, full, free, opts.Progress) }()
	for b := range full {
		for i := range b.n {
			p := &b.pkts[i]
			why := b.why[i]
			if why == skipNonFirstFrag && t.fragmentTail(p, b.ts[i], b.wire[i]) {
				continue
			}
			if why != "" {
				rep.Skipped[why]++
				continue
			}
			t.packet(p, b.ts[i], b.wire[i])
		}
		free <- b
	}
	rr := <-res
	rep.Packets, rep.SnaplenCut, rep.ReadError = rr.packets, rr.snaplenCut, rr.err
	t.finishAll()
	rep.Stats.Connections = t.wait()
	return rep, nil
}

// tracker holds the live connections.
type tracker struct {
	rep       *Report
	conns     map[connKey]*conn
	frags     map[fragKey]connKey
	lastSweep time.Time
	t0        time.Time
	lru       [lruLists]lruList
	// done takes finished connections to the summarising goroutine, which
	// returns them on free for reuse and, at the end, their count on out.
	done chan *conn
	free chan *conn
	out  chan int
	dns  layers.DNS
}

type fragKey struct {
	src, dst netip.Addr
	id       uint16
	proto    uint8
}

func newTracker(rep *Report, fn func(*Connection, int)) *tracker {
	t := &tracker{rep: rep, conns: map[connKey]*conn{}, frags: map[fragKey]connKey{}}
	t.lru[lruClosed].timeout = closeLinger
	t.lru[lruSynOnly].timeout = synIdle
	t.lru[lruTCP].timeout = tcpIdle
	t.lru[lruOther].timeout = udpIdle
	t.done, t.free, t.out = make(chan *conn, summaryQueue), make(chan *conn, maxFree), make(chan int, 1)
	go summarise(t.done, t.free, t.out, fn)
	return t
}

// packet handles one decoded packet.
func (t *tracker) packet(p *pkt, ts time.Time, wireLen int) {
	if t.t0.IsZero() {
		t.t0 = ts
	}
	if ts.Sub(t.lastSweep) >= sweepEvery {
		t.sweep(ts)
		t.lastSweep = ts
	}
	src, dst := netip.AddrPortFrom(p.src, p.sport), netip.AddrPortFrom(p.dst, p.dport)
	if p.proto == protoICMP || p.proto == protoICMPv6 {
		var id uint16
		switch kind := icmpKind(p); kind {
		case "frag-needed", "unreachable", "time-exceeded":
			t.icmpError(p, kind, ts, wireLen)
			return
		case "echo-request", "echo-reply":
			id = uint16(p.icmpRest >> 16)
		}
		src, dst = netip.AddrPortFrom(p.src, id), netip.AddrPortFrom(p.dst, id)
	}
	key := makeKey(p.proto, src, dst)
	c := t.conns[key]
	if c != nil && p.proto == protoTCP && p.flags&(flagSYN|flagACK) == flagSYN && c.newAttempt(src, p.seq) {
		attempt := c.attempt
		t.finish(c)
		c = nil
		defer func() {
			if nc := t.conns[key]; nc != nil {
				nc.attempt = attempt + 1
			}
		}()
	}
	if c == nil {
		c = t.newConn(key, p, src, dst, ts)
	}
	c.last = ts
	di := c.dirOf(src)
	d := &c.d[di]
	d.Packets++
	d.Bytes += int64(wireLen)
	d.PayloadBytes += int64(p.payloadLen)
	if p.fragmented {
		c.fragments++
		if len(t.frags) >= maxFragIDs {
			clear(t.frags)
		}
		t.frags[fragKey{p.src, p.dst, p.ipID, p.proto}] = key
	}
	switch p.proto {
	case protoTCP:
		c.tcp(p, di, ts)
		c.tcpPayload(p, di, ts)
	case protoUDP:
		if len(p.payload) > 0 {
			c.mark(di, hData)
		}
		if isDNSPort(p.sport) || isDNSPort(p.dport) {
			c.dnsMessage(&t.dns, p.payload)
		}
	}
	t.touch(c)
}

// newAttempt reports whether a SYN from src with sequence number seq opens
// a new connection on the same 4-tuple: the previous one was closed, or the
// SYN carries a new initial sequence number (a new connect(), not a
// retransmitted SYN).
func (c *conn) newAttempt(src netip.AddrPort, seq uint32) bool {
	if !c.closedAt.IsZero() {
		return true
	}
	d := &c.d[c.dirOf(src)]
	return d.SYNs > 0 && seq != d.isn
}

func (t *tracker) newConn(key connKey, p *pkt, src, dst netip.AddrPort, ts time.Time) *conn {
	var c *conn
	select {
	case c = <-t.free:
		*c = conn{key: key, proto: p.proto, orig: src, resp: dst, first: ts, last: ts, attempt: 1, captureT0: t.t0, history: c.history[:0]}
	default:
		c = &conn{key: key, proto: p.proto, orig: src, resp: dst, first: ts, last: ts, attempt: 1, captureT0: t.t0}
	}
	flip := false
	switch p.proto {
	case protoTCP:
		switch {
		case p.flags&(flagSYN|flagACK) == flagSYN|flagACK:
			flip = true
		case p.flags&flagSYN == 0:
			flip = p.sport < 1024 && p.dport >= 1024
		}
	case protoUDP:
		flip = p.sport < 1024 && p.dport >= 1024
	case protoICMP, protoICMPv6:
		flip = icmpKind(p) == "echo-reply"
	}
	if flip {
		c.orig, c.resp = dst, src
		c.history = append(c.history, '^')
	}
	t.conns[key] = c
	t.rep.Stats.PeakLive = max(t.rep.Stats.PeakLive, len(t.conns))
	return c
}

// fragmentTail counts a non-first IP fragment on the connection its first
// fragment belonged to; false when that is unknown.
func (t *tracker) fragmentTail(p *pkt, ts time.Time, wireLen int) bool {
	key, ok := t.frags[fragKey{p.src, p.dst, p.ipID, p.proto}]
	if !ok {
		return false
	}
	c := t.conns[key]
	if c == nil {
		return false
	}
	c.last = ts
	t.touch(c)
	c.fragments++
	d := &c.d[0]
	if p.src != c.orig.Addr() {
		d = &c.d[1]
	}
	d.Packets++
	d.Bytes += int64(wireLen)
	return true
}

// icmpError ties an ICMP error to the connection it quotes, or keeps it as
// a connection of its own when that is not in the capture. kind is
// icmpKind(p).
func (t *tracker) icmpError(p *pkt, kind string, ts time.Time, wireLen int) {
	qproto, qsrc, qdst, ok := quoted(p.payload)
	var target *conn
	if ok {
		target = t.conns[makeKey(qproto, qsrc, qdst)]
	}
	// The ICMP message itself is a connection (as in Zeek's conn.log).
	src, dst := netip.AddrPortFrom(p.src, 0), netip.AddrPortFrom(p.dst, 0)
	key := makeKey(p.proto, src, dst)
	ic := t.conns[key]
	if ic == nil {
		ic = t.newConn(key, p, src, dst, ts)
	}
	ic.last = ts
	t.touch(ic)
	d := &ic.d[ic.dirOf(src)]
	d.Packets++
	d.Bytes += int64(wireLen)
	if target == nil {
		target = ic
		if ok && ic.quote == "" {
			ic.quote = fmt.Sprintf("%s %s -> %s", protoName(qproto), qsrc, qdst)
		}
	}
	e := &target.icmp
	switch kind {
	case "frag-needed":
		e.fragNeeded++
		e.mtu, e.fnFrom = p.mtu(), p.src
	case "unreachable":
		e.unreach++
		e.unreachWhy, e.urFrom = unreachReason(p), p.src
	case "time-exceeded":
		e.ttl++
		e.ttlFrom = p.src
	}
}

// sweep finishes connections that ended or went idle before now.
func (t *tracker) sweep(now time.Time) {
	for i := range t.lru {
		l := &t.lru[i]
		for l.head != nil && now.Sub(l.head.last) > l.timeout {
			t.finish(l.head)
		}
	}
}

func (t *tracker) finishAll() {
	for _, c := range t.conns {
		t.finish(c)
	}
}

// finish turns c into its summary and drops its working state.
func (t *tracker) finish(c *conn) {
	t.untrack(c)
	delete(t.conns, c.key)
	t.done <- c
}

// summarise runs in its own goroutine: it turns finished connections into
// summaries, off the tracker's path, hands each to fn and the working state
// back for reuse. The summary shares nothing with the state but the DNS
// and HTTP slices, which are dropped from the state first. It keeps no
// summary: at the end it sends how many it made on out.
func summarise(done <-chan *conn, free chan<- *conn, out chan<- int, fn func(*Connection, int)) {
	n := 0
	// One summary, overwritten for every connection: fn must not keep it,
	// and a new one each time cost an allocation of its whole size.
	s := new(Connection)
	for c := range done {
		*s = c.summary()
		fn(s, n)
		n++
		c.dns, c.http, c.tls = nil, nil, nil
		select {
		case free <- c:
		default:
		}
	}
	out <- n
}

// wait ends the summarising goroutine and returns how many connections it
// summarised.
func (t *tracker) wait() int {
	close(t.done)
	return <-t.out
}

func protoName(p uint8) string {
	switch p {
	case protoTCP:
		return "tcp"
	case protoUDP:
		return "udp"
	case protoICMP:
		return "icmp"
	case protoICMPv6:
		return "icmpv6"
	}
	return fmt.Sprintf("ip-proto-%d", p)
}

// sortConnections orders worst problems first, then by first packet (see
// Before); equal connections keep their order. It sorts indexes and
// permutes once: Connection values are large to swap.
func sortConnections(cs []Connection) {
	idx := make([]int, len(cs))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(x, y int) bool {
		return Before(&cs[idx[x]], idx[x], &cs[idx[y]], idx[y])
	})
	sorted := make([]Connection, len(cs))
	for i, j := range idx {
		sorted[i] = cs[j]
	}
	copy(cs, sorted)
}
