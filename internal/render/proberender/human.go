// Package proberender prints a probe.Result for people: verdict and
// failure first, then DNS, addresses, timings, the TLS chain and HTTP. Its
// JSON is the Result itself (render.JSON).
package proberender

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/probe"
	"github.com/pathproof/pathproof/internal/render"
)

// Human writes the report for people: verdict and failure first, then
// DNS, addresses, timings, TLS chain and HTTP.
func Human(w io.Writer, r *probe.Result) error {
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
