package probe

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/pathproof/pathproof/internal/redact"
)

// attempt is the outcome of one try against one address.
type attempt struct {
	ok      bool
	rtt     time.Duration
	timings *Timings
	failure *Failure
	tls     *TLSReport
	http    *HTTPInfo
}

// phases collects per-phase durations as an attempt goes; toTimings turns
// them into curl's cumulative times.
type phases struct {
	dns, connect, tls, request, wait, transfer time.Duration
}

func (p phases) toTimings() *Timings {
	cum := []time.Duration{p.dns}
	for _, d := range []time.Duration{p.connect, p.tls, p.request, p.wait, p.transfer} {
		cum = append(cum, cum[len(cum)-1]+d)
	}
	t := &Timings{NameLookup: sec(cum[0]), Connect: sec(cum[1]), AppConnect: sec(cum[2]), PreTransfer: sec(cum[3]), StartTransfer: sec(cum[4]), Total: sec(cum[5])}
	// Phases from the rounded cumulative values, so they add up exactly.
	c := []float64{0, t.NameLookup, t.Connect, t.AppConnect, t.PreTransfer, t.StartTransfer, t.Total}
	d := func(i int) float64 { return roundMS((c[i+1] - c[i]) * 1000) }
	t.Phases = Phases{DNS: d(0), Connect: d(1), TLS: d(2), Request: d(3), Wait: d(4), Transfer: d(5)}
	return t
}

func roundMS(v float64) float64 { return float64(int64(v*1000+0.5)) / 1000 }

// connAttempt runs one TCP connect, then TLS and HTTP as the protocol
// asks, against addr.
func (p *prober) connAttempt(ctx context.Context, addr netip.Addr, dnsTime time.Duration) attempt {
	ctx, cancel := context.WithTimeout(ctx, p.o.Timeout)
	defer cancel()
	var ph phases
	ph.dns = dnsTime
	a := attempt{}
	target := net.JoinHostPort(addr.String(), strconv.Itoa(int(p.o.Port)))
	d := net.Dialer{}
	start := time.Now()
	conn, err := d.DialContext(ctx, "tcp", target)
	ph.connect = time.Since(start)
	if err != nil {
		a.failure = classifyDial(err, target, p.o.Timeout)
		a.timings = ph.toTimings()
		return a
	}
	defer conn.Close()
	a.rtt = ph.connect
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	if p.o.Protocol.TLS() {
		t0 := time.Now()
		tc, rep, f := p.handshake(ctx, conn)
		ph.tls = time.Since(t0)
		a.tls = rep
		if f != nil {
			a.failure = f
			a.timings = ph.toTimings()
			return a
		}
		conn = tc
	}
	if p.o.Protocol.HTTP() {
		info, rtt, f := p.httpExchange(conn, &ph)
		a.http = info
		a.rtt = rtt
		if f != nil {
			a.failure = f
			a.timings = ph.toTimings()
			return a
		}
	}
	a.ok = true
	a.timings = ph.toTimings()
	return a
}

// classifyDial maps a connect error to a failure class: RST, silence or
// an ICMP error.
func classifyDial(err error, target string, timeout time.Duration) *Failure {
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return newFailure(ClassTCPRefused, "connection to "+target+" refused", "TCP RST in answer to SYN (ECONNREFUSED)")
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.EHOSTDOWN):
		return newFailure(ClassTCPUnreachable, "host "+target+" unreachable", "ICMP host unreachable or no ARP/ND answer (EHOSTUNREACH): "+err.Error())
	case errors.Is(err, syscall.ENETUNREACH):
		return newFailure(ClassTCPUnreachable, "network of "+target+" unreachable", "ICMP network unreachable or no local route (ENETUNREACH): "+err.Error())
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return newFailure(ClassTCPTimeout, fmt.Sprintf("no answer from %s within %s", target, timeout), "SYN sent; no SYN-ACK, RST or ICMP error came back before the timeout")
	case errors.Is(err, syscall.ECONNRESET):
		return newFailure(ClassTCPReset, "connection to "+target+" reset right after it was accepted", "RST after the handshake (ECONNRESET): "+err.Error())
	default:
		return newFailure(ClassTCPUnreachable, "cannot connect to "+target, err.Error())
	}
}

// handshake runs a TLS handshake that records the presented certificates
// whatever happens, then judges them with analyzeChain.
func (p *prober) handshake(ctx context.Context, conn net.Conn) (*tls.Conn, *TLSReport, *Failure) {
	rep := &TLSReport{ServerName: p.sni, TrustStore: p.trustStore, VerifyName: p.verifyName, Certificates: []CertInfo{}}
	var presented []*x509.Certificate
	cfg := &tls.Config{
		ServerName: p.sni,
		// Verification is done below, by analyzeChain, so the chain can be
		// reported even when it would not verify.
		InsecureSkipVerify: true,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			for _, r := range raw {
				if c, err := x509.ParseCertificate(r); err == nil {
					presented = append(presented, c)
				}
			}
			return nil
		},
	}
	if p.o.Protocol == HTTPS {
		cfg.NextProtos = []string{"http/1.1"}
	}
	tc := tls.Client(conn, cfg)
	err := tc.HandshakeContext(ctx)
	if err != nil {
		var rh tls.RecordHeaderError
		ev := err.Error()
		msg := "the TLS handshake failed"
		switch {
		case errors.As(err, &rh):
			msg = "the server did not answer with TLS"
			ev = fmt.Sprintf("first bytes %q are not a TLS record (a plain-text service on this port?)", rh.RecordHeader[:])
		case strings.Contains(ev, "remote error"):
			msg = "the server sent a TLS alert: " + strings.TrimPrefix(ev, "remote error: tls: ")
		case errors.Is(err, io.EOF), errors.Is(err, syscall.ECONNRESET):
			msg = "the server closed the connection during the handshake"
		case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
			msg = fmt.Sprintf("no handshake reply within %s", p.o.Timeout)
		}
		if len(presented) > 0 {
			_ = analyzeChain(rep, presented, p.chainCheck())
		}
		return nil, rep, newFailure(ClassTLSHandshakeFailed, msg, ev)
	}
	st := tc.ConnectionState()
	rep.Version = tls.VersionName(st.Version)
	rep.CipherSuite = tls.CipherSuiteName(st.CipherSuite)
	rep.ALPN = st.NegotiatedProtocol
	if f := analyzeChain(rep, presented, p.chainCheck()); f != nil {
		return nil, rep, f
	}
	return tc, rep, nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// firstByte records when the first byte of the response arrives.
type firstByte struct {
	r    io.Reader
	at   time.Time
	seen bool
}

func (f *firstByte) Read(b []byte) (int, error) {
	n, err := f.r.Read(b)
	if n > 0 && !f.seen {
		f.seen, f.at = true, time.Now()
	}
	return n, err
}

// httpExchange sends one HTTP/1.1 request on conn and reads the response
// (body up to 1 MiB). It returns the request-to-first-byte time as RTT.
func (p *prober) httpExchange(conn net.Conn, ph *phases) (*HTTPInfo, time.Duration, *Failure) {
	scheme := string(p.o.Protocol)
	u := scheme + "://" + p.hostHeader() + p.o.Path
	info := &HTTPInfo{Method: p.o.Method, URL: redact.String(u), Expected: p.o.ExpectText}
	req, err := http.NewRequest(p.o.Method, u, nil)
	if err != nil {
		return info, 0, newFailure(ClassHTTPStatus, "cannot build the request", err.Error())
	}
	req.Header.Set("User-Agent", "pathproof-probe")
	req.Close = true
	t0 := time.Now()
	if err := req.Write(conn); err != nil {
		ph.request = time.Since(t0)
		if f := noResponse(err, p.o.Timeout); f != nil {
			return info, 0, f
		}
		return info, 0, newFailure(ClassHTTPStatus, "no HTTP response: sending the request failed", err.Error())
	}
	sent := time.Now()
	ph.request = sent.Sub(t0)
	fb := &firstByte{r: conn}
	resp, err := http.ReadResponse(bufio.NewReader(fb), req)
	if err != nil {
		ph.wait = time.Since(sent)
		if f := noResponse(err, p.o.Timeout); f != nil {
			return info, 0, f
		}
		return info, 0, newFailure(ClassHTTPStatus, "no valid HTTP response", err.Error())
	}
	ph.wait = fb.at.Sub(sent)
	n, _ := io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	ph.transfer = time.Since(fb.at)
	info.Status = resp.StatusCode
	info.StatusText = strings.TrimSpace(strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode)))
	info.Proto = resp.Proto
	info.Server = resp.Header.Get("Server")
	info.ContentLength = n
	if !p.o.Expect.Contains(resp.StatusCode) {
		return info, ph.wait, newFailure(ClassHTTPStatus, fmt.Sprintf("HTTP %d %s, expected %s", resp.StatusCode, info.StatusText, p.o.ExpectText),
			fmt.Sprintf("%s %s -> %s (server %q)", p.o.Method, info.URL, resp.Status, info.Server))
	}
	return info, ph.wait, nil
}

// noResponse classes an error that ended an HTTP exchange before any
// response: a reset (the server aborted) or a timeout (it never answered).
// Other errors (a malformed response, a close) are not classed here.
func noResponse(err error, timeout time.Duration) *Failure {
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return newFailure(ClassTCPReset, "the server reset the connection instead of answering", "RST after the request (ECONNRESET): "+err.Error())
	case errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return newFailure(ClassHTTPTimeout, fmt.Sprintf("no HTTP response within %s", timeout), "connected and sent the request; no byte of a response came back: "+err.Error())
	}
	return nil
}

// LoadCA reads a PEM bundle of trusted roots.
func LoadCA(path string) (*x509.CertPool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	certs := parsePEMCerts(b)
	if len(certs) == 0 {
		return nil, fmt.Errorf("%s: no PEM certificate found", path)
	}
	pool := x509.NewCertPool()
	for _, c := range certs {
		pool.AddCert(c)
	}
	return pool, nil
}

func parsePEMCerts(b []byte) []*x509.Certificate {
	var out []*x509.Certificate
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			return out
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		if c, err := x509.ParseCertificate(blk.Bytes); err == nil {
			out = append(out, c)
		}
	}
}
