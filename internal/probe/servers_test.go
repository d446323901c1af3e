package probe

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/miekg/dns"
)

// Loopback servers the tests probe. Each closes at cleanup.

// httpStatus serves every request with code.
func httpStatus(t *testing.T, code int) int {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Server", "test\u202eevil")
		w.WriteHeader(code)
	}))
	t.Cleanup(s.Close)
	return s.Listener.Addr().(*net.TCPAddr).Port
}

// dnsServer answers on loopback UDP:
//
//	good.test            A 127.0.0.1
//	multi.test           A 127.0.0.1, 127.0.0.2
//	nx.test              NXDOMAIN
//	fail.test            SERVFAIL
//	silent.test          (never answers)
//	db.privatelink.database.windows.net  A 20.60.1.1 (public)
//	st.blob.core.windows.net  CNAME st.privatelink.blob.core.windows.net, A 20.60.1.2
//	ok.privatelink.blob.core.windows.net  A 10.1.2.3
//
// It returns "127.0.0.1:PORT".
func dnsServer(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a := func(name, ip string) dns.RR {
		rr, _ := dns.NewRR(name + " 60 IN A " + ip)
		return rr
	}
	h := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		q := r.Question[0]
		switch q.Name {
		case "silent.test.":
			return
		case "nx.test.":
			m.Rcode = dns.RcodeNameError
		case "fail.test.":
			m.Rcode = dns.RcodeServerFailure
		case "good.test.":
			if q.Qtype == dns.TypeA {
				m.Answer = append(m.Answer, a(q.Name, "127.0.0.1"))
			}
		case "multi.test.":
			if q.Qtype == dns.TypeA {
				m.Answer = append(m.Answer, a(q.Name, "127.0.0.1"), a(q.Name, "127.0.0.2"))
			}
		case "db.privatelink.database.windows.net.":
			if q.Qtype == dns.TypeA {
				m.Answer = append(m.Answer, a(q.Name, "20.60.1.1"))
			}
		case "st.blob.core.windows.net.":
			cn, _ := dns.NewRR(q.Name + " 60 IN CNAME st.privatelink.blob.core.windows.net.")
			m.Answer = append(m.Answer, cn)
			if q.Qtype == dns.TypeA {
				m.Answer = append(m.Answer, a("st.privatelink.blob.core.windows.net.", "20.60.1.2"))
			}
		case "ok.privatelink.blob.core.windows.net.":
			if q.Qtype == dns.TypeA {
				m.Answer = append(m.Answer, a(q.Name, "10.1.2.3"))
			}
		default:
			m.Rcode = dns.RcodeNameError
		}
		_ = w.WriteMsg(m)
	})
	srv := &dns.Server{PacketConn: pc, Handler: h}
	go func() { _ = srv.ActivateAndServe() }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	return "127.0.0.1:" + strconv.Itoa(pc.LocalAddr().(*net.UDPAddr).Port)
}
