package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/probe"
	"github.com/pathproof/pathproof/internal/render"
)

func init() { register("probe", newProbeCmd) }

func newProbeCmd(env *Env) *cobra.Command {
	var o probe.Options
	var v4, v6 bool
	cmd := &cobra.Command{
		Use:   "probe TARGET",
		Short: "Probe a target (DNS, TCP, TLS, HTTP, ICMP) and say why it fails",
		Long: `Resolve TARGET, connect, handshake TLS and send an HTTP request or an ICMP
echo, from wherever pathproof runs. A failure gets a stable class (see
'pathproof codes --domain probe'), the evidence and a hint; the TLS chain is
reported even when it does not verify. Timings are curl's --write-out times.

TARGET is a name, an IP, HOST:PORT or an http(s):// URL.

Exit status: 0 reachable, 1 failed, 2 usage error, 4 partly reachable (some
addresses or some attempts failed).`,
		Example: `  pathproof probe 10.1.0.4:443
  pathproof probe https://myvault.vault.azure.net/healthstatus --resolver 168.63.129.16
  pathproof probe mystorage.blob.core.windows.net --protocol dns --resolver 10.0.0.4
  pathproof probe app.internal --protocol tls --ca corp-root.pem --connect-to 10.2.0.10
  pathproof probe 10.1.0.4 --protocol icmp --count 20 --interval 200ms`,
		Args: cobra.ExactArgs(1),
	}
	f := cmd.Flags()
	f.IntVarP(&o.Port, "port", "p", 0, "port (default: 443 for tls/https, 80 for http; required for tcp)")
	f.StringVar(&o.Protocol, "protocol", "", "tcp|tls|https|http|dns|icmp (default: from the URL, else tcp)")
	f.IntVarP(&o.Count, "count", "c", 1, "attempts per address (loss, RTT statistics and jitter over them)")
	f.DurationVarP(&o.Interval, "interval", "i", time.Second, "pause between attempts")
	f.DurationVar(&o.Timeout, "timeout", 5*time.Second, "time limit of one attempt (and of the DNS lookup)")
	f.StringVar(&o.Resolver, "resolver", "", "ask this DNS server (IP[:PORT]) instead of the system resolver")
	f.StringVar(&o.AddressMode, "address-mode", "first", "first|each: probe the first resolved address or every one")
	f.BoolVarP(&v4, "ipv4", "4", false, "resolve and probe IPv4 addresses only")
	f.BoolVarP(&v6, "ipv6", "6", false, "resolve and probe IPv6 addresses only")
	f.StringVar(&o.SNI, "sni", "", "TLS server name to send and verify (default: the target name)")
	f.StringVar(&o.CAFile, "ca", "", "PEM file of trusted roots to judge the chain with, instead of the system store")
	f.StringVar(&o.ConnectTo, "connect-to", "", "connect to this IP instead of resolving; SNI and Host stay the target name")
	f.BoolVar(&o.FetchAIA, "fetch-aia", false, "download missing intermediates named in the certificate's AIA, as browsers do")
	f.StringVar(&o.Method, "method", "", "HTTP method (default GET)")
	f.StringVar(&o.Path, "path", "", "HTTP path (default / or the URL's)")
	f.StringVar(&o.Expect, "expect", "", "accepted HTTP statuses, e.g. 200-299,3xx (default "+probe.DefaultStatusRanges+")")
	out := addOutputFlag(cmd, "json")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		if v4 && v6 {
			return Usagef("-4 and -6 exclude each other")
		}
		if v4 {
			o.Family = "ip4"
		} else if v6 {
			o.Family = "ip6"
		}
		o.Target = args[0]
		if err := o.Normalize(); err != nil {
			return Usagef("%v", err)
		}
		if o.CAFile != "" {
			if _, err := probe.LoadCA(o.CAFile); err != nil {
				return Usagef("%v", err)
			}
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if isTerminal(env.Stderr) {
			fmt.Fprintf(env.Stderr, "probing %s (%s) ...\n", render.Escape(o.Target), o.Protocol)
		}
		res, err := probe.Run(ctx, o)
		if err != nil {
			return err
		}
		if out.String() == "json" {
			if err := render.JSON(env.Stdout, res); err != nil {
				return err
			}
		} else if err := writeProbe(env.Stdout, res); err != nil {
			return err
		}
		return probeExit(res)
	}
	return cmd
}

// probeExit maps a verdict to the exit status.
func probeExit(res *probe.Result) error {
	switch res.Verdict {
	case probe.VerdictReachable:
		return nil
	case probe.VerdictPartial:
		return Partial()
	default:
		return Failed()
	}
}

// writeProbe prints the human report: verdict and failure first, then
// DNS, addresses, timings, TLS chain and HTTP.
func writeProbe(w io.Writer, r *probe.Result) error {
	var b strings.Builder
	e := render.Escape
	target := r.Target
	if r.Port != 0 {
		target += ":" + strconv.Itoa(r.Port)
	}
	fmt.Fprintf(&b, "%s %s: %s", r.Protocol, e(target), strings.ToUpper(r.Verdict))
	if r.Failure != nil {
		fmt.Fprintf(&b, "  %s\n", r.Failure.Class)
		fmt.Fprintf(&b, "  %s\n", e(r.Failure.Message))
		if r.Failure.Evidence != "" {
			fmt.Fprintf(&b, "  evidence: %s\n", e(r.Failure.Evidence))
		}
		fmt.Fprintf(&b, "  hint: %s\n", r.Failure.Hint)
	} else {
		b.WriteString("\n")
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "  note: %s\n", e(n))
	}
	if d := r.DNS; d != nil {
		var ans []string
		for _, a := range d.Answers {
			ans = append(ans, a.Address+" ("+probeScope(a.Private)+")")
		}
		fmt.Fprintf(&b, "\nDNS  %s via %s in %.1f ms: %s\n", e(d.Name), d.Resolver, d.LookupMS, probeOrNone(strings.Join(ans, ", ")))
		if len(d.CNAMEs) > 0 {
			fmt.Fprintf(&b, "     aliases: %s\n", e(strings.Join(d.CNAMEs, " -> ")))
		}
		if d.PrivateLinkZone != "" {
			fmt.Fprintf(&b, "     private-link zone: %s\n", e(d.PrivateLinkZone))
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	if len(r.Addresses) > 0 && r.Protocol != "dns" {
		fmt.Fprintln(w)
		t := render.Table{Header: []string{"ADDRESS", "SCOPE", "VERDICT", "SENT", "RECV", "LOSS%", "MIN", "AVG", "MAX", "P95", "JITTER", "FAILURE"}}
		for _, a := range r.Addresses {
			s := a.Stats
			cls := ""
			if a.Failure != nil {
				cls = a.Failure.Class
			}
			t.Add(a.Address, probeScope(a.Private), a.Verdict, strconv.Itoa(s.Sent), strconv.Itoa(s.Received), probeF1(s.LossPercent),
				probeMS(s, s.MinMS), probeMS(s, s.AvgMS), probeMS(s, s.MaxMS), probeMS(s, s.P95MS), probeMS(s, s.JitterMS), cls)
		}
		if err := t.Write(w); err != nil {
			return err
		}
		fmt.Fprintln(w, "(RTT in ms: TCP connect for tcp/tls, request to first byte for http(s), echo for icmp)")
	}
	if tm := r.Timings; tm != nil && r.Protocol != "dns" {
		fmt.Fprintln(w, "\nTIMINGS of the first attempt (curl --write-out names)")
		t := render.Table{Header: []string{"PHASE", "MS", "CUMULATIVE", "S"}}
		p := tm.Phases
		t.Add("dns", probeF3(p.DNS), "namelookup", probeF6(tm.NameLookup))
		t.Add("connect", probeF3(p.Connect), "connect", probeF6(tm.Connect))
		t.Add("tls", probeF3(p.TLS), "appconnect", probeF6(tm.AppConnect))
		t.Add("request", probeF3(p.Request), "pretransfer", probeF6(tm.PreTransfer))
		t.Add("wait", probeF3(p.Wait), "starttransfer", probeF6(tm.StartTransfer))
		t.Add("transfer", probeF3(p.Transfer), "total", probeF6(tm.Total))
		if err := t.Write(w); err != nil {
			return err
		}
	}
	if r.TLS != nil {
		if err := probeWriteTLS(w, r.TLS); err != nil {
			return err
		}
	}
	if h := r.HTTP; h != nil {
		fmt.Fprintf(w, "\nHTTP %s %s -> %d %s (expected %s, %s, server %q, %d bytes)\n", h.Method, e(h.URL), h.Status, e(h.StatusText), h.Expected, h.Proto, e(h.Server), h.ContentLength)
	}
	if r.ICMP != nil {
		fmt.Fprintf(w, "\nICMP echo over a %s socket\n", r.ICMP.Socket)
	}
	return nil
}

func probeWriteTLS(w io.Writer, t *probe.TLSReport) error {
	e := render.Escape
	verdict := "VERIFIED"
	if !t.Verified {
		verdict = "NOT VERIFIED"
	}
	sni := t.ServerName
	if sni == "" {
		sni = "(none)"
	}
	fmt.Fprintf(w, "\nTLS  %s %s, SNI %s, name checked %s, trust store %s: %s\n", t.Version, t.CipherSuite, e(sni), e(t.VerifyName), e(t.TrustStore), verdict)
	if t.VerifyError != "" {
		fmt.Fprintf(w, "     %s\n", e(t.VerifyError))
	}
	fmt.Fprintf(w, "     the server presented %d certificate(s), in this order:\n", len(t.Certificates))
	tb := render.Table{Header: []string{"#", "SUBJECT", "ISSUER", "NOT BEFORE", "NOT AFTER", "KEY", "SANS"}}
	for _, c := range t.Certificates {
		sans := append(append([]string{}, c.DNSNames...), c.IPAddresses...)
		tb.Add(strconv.Itoa(c.Position), c.Subject, c.Issuer, c.NotBefore.Format("2006-01-02"), c.NotAfter.Format("2006-01-02"),
			fmt.Sprintf("%s %d", c.KeyType, c.KeyBits), strings.Join(sans, ","))
	}
	if err := tb.Write(w); err != nil {
		return err
	}
	if len(t.VerifiedChain) > 0 {
		fmt.Fprintf(w, "     verified path: %s\n", e(strings.Join(t.VerifiedChain, " <- ")))
	}
	for _, a := range t.AIAFetched {
		fmt.Fprintf(w, "     fetched over AIA: %s\n", e(a))
	}
	for _, i := range t.Issues {
		fmt.Fprintf(w, "     issue: %s\n", e(i))
	}
	return nil
}

func probeScope(private bool) string {
	if private {
		return "private"
	}
	return "public"
}

func probeOrNone(s string) string {
	if s == "" {
		return "no addresses"
	}
	return s
}

func probeMS(s probe.Stats, v float64) string {
	if s.Received == 0 {
		return "-"
	}
	return probeF3(v)
}

func probeF1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
func probeF3(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }
func probeF6(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }
