package eventrender

import (
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/store"
)

// Flows writes the conversations as JSON or JSON Lines of store.FlowJSON,
// else as a table followed by the command that lists each row's raw
// events. sourceArgs are the input flags those commands repeat (--db FILE
// or --logs SRC...).
func Flows(w io.Writer, format string, convs []store.Conversation, sourceArgs []string, l Layout) error {
	list := make([]store.FlowJSON, len(convs))
	for i := range convs {
		list[i] = convs[i].JSON(sourceArgs)
	}
	if done, err := render.Machine(w, format, list); done {
		return err
	}
	t := render.Table{Header: []string{"#", "CLIENT", "SERVER", "PROTO", "FIRST", "LAST", "EVENTS", "PKTS →/←", "BYTES →/←", "VERDICT", "PATH"},
		Shrink: []int{1: 21, 2: 21, 4: 14, 5: 14, 10: 20}, CutAt: []render.CutMode{4: render.CutStart, 5: render.CutStart}}
	for i, r := range list {
		c := &r.Conversation
		t.Add(strconv.Itoa(i+1), hostPort(c.Client, c.ClientPort), hostPort(c.Server, c.ServerPort), c.Protocol,
			c.FirstSeen.Format(TimeFormat), c.LastSeen.Format(TimeFormat), strconv.FormatInt(c.Events, 10),
			fmt.Sprintf("%d/%d", c.PacketsSent, c.PacketsRecv), fmt.Sprintf("%d/%d", c.BytesSent, c.BytesRecv),
			string(c.Verdict), r.Path)
	}
	if err := l.write(w, &t, FlowColumns); err != nil {
		return err
	}
	if len(list) > 0 {
		fmt.Fprintln(w, "\nraw events of each row:")
		for i, r := range list {
			fmt.Fprintf(w, "  #%d  %s\n", i+1, render.Escape(r.EventsQuery))
		}
	}
	return nil
}

// hostPort prints an address or name with its port ([v6]:port for IPv6).
func hostPort(host string, port uint16) string {
	if host == "" {
		host = "-"
	}
	if port == 0 { // no port (ICMP, a PaaS request's client)
		return host
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return netip.AddrPortFrom(a, port).String()
	}
	return host + ":" + strconv.Itoa(int(port))
}

// Top writes the --top groups of a query filtered by spec as JSON or JSON
// Lines of store.TopJSON, else as a table followed by the command that
// lists each group's raw events (repeating sourceArgs), whole whatever the
// table cuts to fit.
func Top(w io.Writer, format string, by store.TopBy, rows []store.TopRow, spec filter.Spec, sourceArgs []string, l Layout) error {
	list := make([]store.TopJSON, len(rows))
	for i := range rows {
		list[i] = rows[i].JSON(by, spec, sourceArgs)
	}
	if done, err := render.Machine(w, format, list); done {
		return err
	}
	t := render.Table{Header: []string{"#", strings.ToUpper(string(by)), "FLOWS", "EVENTS", "FIRST", "LAST"},
		Shrink: []int{1: 16, 4: 14, 5: 14}, CutAt: []render.CutMode{4: render.CutStart, 5: render.CutStart}}
	for i, r := range list {
		key := r.Key
		if key == "" {
			key = "-"
		}
		t.Add(strconv.Itoa(i+1), key, strconv.FormatInt(r.Flows, 10), strconv.FormatInt(r.Events, 10),
			r.FirstSeen.Format(TimeFormat), r.LastSeen.Format(TimeFormat))
	}
	if err := (Layout{Width: l.Width, Notes: l.Notes}).write(w, &t, []string{"n", "key", "flows", "events", "first", "last"}); err != nil {
		return err
	}
	if len(list) > 0 {
		fmt.Fprintln(w, "\nraw events of each row:")
		for i, r := range list {
			fmt.Fprintf(w, "  #%d  %s\n", i+1, render.Escape(r.EventsQuery))
		}
	}
	return nil
}
