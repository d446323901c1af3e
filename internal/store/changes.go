package store

import "github.com/pathproof/pathproof/internal/event"

// Changes remembers what a follower last showed of each conversation, so
// that after each load it shows only the conversations that are new or
// whose summary changed. The zero value has shown nothing.
type Changes struct {
	shown map[convKey]convSummary
}

// convKey names a conversation: its protocol, ends and ports.
type convKey struct {
	protocol, client, server string
	clientPort, serverPort   uint16
}

// convSummary is what a follower's change is a change of.
type convSummary struct {
	events   int64
	lastSeen int64 // Unix nanoseconds
	verdict  event.Verdict
	emitters int
}

// Changed returns, in convs' order, the conversations not returned before
// (by their protocol, ends and ports) or whose event count, last-seen
// time, verdict or number of emitters differ from when they last were,
// and remembers them as shown.
func (ch *Changes) Changed(convs []Conversation) []Conversation {
	if ch.shown == nil {
		ch.shown = map[convKey]convSummary{}
	}
	var out []Conversation
	for _, c := range convs {
		key := convKey{c.Protocol, c.Client, c.Server, c.ClientPort, c.ServerPort}
		sum := convSummary{c.Events, c.LastSeen.UnixNano(), c.Verdict, len(c.Emitters)}
		if old, ok := ch.shown[key]; !ok || old != sum {
			ch.shown[key] = sum
			out = append(out, c)
		}
	}
	return out
}
