package store

import (
	"fmt"
	"strconv"
)

// Changes remembers what a follower last showed of each conversation, so
// that after each load it shows only the conversations that are new or
// whose summary changed. The zero value has shown nothing.
type Changes struct {
	shown map[string]string
}

// Changed returns, in convs' order, the conversations not returned before
// (by their protocol, ends and ports) or whose event count, last-seen
// time, verdict or number of emitters differ from when they last were,
// and remembers them as shown.
func (ch *Changes) Changed(convs []Conversation) []Conversation {
	if ch.shown == nil {
		ch.shown = map[string]string{}
	}
	var out []Conversation
	for _, c := range convs {
		key := c.Protocol + "|" + c.Client + "|" + strconv.Itoa(int(c.ClientPort)) + "|" + c.Server + "|" + strconv.Itoa(int(c.ServerPort))
		sum := fmt.Sprintf("%d|%s|%s|%d", c.Events, c.LastSeen, c.Verdict, len(c.Emitters))
		if ch.shown[key] != sum {
			ch.shown[key] = sum
			out = append(out, c)
		}
	}
	return out
}
