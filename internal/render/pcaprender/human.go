// Package pcaprender prints a capture diagnosis (pcap.Report and the
// pcap.Summary of its connections): the human report with its finding
// counts, detail blocks and connection table, the JSON document streamed
// connection by connection, and the lines that say what could not be read.
package pcaprender

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/pathproof/pathproof/internal/pcap"
	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/textutil"
)

// Limits of the human report without a full listing: a capture of a busy
// gateway holds tens of thousands of connections, and a reader wants the
// worst ones and the totals. Give them to pcap.SummaryOptions.
const (
	DetailLimit = 25
	TableLimit  = 100
)

var tableHeader = []string{"PROTO", "CLIENT", "SERVER", "STATE", "HISTORY", "PACKETS", "BYTES", "RTT", "FINDINGS", "DETAILS"}

// Human writes the report: totals, the finding codes, a detail block per
// connection with findings, and the connection table. With a Summary that
// keeps every connection (All) it lists all of them; otherwise the first
// DetailLimit and TableLimit, with a line saying how many more there are.
func Human(w io.Writer, rep *pcap.Report, s *pcap.Summary) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	fmt.Fprintf(bw, "%s (%s): %s, %s, %d with findings\n", render.Escape(rep.File), rep.Format,
		textutil.Plural(rep.Packets, "packet", "packets"), textutil.Plural(s.Kept, "connection", "connections"), s.WithFindings)
	if rep.ReadError != nil {
		fmt.Fprintf(bw, "INCOMPLETE: %s\n", render.Escape(rep.ReadError.Error()))
	}
	if codes := s.Codes(); len(codes) > 0 {
		fmt.Fprintln(bw)
		t := render.Table{Header: []string{"FINDING", "SEVERITY", "CONNECTIONS", "FIRST SEEN ON"}}
		for _, cc := range codes {
			t.Add(cc.Code, cc.Severity, fmt.Sprint(cc.Connections), cc.First.Client+" -> "+cc.First.Server)
		}
		if err := t.Write(bw); err != nil {
			return err
		}
	}
	if s.All() {
		err := s.Each(func(c *pcap.Connection) error {
			if len(c.Findings) > 0 {
				writeDetail(bw, c)
			}
			return nil
		})
		if err != nil {
			return err
		}
	} else {
		for _, c := range s.Detail() {
			writeDetail(bw, &c)
		}
		if s.WithFindings > DetailLimit {
			fmt.Fprintf(bw, "\n... %d more connections with findings (--all lists them, -o json has everything)\n", s.WithFindings-DetailLimit)
		}
	}
	bw.WriteString("\n")
	if s.All() {
		if err := writeFullTable(bw, s); err != nil {
			return err
		}
		return bw.Flush()
	}
	t := render.Table{Header: tableHeader}
	for _, c := range s.Table() {
		t.Add(tableRow(&c)...)
	}
	if err := t.Write(bw); err != nil {
		return err
	}
	if s.Kept > TableLimit {
		fmt.Fprintf(bw, "... %d more connections (--all lists them, -o json has everything)\n", s.Kept-TableLimit)
	}
	return bw.Flush()
}

// writeFullTable writes the table of every connection without holding it:
// one pass over the connections measures the columns, a second writes the
// rows.
func writeFullTable(w *bufio.Writer, s *pcap.Summary) error {
	var cols render.Columns
	cols.Measure(tableHeader...)
	err := s.Each(func(c *pcap.Connection) error {
		cols.Measure(tableRow(c)...)
		return nil
	})
	if err != nil {
		return err
	}
	cols.WriteRow(w, tableHeader...)
	return s.Each(func(c *pcap.Connection) error {
		return cols.WriteRow(w, tableRow(c)...)
	})
}

// writeDetail writes the detail block of a connection with findings.
func writeDetail(w io.Writer, c *pcap.Connection) {
	fmt.Fprintf(w, "\n%s  %s %s -> %s  %s %s  %s, %s%s\n", strings.ToUpper(c.Findings[0].Severity), c.Protocol,
		render.Escape(c.Client), render.Escape(c.Server), c.State, render.Escape(c.History),
		textutil.Plural(c.Packets, "packet", "packets"), textutil.Plural(int(c.Bytes), "byte", "bytes"), rttText(c.RTTMs))
	for _, f := range c.Findings {
		fmt.Fprintf(w, "  %-7s  %s  %s\n", f.Severity, f.Code, render.Escape(f.Message))
	}
	if c.TLS != nil {
		for i, cert := range c.TLS.Certificates {
			if cert.Error != "" {
				fmt.Fprintf(w, "  cert #%d  unparsable: %s\n", i+1, render.Escape(cert.Error))
				continue
			}
			fmt.Fprintf(w, "  cert #%d  %s  issued by %s  valid %s to %s\n", i+1, render.Escape(cert.Subject), render.Escape(cert.Issuer),
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
	return []string{c.Protocol, c.Client, c.Server, c.State, c.History, fmt.Sprint(c.Packets), fmt.Sprint(c.Bytes), rtt, render.OrDash(strings.Join(codes, ",")), render.OrDash(details(c))}
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

// Problems writes what could not be read (for stderr): where reading
// stopped, the frames not analysed by reason, frames cut by the snap
// length.
func Problems(w io.Writer, rep *pcap.Report) {
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

// Progress returns a pcap.Options.Progress that keeps one line on w (a
// terminal) up to date, and the function that clears it when reading ends.
func Progress(w io.Writer, file string) (progress func(packets int, bytes int64), clear func(rep *pcap.Report)) {
	progress = func(n int, b int64) {
		fmt.Fprintf(w, "\rreading %s: %d packets, %s", render.Escape(file), n, textutil.Size(b))
	}
	clear = func(rep *pcap.Report) {
		if rep != nil && rep.Packets >= pcap.ProgressEvery {
			fmt.Fprint(w, "\r\033[K")
		}
	}
	return progress, clear
}
