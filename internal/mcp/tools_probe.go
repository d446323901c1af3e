package mcp

import (
	"context"
	"fmt"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/pathproof/pathproof/internal/probe"
)

// maxProbeCount bounds the attempts of one probe call.
const maxProbeCount = 10

type probeIn struct {
	Target      string `json:"target" jsonschema:"a host name, an IP, HOST:PORT or an http(s):// URL"`
	Protocol    string `json:"protocol,omitempty" jsonschema:"tcp, tls, https, http, dns or icmp (default: from the URL, else tcp)"`
	Port        int    `json:"port,omitempty" jsonschema:"the port (default 443 for tls and https, 80 for http; required for tcp)"`
	Count       int    `json:"count,omitempty" jsonschema:"attempts per address, 1 to 10 (default 1)"`
	TimeoutMs   int    `json:"timeout_ms,omitempty" jsonschema:"time limit of one attempt in milliseconds (default 5000)"`
	Resolver    string `json:"resolver,omitempty" jsonschema:"ask this DNS server (IP[:PORT]) instead of the system resolver"`
	AddressMode string `json:"address_mode,omitempty" jsonschema:"first (default) or each resolved address"`
	SNI         string `json:"sni,omitempty" jsonschema:"TLS server name to send and verify (default: the target name)"`
	ConnectTo   string `json:"connect_to,omitempty" jsonschema:"connect to this IP instead of resolving; SNI and Host stay the target name"`
	Method      string `json:"method,omitempty" jsonschema:"HTTP method (default GET)"`
	Path        string `json:"path,omitempty" jsonschema:"HTTP path"`
	Expect      string `json:"expect,omitempty" jsonschema:"accepted HTTP statuses, e.g. 200-299,3xx"`
}

func (h *server) addProbeTool(s *sdk.Server) {
	addTool(s, h.o.Log, tool{name: "probe", title: "Probe a target from this machine", openWorld: true,
		desc: "Resolve a target, connect, handshake TLS and send an HTTP request or an ICMP echo from the machine the server runs on, and say why it fails: " +
			"a stable failure class (dns.*, tcp.*, tls.*, http.*), the evidence and a hint; the TLS chain even when it does not verify. " +
			"It sends packets; it changes nothing. Returns the JSON of `pathproof probe TARGET -o json`."},
		func(ctx context.Context, in probeIn) (any, error) {
			o := probe.Options{Target: in.Target, Protocol: in.Protocol, Port: in.Port, Count: in.Count, Interval: 200 * time.Millisecond,
				Timeout: time.Duration(in.TimeoutMs) * time.Millisecond, Resolver: in.Resolver, AddressMode: in.AddressMode,
				SNI: in.SNI, ConnectTo: in.ConnectTo, Method: in.Method, Path: in.Path, Expect: in.Expect}
			if o.Count == 0 {
				o.Count = 1
			}
			if o.Count < 1 || o.Count > maxProbeCount {
				return nil, fmt.Errorf("count %d: want 1 to %d", o.Count, maxProbeCount)
			}
			if o.Timeout == 0 {
				o.Timeout = 5 * time.Second
			}
			if o.Timeout < 0 || o.Timeout > 30*time.Second {
				return nil, fmt.Errorf("timeout_ms %d: want 1 to 30000", in.TimeoutMs)
			}
			if o.AddressMode == "" {
				o.AddressMode = "first"
			}
			plan, err := o.Plan()
			if err != nil {
				return nil, err
			}
			return probe.Run(ctx, plan)
		})
}
