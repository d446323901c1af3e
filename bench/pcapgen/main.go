// Command pcapgen writes a synthetic capture for the pcap benchmark: many
// TCP connections open at once (interleaved packet by packet, as on a busy
// gateway), HTTP and TLS handshakes, some retransmissions, resets and
// unanswered SYNs, plus DNS lookups. With -short it writes the "many short
// connections" shape instead (a busy front end, health probes, a scan):
// -conns TCP connections of about 7 packets (handshake, one -payload-byte
// non-TLS payload each way on port 443, 80, 1433 or 3389, FIN exchange),
// -unanswered percent of them unanswered SYNs (with two retries, 10 and 20
// ms later: the capture clock is shared by all connections) and
// -reset percent answered by RST, -live open at once.
//
//	go run ./bench/pcapgen -packets 1000000 -live 2000 -o /tmp/bench.pcap
//	go run ./bench/pcapgen -short -conns 135000 -live 500 -o /tmp/short.pcap
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/pathproof/pathproof/internal/pcap/synth"
)

func main() {
	packets := flag.Int("packets", 1_000_000, "packets to write (at least)")
	live := flag.Int("live", 2000, "connections open at the same time")
	rounds := flag.Int("rounds", 1, "multiply the requests per connection (longer connections, fewer of them)")
	out := flag.String("o", "bench.pcap", "output file")
	short := flag.Bool("short", false, "the many-short-connections shape (-conns, -payload, -unanswered, -reset, -live)")
	conns := flag.Int("conns", 135_000, "with -short: TCP connections to write")
	payload := flag.Int("payload", 200, "with -short: bytes of payload each way")
	unanswered := flag.Int("unanswered", 5, "with -short: percent of connections whose SYN gets no answer")
	reset := flag.Int("reset", 5, "with -short: percent of connections answered by RST")
	flag.Parse()
	var err error
	if *short {
		err = runShort(*conns, *live, *payload, *unanswered, *reset, *out)
	} else {
		err = run(*packets, *live, max(*rounds, 1), *out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pcapgen:", err)
		os.Exit(1)
	}
}

// flow is one connection written step by step.
type flow struct {
	k     *synth.Conn
	steps []func() error
}

func run(packets, live, rounds int, out string) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	c, err := synth.New(w, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	hello := synth.Record(22, synth.ClientHello("api.contoso.com", "h2"))
	serverFlight := synth.Record(22, append(synth.ServerHello(), synth.ServerHelloDone()...))
	body := make([]byte, 1400)
	req := []byte("GET /api/items HTTP/1.1\r\nHost: app.contoso.com\r\n\r\n")
	resp := append([]byte("HTTP/1.1 200 OK\r\nContent-Length: 4200\r\n\r\n"), body[:1300]...)
	n := 0
	newFlow := func() *flow {
		n++
		cli := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 1, byte(n >> 16 & 0x3f), byte(n >> 8)}), uint16(10000+n%50000))
		srv := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 2, 0, byte(1 + n%200)}), 443)
		k := c.NewConn(cli, srv, time.Duration(1+rng.IntN(20))*time.Millisecond)
		fl := &flow{k: k}
		switch r := rng.IntN(100); {
		case r < 2: // unanswered
			fl.steps = append(fl.steps, func() error { return k.Unanswered(3) })
		case r < 4: // refused
			fl.steps = append(fl.steps, k.Refused)
		case r < 40: // TLS
			fl.steps = append(fl.steps, k.Handshake, func() error { return k.ClientSend(hello) }, func() error { return k.ServerSend(serverFlight) })
			for i := 0; i < rounds*(4+rng.IntN(16)); i++ {
				fl.steps = append(fl.steps, func() error { return k.ServerSend(body) }, func() error { return k.ClientSend(body[:200]) })
			}
			fl.steps = append(fl.steps, k.Close)
		default: // HTTP
			fl.steps = append(fl.steps, k.Handshake)
			for i := 0; i < rounds*(2+rng.IntN(10)); i++ {
				fl.steps = append(fl.steps, func() error { return k.ClientSend(req) }, func() error { return k.ServerSend(resp) })
				if rng.IntN(20) == 0 {
					fl.steps = append(fl.steps, func() error { return k.Retransmit(resp[:1300]) })
				}
			}
			if rng.IntN(10) == 0 {
				fl.steps = append(fl.steps, k.Reset)
			} else {
				fl.steps = append(fl.steps, k.Close)
			}
		}
		return fl
	}
	flows := make([]*flow, 0, live)
	for len(flows) < live {
		flows = append(flows, newFlow())
	}
	dnsSrv := netip.MustParseAddrPort("168.63.129.16:53")
	for i := 0; c.Packets < packets; i++ {
		j := rng.IntN(len(flows))
		fl := flows[j]
		if err := fl.steps[0](); err != nil {
			return err
		}
		fl.steps = fl.steps[1:]
		if len(fl.steps) == 0 {
			flows[j] = newFlow()
		}
		if i%50 == 0 {
			cli := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 1, 200, byte(i)}), uint16(20000+i%40000))
			rc := layers.DNSResponseCodeNoErr
			if i%500 == 0 {
				rc = layers.DNSResponseCodeNXDomain
			}
			if err := c.DNS(cli, dnsSrv, uint16(i), "svc.contoso.com", rc, "10.2.0.9"); err != nil {
				return err
			}
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "pcapgen: wrote %d packets, %d connections, to %s\n", c.Packets, n, out)
	return f.Close()
}

// runShort writes the many-short-connections shape.
func runShort(conns, live, payload, unanswered, reset int, out string) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	c, err := synth.New(w, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(3, 4))
	data := make([]byte, payload)
	for i := range data {
		data[i] = 'a' + byte(i%26)
	}
	ports := [...]uint16{443, 80, 1433, 3389}
	us := 50 * time.Microsecond
	n := 0
	newFlow := func() *flow {
		cli := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 1, byte(n >> 16 & 0x3f), byte(n >> 8)}), uint16(10000+n%50000))
		srv := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 2, byte(n % 7), byte(1 + n%200)}), ports[n%len(ports)])
		n++
		const cs, ss = 1000, 5000
		p := uint32(payload)
		tcp := func(dt time.Duration, from, to netip.AddrPort, flags int, seq, ack uint32, b []byte) func() error {
			return func() error { return c.TCP(dt, from, to, flags, seq, ack, b, 0) }
		}
		fl := &flow{}
		switch r := rng.IntN(100); {
		case r < unanswered:
			fl.steps = []func() error{tcp(us, cli, srv, synth.SYN, cs, 0, nil), tcp(10*time.Millisecond, cli, srv, synth.SYN, cs, 0, nil), tcp(20*time.Millisecond, cli, srv, synth.SYN, cs, 0, nil)}
		case r < unanswered+reset:
			fl.steps = []func() error{tcp(us, cli, srv, synth.SYN, cs, 0, nil), tcp(us, srv, cli, synth.RST|synth.ACK, 0, cs+1, nil)}
		default:
			fl.steps = []func() error{
				tcp(us, cli, srv, synth.SYN, cs, 0, nil),
				tcp(us, srv, cli, synth.SYN|synth.ACK, ss, cs+1, nil),
				tcp(us, cli, srv, synth.ACK, cs+1, ss+1, nil),
				tcp(us, cli, srv, synth.PSH|synth.ACK, cs+1, ss+1, data),
				tcp(us, srv, cli, synth.PSH|synth.ACK, ss+1, cs+1+p, data),
				tcp(us, cli, srv, synth.FIN|synth.ACK, cs+1+p, ss+1+p, nil),
				tcp(us, srv, cli, synth.FIN|synth.ACK, ss+1+p, cs+2+p, nil),
				tcp(us, cli, srv, synth.ACK, cs+2+p, ss+2+p, nil),
			}
		}
		return fl
	}
	flows := make([]*flow, 0, live)
	for len(flows) < live && n < conns {
		flows = append(flows, newFlow())
	}
	for len(flows) > 0 {
		j := rng.IntN(len(flows))
		fl := flows[j]
		if err := fl.steps[0](); err != nil {
			return err
		}
		fl.steps = fl.steps[1:]
		if len(fl.steps) == 0 {
			if n < conns {
				flows[j] = newFlow()
			} else {
				flows[j] = flows[len(flows)-1]
				flows = flows[:len(flows)-1]
			}
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "pcapgen: wrote %d packets, %d connections, to %s\n", c.Packets, n, out)
	return f.Close()
}
