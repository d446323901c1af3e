package store

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/textutil"
)

// FlowJSON is one conversation as `pathproof flows -o json` (and every
// other front end) prints it: the Conversation, its per-emitter verdict
// trail and the command that lists its raw events.
type FlowJSON struct {
	Conversation
	Path        string `json:"path"`
	EventsQuery string `json:"events_query"`
}

// JSON returns c in its JSON shape; sourceArgs are the input flags of the
// drill-down command (--db FILE or --logs SRC...).
func (c *Conversation) JSON(sourceArgs []string) FlowJSON {
	args := append(append([]string{"pathproof", "events"}, sourceArgs...), c.EventsArgs()...)
	return FlowJSON{Conversation: *c, Path: c.Trail(), EventsQuery: textutil.ShellJoin(args)}
}

// Trail is the per-emitter verdict trail: "client NIC: allow(out) · firewall: deny".
func (c *Conversation) Trail() string {
	parts := make([]string, len(c.Emitters))
	for i, h := range c.Emitters {
		v := strings.Join(h.Verdicts, "/")
		if len(h.HTTPStatus) > 0 {
			st := make([]string, len(h.HTTPStatus))
			for j, s := range h.HTTPStatus {
				st[j] = strconv.Itoa(s)
			}
			v += " " + strings.Join(st, "/")
		}
		if len(h.Directions) > 0 {
			v += "(" + strings.Join(h.Directions, "/") + ")"
		}
		parts[i] = h.Role + ": " + v
	}
	return strings.Join(parts, " · ")
}

// EventsArgs are the filter flags of `pathproof events` that list every raw
// event of c (a row summarises every event of the conversation, not only
// those passing the filters), from the client's side.
func (c *Conversation) EventsArgs() []string {
	var args []string
	if _, err := netip.ParseAddr(c.Client); err == nil {
		args = append(args, "--src", c.Client)
	}
	if c.ClientPort != 0 {
		args = append(args, "--src-port", strconv.Itoa(int(c.ClientPort)))
	}
	if _, err := netip.ParseAddr(c.Server); err == nil {
		args = append(args, "--dst", c.Server)
	} else {
		var srcs []string
		for _, h := range c.Emitters {
			if !slices.Contains(srcs, string(h.Source)) {
				srcs = append(srcs, string(h.Source))
				args = append(args, "--source", string(h.Source))
			}
		}
	}
	args = append(args, "--port", strconv.Itoa(int(c.ServerPort)))
	if c.Protocol != "" {
		args = append(args, "--proto", c.Protocol)
	}
	return args
}
