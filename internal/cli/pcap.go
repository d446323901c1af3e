package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/pcap"
	"github.com/pathproof/pathproof/internal/render"
)

func init() { register("pcap", newPcapCmd) }

func newPcapCmd(env *Env) *cobra.Command {
	var spec filter.Spec
	var all bool
	cmd := &cobra.Command{
		Use:   "pcap FILE",
		Short: "Explain every connection in a packet capture (pcap or pcapng)",
		Long: `Read a pcap or pcapng file (Network Watcher packet capture, VPN or firewall
gateway capture, tcpdump, Wireshark; FILE - reads stdin) and explain every
TCP, UDP and ICMP connection in it: Zeek's conn_state and history, handshake
RTT, retransmissions, zero windows, MSS, fragments, ICMP errors, the TLS
handshake and certificate chain, DNS answers and HTTP statuses, and findings
with stable codes (pathproof codes --domain pcap), worst first.

Exit status: 0 when the whole capture was read, 4 when reading stopped early
(truncated or corrupt file) or frames could not be decoded: the results
cover what was read and stderr says where and why reading stopped; 2 for a
bad command line.

` + filter.Help,
		Example: `  pathproof pcap capture.cap
  pathproof pcap --port 443 --output json gateway.pcapng
  tcpdump -w - -i eth0 port 53 | pathproof pcap -`,
		Args: cobra.ExactArgs(1),
	}
	out := addOutputFlag(cmd, "json")
	filter.AddFlags(cmd.Flags(), &spec, "ip", "src", "dst", "port", "src-port", "proto")
	cmd.Flags().BoolVar(&all, "all", false, fmt.Sprintf("list every connection (the human report shows the %d worst in detail and %d in its table)", detailLimit, tableLimit))
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		f, err := filter.Parse(spec)
		if err != nil {
			return Usagef("%v", err)
		}
		name := args[0]
		var r io.Reader
		if name == "-" {
			r = env.Stdin
		} else {
			fh, err := os.Open(name)
			if err != nil {
				return fmt.Errorf("pcap: %w", err)
			}
			defer fh.Close()
			r = bufio.NewReaderSize(fh, 1<<20)
		}
		shown := name
		opts := pcap.Options{File: shown}
		if isTerminal(env.Stderr) {
			opts.Progress = func(n int, b int64) {
				fmt.Fprintf(env.Stderr, "\rreading %s: %d packets, %d MB", render.Escape(shown), n, b>>20)
			}
		}
		// The report is built as connections finish, keeping only what
		// it prints: totals and the worst few for the human report, a
		// Sorter that spills to temporary files for -o json and --all.
		st := newPcapState(out.String() == "json" || all)
		defer st.close()
		rep, err := pcap.Stream(r, opts, func(c *pcap.Connection, seq int) {
			st.total++
			if matchConnection(c, f) {
				st.add(c, seq)
			}
		})
		if opts.Progress != nil && rep != nil && rep.Packets >= pcap.ProgressEvery {
			fmt.Fprint(env.Stderr, "\r\033[K") // clear the progress line
		}
		if err != nil {
			return fmt.Errorf("pcap: %s: %w", name, err)
		}
		if st.err != nil {
			return fmt.Errorf("pcap: %w", st.err)
		}
		if out.String() == "json" {
			err = writePcapJSON(env.Stdout, rep, st)
		} else {
			err = writePcapHuman(env.Stdout, rep, st, all)
		}
		if err != nil {
			return err
		}
		reportPartial(env.Stderr, rep)
		if rep.Partial() {
			return Partial()
		}
		return nil
	}
	return cmd
}

// matchConnection reports whether the filter flags select c, matched as
// client -> server.
func matchConnection(c *pcap.Connection, f *filter.Filter) bool {
	e := event.Event{Protocol: c.Protocol}
	if ap, err := netip.ParseAddrPort(c.Client); err == nil {
		e.SrcIP, e.SrcPort = ap.Addr(), ap.Port()
	} else if a, err := netip.ParseAddr(c.Client); err == nil {
		e.SrcIP = a
	}
	if ap, err := netip.ParseAddrPort(c.Server); err == nil {
		e.DstIP, e.DstPort = ap.Addr(), ap.Port()
	} else if a, err := netip.ParseAddr(c.Server); err == nil {
		e.DstIP = a
	}
	return f.Match(&e)
}

// reportPartial says on stderr what could not be read.
func reportPartial(w io.Writer, rep *pcap.Report) {
	if re := rep.ReadError; re != nil {
		fmt.Fprintf(w, "pathproof: %s: %v; the %d packets before it were analysed\n", render.Escape(rep.File), re, rep.Packets)
	}
	if len(rep.Skipped) > 0 {
		keys := make([]string, 0, len(rep.Skipped))
		for k := range rep.Skipped {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s %d", k, rep.Skipped[k]))
		}
		fmt.Fprintf(w, "pathproof: frames not analysed: %s\n", strings.Join(parts, ", "))
	}
	if rep.SnaplenCut > 0 {
		fmt.Fprintf(w, "pathproof: %d frames were cut short by the capture's snap length (headers analysed, payload incomplete)\n", rep.SnaplenCut)
	}
}

// Limits of the human report without --all: a capture of a busy gateway
// holds tens of thousands of connections, and a reader wants the worst ones
// and the totals; -o json and --all have everything.
const (
	detailLimit = 25
	tableLimit  = 100
)

// pcapState is what the report keeps of the connections, bounded whatever
// the capture's length: totals and counts per finding code, the first
// tableLimit connections and the first detailLimit with findings in the
// report order, and with full set a Sorter holding them all (in memory up
// to its run size, the rest in temporary files).
type pcapState struct {
	total  int // connections analysed, before the filter
	n      int // connections the filter kept
	withF  int // of those, with findings
	byCode map[string]*codeCount
	table  *pcap.Top
	detail *pcap.Top
	sorter *pcap.Sorter
	widths []int // column widths of the full table (with sorter)
	err    error
}

type codeCount struct {
	code, severity, example string
	n                       int
	// the connection example comes from: the first with the code in the
	// report order.
	first *pcap.Connection
	seq   int
}

var pcapTableHeader = []string{"PROTO", "CLIENT", "SERVER", "STATE", "HISTORY", "PACKETS", "BYTES", "RTT", "FINDINGS", "DETAILS"}

func newPcapState(full bool) *pcapState {
	st := &pcapState{byCode: map[string]*codeCount{}, table: pcap.NewTop(tableLimit), detail: pcap.NewTop(detailLimit)}
	if full {
		st.sorter = pcap.NewSorter(0, "")
		st.widths = make([]int, len(pcapTableHeader))
		st.widen(pcapTableHeader)
	}
	return st
}

func (st *pcapState) close() {
	if st.sorter != nil {
		_ = st.sorter.Close()
	}
}

// widen grows the full table's column widths to fit row.
func (st *pcapState) widen(row []string) {
	for i, c := range row {
		st.widths[i] = max(st.widths[i], utf8.RuneCountInString(render.Escape(c)))
	}
}

func (st *pcapState) add(c *pcap.Connection, seq int) {
	st.n++
	if len(c.Findings) > 0 {
		st.withF++
		st.detail.Add(c, seq)
	}
	for _, f := range c.Findings {
		cc := st.byCode[f.Code]
		if cc == nil {
			cc = &codeCount{code: f.Code}
			st.byCode[f.Code] = cc
		}
		if cc.first == nil || pcap.Before(c, seq, cc.first, cc.seq) {
			first := *c
			cc.first = &first
			cc.seq, cc.severity, cc.example = seq, f.Severity, c.Client+" -> "+c.Server
		}
		cc.n++
	}
	st.table.Add(c, seq)
	if st.sorter != nil && st.err == nil {
		st.widen(tableRow(c))
		st.err = st.sorter.Add(c, seq)
	}
}

// each calls fn with every connection the filter kept, in the report
// order (needs the sorter).
func (st *pcapState) each(fn func(c *pcap.Connection) error) error {
	return st.sorter.Each(func(elem []byte) error {
		var c pcap.Connection
		if err := json.Unmarshal(elem, &c); err != nil {
			return err
		}
		return fn(&c)
	})
}

// writePcapJSON writes what render.JSON writes for the whole Report, with
// the connections streamed from the sorter.
func writePcapJSON(w io.Writer, rep *pcap.Report, st *pcapState) error {
	var head bytes.Buffer
	if err := render.JSON(&head, rep); err != nil {
		return err
	}
	// rep.Connections is nil, written as null; the report had an empty
	// array when the filter dropped every connection, null when there
	// were none.
	const marker = "\n  \"connections\": null,\n"
	doc := head.Bytes()
	i := bytes.Index(doc, []byte(marker))
	if i < 0 {
		return fmt.Errorf("pcap: unexpected JSON report layout")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(doc[:i])
	switch {
	case st.total == 0:
		bw.WriteString(marker)
	case st.n == 0:
		bw.WriteString("\n  \"connections\": [],\n")
	default:
		bw.WriteString("\n  \"connections\": [")
		k := 0
		err := st.sorter.Each(func(elem []byte) error {
			if k > 0 {
				bw.WriteByte(',')
			}
			k++
			bw.WriteString("\n    ")
			_, err := bw.Write(elem)
			return err
		})
		if err != nil {
			return err
		}
		bw.WriteString("\n  ],\n")
	}
	bw.Write(doc[i+len(marker):])
	return bw.Flush()
}

func writePcapHuman(w io.Writer, rep *pcap.Report, st *pcapState, all bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %d packets, %d connections, %d with findings\n", render.Escape(rep.File), rep.Format, rep.Packets, st.n, st.withF)
	if rep.ReadError != nil {
		fmt.Fprintf(&b, "INCOMPLETE: %s\n", render.Escape(rep.ReadError.Error()))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	b.Reset()
	if len(st.byCode) > 0 {
		counts := make([]*codeCount, 0, len(st.byCode))
		for _, cc := range st.byCode {
			counts = append(counts, cc)
		}
		sort.Slice(counts, func(i, j int) bool {
			if ri, rj := pcap.SeverityRank(counts[i].severity), pcap.SeverityRank(counts[j].severity); ri != rj {
				return ri > rj
			}
			if counts[i].n != counts[j].n {
				return counts[i].n > counts[j].n
			}
			return counts[i].code < counts[j].code
		})
		fmt.Fprintln(w)
		t := render.Table{Header: []string{"FINDING", "SEVERITY", "CONNECTIONS", "FIRST SEEN ON"}}
		for _, cc := range counts {
			t.Add(cc.code, cc.severity, fmt.Sprint(cc.n), cc.example)
		}
		if err := t.Write(w); err != nil {
			return err
		}
	}
	if all {
		err := st.each(func(c *pcap.Connection) error {
			if len(c.Findings) == 0 {
				return nil
			}
			writeDetail(&b, c)
			if b.Len() >= 64<<10 {
				_, err := io.WriteString(w, b.String())
				b.Reset()
				return err
			}
			return nil
		})
		if err != nil {
			return err
		}
	} else {
		for _, c := range st.detail.Sorted() {
			writeDetail(&b, &c)
		}
		if st.withF > detailLimit {
			fmt.Fprintf(&b, "\n... %d more connections with findings (--all lists them, -o json has everything)\n", st.withF-detailLimit)
		}
	}
	b.WriteString("\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	if all {
		return writeFullTable(w, st)
	}
	t := render.Table{Header: pcapTableHeader}
	for _, c := range st.table.Sorted() {
		t.Add(tableRow(&c)...)
	}
	if err := t.Write(w); err != nil {
		return err
	}
	if st.n > tableLimit {
		_, err := fmt.Fprintf(w, "... %d more connections (--all lists them, -o json has everything)\n", st.n-tableLimit)
		return err
	}
	return nil
}

// writeDetail writes the detail block of a connection with findings.
func writeDetail(b *strings.Builder, c *pcap.Connection) {
	fmt.Fprintf(b, "\n%s  %s %s -> %s  %s %s  %d packets, %d bytes%s\n", strings.ToUpper(c.Findings[0].Severity), c.Protocol,
		render.Escape(c.Client), render.Escape(c.Server), c.State, render.Escape(c.History), c.Packets, c.Bytes, rttText(c.RTTMs))
	for _, f := range c.Findings {
		fmt.Fprintf(b, "  %-7s  %s  %s\n", f.Severity, f.Code, render.Escape(f.Message))
	}
	if c.TLS != nil {
		for i, cert := range c.TLS.Certificates {
			if cert.Error != "" {
				fmt.Fprintf(b, "  cert #%d  unparsable: %s\n", i+1, render.Escape(cert.Error))
				continue
			}
			fmt.Fprintf(b, "  cert #%d  %s  issued by %s  valid %s to %s\n", i+1, render.Escape(cert.Subject), render.Escape(cert.Issuer),
				cert.NotBefore.Format("2006-01-02"), cert.NotAfter.Format("2006-01-02"))
		}
	}
}

// tableRow is a connection's row of the connection table.
func tableRow(c *pcap.Connection) []string {
	codes := make([]string, 0, len(c.Findings))
	for _, f := range c.Findings {
		codes = append(codes, f.Code)
	}
	rtt := "-"
	if c.RTTMs != nil {
		rtt = strings.ReplaceAll(msText(*c.RTTMs), " ", "")
	}
	return []string{c.Protocol, c.Client, c.Server, c.State, c.History, fmt.Sprint(c.Packets), fmt.Sprint(c.Bytes), rtt, orDash(strings.Join(codes, ",")), orDash(details(c))}
}

// writeFullTable writes the table of every connection as render.Table
// would, streaming the rows: the column widths were measured as the
// connections came.
func writeFullTable(w io.Writer, st *pcapState) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	line := func(row []string) {
		var l strings.Builder
		for i, c := range row {
			c = render.Escape(c)
			l.WriteString(c)
			if i < len(row)-1 {
				l.WriteString(strings.Repeat(" ", st.widths[i]-utf8.RuneCountInString(c)+2))
			}
		}
		bw.WriteString(strings.TrimRight(l.String(), " "))
		bw.WriteByte('\n')
	}
	line(pcapTableHeader)
	err := st.each(func(c *pcap.Connection) error {
		line(tableRow(c))
		return nil
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

func rttText(ms *float64) string {
	if ms == nil {
		return ""
	}
	return ", handshake RTT " + msText(*ms)
}

// msText prints milliseconds with a precision that suits their size
// (loopback handshakes take microseconds).
func msText(ms float64) string {
	if ms < 1 {
		return fmt.Sprintf("%.3f ms", ms)
	}
	return fmt.Sprintf("%.1f ms", ms)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// details summarises the application layer in one cell.
func details(c *pcap.Connection) string {
	var parts []string
	if t := c.TLS; t != nil {
		s := strings.TrimSpace("tls " + t.Version)
		if t.SNI != "" {
			s += " sni=" + t.SNI
		}
		if len(t.Certificates) > 0 {
			s += fmt.Sprintf(" certs=%d", len(t.Certificates))
		}
		parts = append(parts, s)
	}
	for i, h := range c.HTTP {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("+%d http", len(c.HTTP)-3))
			break
		}
		s := strings.TrimSpace(h.Method + " " + h.Host + h.Path)
		if h.Status != 0 {
			s += fmt.Sprintf(" -> %d", h.Status)
		}
		parts = append(parts, strings.TrimSpace(s))
	}
	for i, d := range c.DNS {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("+%d dns", len(c.DNS)-3))
			break
		}
		s := d.Type + " " + d.Query
		if d.Rcode != "" {
			s += " " + d.Rcode
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}
