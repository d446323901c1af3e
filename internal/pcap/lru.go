package pcap

import "time"

// Live connections are kept in four lists ordered by last activity, one
// per idle timeout (closed TCP, unanswered TCP SYNs, open TCP, UDP and
// ICMP), so finishing idle connections costs only the connections
// finished: the oldest sit at the front of each list.
const (
	lruClosed = iota
	lruSynOnly
	lruTCP
	lruOther
	lruLists
)

// lruList is an intrusive doubly linked list of connections.
type lruList struct {
	head, tail *conn
	timeout    time.Duration
}

func (l *lruList) remove(c *conn) {
	if c.prev != nil {
		c.prev.next = c.next
	} else {
		l.head = c.next
	}
	if c.next != nil {
		c.next.prev = c.prev
	} else {
		l.tail = c.prev
	}
	c.prev, c.next = nil, nil
}

func (l *lruList) pushBack(c *conn) {
	c.prev, c.next = l.tail, nil
	if l.tail != nil {
		l.tail.next = c
	} else {
		l.head = c
	}
	l.tail = c
}

// lruOf says which list c belongs in now.
func lruOf(c *conn) int {
	switch {
	case !c.closedAt.IsZero():
		return lruClosed
	case c.proto == protoTCP && c.d[1].Packets == 0 && c.d[0].state == epSynSent:
		return lruSynOnly
	case c.proto == protoTCP:
		return lruTCP
	}
	return lruOther
}

// touch moves c to the back of the list it now belongs in.
func (t *tracker) touch(c *conn) {
	want := lruOf(c)
	if c.inList && c.list == want && t.lru[want].tail == c {
		return
	}
	if c.inList {
		t.lru[c.list].remove(c)
	}
	c.list, c.inList = want, true
	t.lru[want].pushBack(c)
}

// untrack removes c from its list.
func (t *tracker) untrack(c *conn) {
	if c.inList {
		t.lru[c.list].remove(c)
		c.inList = false
	}
}
