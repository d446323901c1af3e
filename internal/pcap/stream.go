package pcap

// Reassembly caps: the application parsers only need the start of each
// direction (handshakes, request and status lines), so out-of-order data is
// held only up to these bounds and anything beyond is given up.
const (
	maxPending      = 16       // out-of-order segments held per direction
	maxPendingBytes = 64 << 10 // bytes held per direction
)

// stream delivers one direction's TCP payload in order.
type stream struct {
	init    bool
	next    uint32
	pending []pendingSeg
	held    int
	broken  bool // a gap was never filled: in-order delivery stopped
}

type pendingSeg struct {
	seq  uint32
	data []byte
}

// push offers a segment and hands every in-order chunk to c.deliver.
func (s *stream) push(seq uint32, data []byte, syn bool, c *conn, di int) {
	if s.broken {
		return
	}
	if syn {
		s.init, s.next = true, seq+1
		if len(data) == 0 {
			return
		}
		seq++
	}
	if len(data) == 0 {
		return
	}
	if !s.init {
		s.init, s.next = true, seq
	}
	switch {
	case seq == s.next:
	case seqLT(seq, s.next):
		skip := s.next - seq
		if uint32(len(data)) <= skip {
			return // retransmitted: already delivered
		}
		data, seq = data[skip:], s.next
	default:
		if len(s.pending) >= maxPending || s.held+len(data) > maxPendingBytes {
			s.broken = true
			s.pending = nil
			return
		}
		s.pending = append(s.pending, pendingSeg{seq: seq, data: append([]byte(nil), data...)})
		s.held += len(data)
		return
	}
	c.deliver(di, data)
	s.next = seq + uint32(len(data))
	for progress := true; progress && len(s.pending) > 0; {
		progress = false
		for i := 0; i < len(s.pending); i++ {
			ps := s.pending[i]
			if seqGT(ps.seq, s.next) {
				continue
			}
			s.pending = append(s.pending[:i], s.pending[i+1:]...)
			s.held -= len(ps.data)
			i--
			progress = true
			if skip := s.next - ps.seq; uint32(len(ps.data)) > skip {
				chunk := ps.data[skip:]
				c.deliver(di, chunk)
				s.next += uint32(len(chunk))
			}
		}
	}
}
