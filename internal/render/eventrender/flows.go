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
func Flows(w io.Writer, format string, convs []store.Conversation, sourceArgs []string) error {
	list := make([]store.FlowJSON, len(convs))
	for i := range convs {
		list[i] = convs[i].JSON(sourceArgs)
	}
	if done, err := render.Machine(w, format, list); done {
		return err
	}
	t := render.Table{Header: []string{"#", "CLIENT", "SERVER", "PROTO", "FIRST", "LAST", "EVENTS", "PKTS →/←", "BYTES →/←", "VERDICT", "PATH"}}
	for i, r := range list {
		c := &r.Conversation
		t.Add(strconv.Itoa(i+1), hostPort(c.Client, c.ClientPort), hostPort(c.Server, c.ServerPort), c.Protocol,
			c.FirstSeen.Format(TimeFormat), c.LastSeen.Format(TimeFormat), strconv.FormatInt(c.Events, 10),
			fmt.Sprintf("%d/%d", c.PacketsSent, c.PacketsRecv), fmt.Sprintf("%d/%d", c.BytesSent, c.BytesRecv),
			string(c.Verdict), r.Path)
	}
	if err := t.Write(w); err != nil {
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
// Lines of store.TopJSON, else as a table whose last column is the command
// that lists each group's raw events (repeating sourceArgs).
func Top(w io.Writer, format string, by store.TopBy, rows []store.TopRow, spec filter.Spec, sourceArgs []string) error {
	list := make([]store.TopJSON, len(rows))
	for i := range rows {
		list[i] = rows[i].JSON(by, spec, sourceArgs)
	}
	if done, err := render.Machine(w, format, list); done {
		return err
	}
	t := render.Table{Header: []string{strings.ToUpper(string(by)), "FLOWS", "EVENTS", "FIRST", "LAST", "RAW EVENTS"}}
	for _, r := range list {
		key := r.Key
		if key == "" {
			key = "-"
		}
		t.Add(key, strconv.FormatInt(r.Flows, 10), strconv.FormatInt(r.Events, 10),
			r.FirstSeen.Format(TimeFormat), r.LastSeen.Format(TimeFormat), r.EventsQuery)
	}
	return t.Write(w)
}
