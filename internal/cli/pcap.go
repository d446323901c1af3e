package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/pcap"
	"github.com/pathproof/pathproof/internal/pcap/synth"
	"github.com/pathproof/pathproof/internal/render"
)

func init() {
	register("pcap", newPcapCmd)
	registerDemo(demo{
		Name:    "pcap",
		Summary: "explain every connection in a capture: SYN unanswered, refused, leaf-only TLS chain, privatelink DNS to a public IP, HTTP 503",
		Order:   60,
		Run: func(env *Env, args []string) error {
			var b bytes.Buffer
			if err := synth.Demo(&b); err != nil {
				return fmt.Errorf("building the demo capture: %w", err)
			}
			sub := &Env{Stdin: &b, Stdout: env.Stdout, Stderr: env.Stderr}
			cmd := newPcapCmd(sub)
			cmd.SetArgs(append([]string{"--label", "demo.pcap (built in)", "-"}, args...))
			cmd.SetOut(env.Stdout)
			cmd.SetErr(env.Stderr)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			return cmd.Execute()
		},
	})
}

func newPcapCmd(env *Env) *cobra.Command {
	var spec filter.Spec
	var label string
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
	cmd.Flags().StringVar(&label, "label", "", "name to report for the capture instead of FILE")
	_ = cmd.Flags().MarkHidden("label")
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
		if label != "" {
			shown = label
		}
		opts := pcap.Options{File: shown}
		if lgIsTerminal(env.Stderr) {
			opts.Progress = func(n int, b int64) {
				fmt.Fprintf(env.Stderr, "\rreading %s: %d packets, %d MB", render.Escape(shown), n, b>>20)
			}
		}
		rep, err := pcap.Analyze(r, opts)
		if opts.Progress != nil && rep != nil && rep.Packets >= pcap.ProgressEvery {
			fmt.Fprint(env.Stderr, "\r\033[K") // clear the progress line
		}
		if err != nil {
			return fmt.Errorf("pcap: %s: %w", name, err)
		}
		rep.Connections = filterConnections(rep.Connections, f)
		if out.String() == "json" {
			err = render.JSON(env.Stdout, rep)
		} else {
			err = writePcapHuman(env.Stdout, rep, all)
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

// filterConnections keeps the connections the filter flags select, matched
// as client -> server.
func filterConnections(cs []pcap.Connection, f *filter.Filter) []pcap.Connection {
	out := cs[:0]
	for _, c := range cs {
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
		if f.Match(&e) {
			out = append(out, c)
		}
	}
	return out
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

func writePcapHuman(w io.Writer, rep *pcap.Report, all bool) error {
	var b strings.Builder
	type codeCount struct {
		code, severity, example string
		n                       int
	}
	byCode := map[string]*codeCount{}
	withFindings := 0
	for _, c := range rep.Connections {
		if len(c.Findings) > 0 {
			withFindings++
		}
		for _, f := range c.Findings {
			cc := byCode[f.Code]
			if cc == nil {
				cc = &codeCount{code: f.Code, severity: f.Severity, example: c.Client + " -> " + c.Server}
				byCode[f.Code] = cc
			}
			cc.n++
		}
	}
	fmt.Fprintf(&b, "%s (%s): %d packets, %d connections, %d with findings\n", render.Escape(rep.File), rep.Format, rep.Packets, len(rep.Connections), withFindings)
	if rep.ReadError != nil {
		fmt.Fprintf(&b, "INCOMPLETE: %s\n", render.Escape(rep.ReadError.Error()))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	b.Reset()
	if len(byCode) > 0 {
		counts := make([]*codeCount, 0, len(byCode))
		for _, cc := range byCode {
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
	shown := 0
	for _, c := range rep.Connections {
		if len(c.Findings) == 0 {
			continue
		}
		if !all && shown == detailLimit {
			fmt.Fprintf(&b, "\n... %d more connections with findings (--all lists them, -o json has everything)\n", withFindings-shown)
			break
		}
		shown++
		fmt.Fprintf(&b, "\n%s  %s %s -> %s  %s %s  %d packets, %d bytes%s\n", strings.ToUpper(c.Findings[0].Severity), c.Protocol,
			render.Escape(c.Client), render.Escape(c.Server), c.State, render.Escape(c.History), c.Packets, c.Bytes, rttText(c.RTTMs))
		for _, f := range c.Findings {
			fmt.Fprintf(&b, "  %-7s  %s  %s\n", f.Severity, f.Code, render.Escape(f.Message))
		}
		if c.TLS != nil {
			for i, cert := range c.TLS.Certificates {
				if cert.Error != "" {
					fmt.Fprintf(&b, "  cert #%d  unparsable: %s\n", i+1, render.Escape(cert.Error))
					continue
				}
				fmt.Fprintf(&b, "  cert #%d  %s  issued by %s  valid %s to %s\n", i+1, render.Escape(cert.Subject), render.Escape(cert.Issuer),
					cert.NotBefore.Format("2006-01-02"), cert.NotAfter.Format("2006-01-02"))
			}
		}
	}
	b.WriteString("\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	t := render.Table{Header: []string{"PROTO", "CLIENT", "SERVER", "STATE", "HISTORY", "PACKETS", "BYTES", "RTT", "FINDINGS", "DETAILS"}}
	for i, c := range rep.Connections {
		if !all && i == tableLimit {
			break
		}
		codes := make([]string, 0, len(c.Findings))
		for _, f := range c.Findings {
			codes = append(codes, f.Code)
		}
		rtt := "-"
		if c.RTTMs != nil {
			rtt = strings.ReplaceAll(msText(*c.RTTMs), " ", "")
		}
		t.Add(c.Protocol, c.Client, c.Server, c.State, c.History, fmt.Sprint(c.Packets), fmt.Sprint(c.Bytes), rtt, orDash(strings.Join(codes, ",")), orDash(details(&c)))
	}
	if err := t.Write(w); err != nil {
		return err
	}
	if !all && len(rep.Connections) > tableLimit {
		_, err := fmt.Fprintf(w, "... %d more connections (--all lists them, -o json has everything)\n", len(rep.Connections)-tableLimit)
		return err
	}
	return nil
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
