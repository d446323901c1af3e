package pcap

import (
	"net/netip"
	"time"

	"github.com/pathproof/pathproof/internal/pcap/tlsparse"
)

// connKey identifies a connection independently of direction: the
// protocol, then the smaller endpoint, then the other, each as 16 address
// bytes and 2 port bytes. A plain byte array hashes much faster than a
// struct of netip values.
type connKey [37]byte

func makeKey(proto uint8, src, dst netip.AddrPort) connKey {
	if src.Compare(dst) > 0 {
		src, dst = dst, src
	}
	var k connKey
	k[0] = proto
	a, b := src.Addr().As16(), dst.Addr().As16()
	copy(k[1:17], a[:])
	k[17], k[18] = byte(src.Port()>>8), byte(src.Port())
	copy(k[19:35], b[:])
	k[35], k[36] = byte(dst.Port()>>8), byte(dst.Port())
	return k
}

// epState is Zeek's TCP endpoint state.
type epState uint8

const (
	epInactive epState = iota
	epSynSent
	epSynAckSent
	epPartial
	epEstablished
	epClosed
	epReset
)

// maxGaps bounds the open sequence gaps remembered per direction.
const maxGaps = 8

type gap struct {
	from, to uint32
	at       time.Time
}

// dir is one direction's working state.
type dir struct {
	Direction
	state    epState
	seqInit  bool
	nextSeq  uint32
	isn      uint32
	gaps     [maxGaps]gap
	ngaps    int
	dataSegs int
	// recent segments, for duplicate detection.
	recent [recentSegs]segSig
	ri     int
	// counts behind the scaled history letters (T, G, W).
	tally [3]int
	// app layer
	stream stream
	app    appProto
	chunks int // unrecognised chunks seen while app is appUnknown
}

// conn is one live connection.
type conn struct {
	key        connKey
	proto      uint8
	orig, resp netip.AddrPort
	d          [2]dir
	first      time.Time
	last       time.Time
	history    []byte
	seen       [2]uint32 // history letters already written, per direction
	sawSynAck  bool
	synT       time.Time
	synAckT    time.Time
	rtt        time.Duration
	rttSet     bool
	closedAt   time.Time
	finSeen    [2]bool
	attempt    int
	fragments  int
	captureT0  time.Time
	tls        *tlsparse.Conn
	tlsPlain   bool // a ClientHello answered by plain HTTP
	dns        []DNSExchange
	http       []HTTPExchange
	icmp       icmpErrors
	quote      string    // for an ICMP error: the packet it quotes, when not in the capture
	now        time.Time // time of the packet being handled, for the app parsers
	// LRU list membership (see lru.go).
	prev, next *conn
	list       int
	inList     bool
}

// dirOf returns 0 for packets from the originator, 1 from the responder.
func (c *conn) dirOf(src netip.AddrPort) int {
	if src == c.orig {
		return 0
	}
	return 1
}

// Zeek history letters; upper case for the originator.
const (
	hSYN    = 's'
	hSYNACK = 'h'
	hACK    = 'a'
	hData   = 'd'
	hFIN    = 'f'
	hRST    = 'r'
	hRetx   = 't'
	hGap    = 'g'
	hZeroW  = 'w'
)

// mark writes a history letter the first time it happens in a direction.
func (c *conn) mark(di int, letter byte) {
	bit := uint32(1) << (letter - 'a')
	if c.seen[di]&bit != 0 {
		return
	}
	c.seen[di] |= bit
	c.addLetter(di, letter)
}

// markScaled writes a letter at the 1st, 10th, 100th ... occurrence, as
// Zeek does for retransmissions, gaps and zero windows.
func (c *conn) markScaled(di int, which int, letter byte) {
	n := &c.d[di].tally[which]
	*n++
	for th := 1; th <= *n; th *= 10 {
		if th == *n {
			c.addLetter(di, letter)
			return
		}
	}
}

// maxHistory caps the history string.
const maxHistory = 64

func (c *conn) addLetter(di int, letter byte) {
	if len(c.history) >= maxHistory {
		return
	}
	if di == 0 {
		letter -= 'a' - 'A'
	}
	c.history = append(c.history, letter)
}

// zeekState computes Zeek's conn_state from the endpoint states.
func (c *conn) zeekState() string {
	switch c.proto {
	case protoTCP:
	case protoUDP:
		o, r := c.d[0].Packets > 0, c.d[1].Packets > 0
		switch {
		case o && r:
			return "SF"
		case o:
			return "S0"
		case r:
			return "SHR"
		}
		return "OTH"
	default:
		return "OTH"
	}
	os, rs := c.d[0].state, c.d[1].state
	oInactive := os == epInactive || os == epPartial
	rInactive := rs == epInactive || rs == epPartial
	switch {
	case rs == epReset:
		if os == epSynSent || os == epSynAckSent || (os == epReset && c.d[0].PayloadBytes == 0 && c.d[1].PayloadBytes == 0) {
			return "REJ"
		}
		if oInactive {
			return "RSTRH"
		}
		return "RSTR"
	case os == epReset:
		if rInactive {
			if c.rstAfterSynOnly() {
				return "RSTOS0"
			}
			return "OTH"
		}
		return "RSTO"
	case rs == epClosed && os == epClosed:
		return "SF"
	case os == epClosed:
		if rInactive {
			return "SH"
		}
		return "S2"
	case rs == epClosed:
		if oInactive {
			return "SHR"
		}
		return "S3"
	case os == epSynSent && rs == epInactive:
		return "S0"
	case os == epEstablished && rs == epEstablished:
		return "S1"
	}
	return "OTH"
}

// rstAfterSynOnly matches Zeek's /^?S[^HAFGIQ]*R.*/ on the history.
func (c *conn) rstAfterSynOnly() bool {
	h := c.history
	if len(h) > 0 && h[0] == '^' {
		h = h[1:]
	}
	if len(h) == 0 || h[0] != 'S' {
		return false
	}
	for _, x := range h[1:] {
		switch x {
		case 'H', 'A', 'F', 'G', 'I', 'Q':
			return false
		case 'R':
			return true
		}
	}
	return false
}
