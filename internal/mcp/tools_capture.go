package mcp

import (
	"context"
	"encoding/json"
	"fmt"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/pathproof/pathproof/internal/pcap"
)

// maxConnections bounds one pcap_summary answer.
const maxConnections = 200

type pcapSummaryIn struct {
	File   string `json:"file" jsonschema:"a pcap or pcapng file, by name inside the folders the server may read"`
	Offset int    `json:"offset,omitempty" jsonschema:"skip this many connections first (the next page)"`
	Limit  int    `json:"limit,omitempty" jsonschema:"at most this many connections, 1 to 200 (default 20)"`
}

type pcapConnectionIn struct {
	File  string `json:"file" jsonschema:"a pcap or pcapng file, by name inside the folders the server may read"`
	Index int    `json:"index" jsonschema:"the connection's 0-based position in the report (worst problems first), as pcap_summary lists them"`
}

func (h *server) addCaptureTools(s *sdk.Server) {
	addTool(s, h.o.Log, tool{name: "pcap_summary", title: "Explain a packet capture",
		desc: "Read a pcap or pcapng file and explain its connections, worst problems first: Zeek-style state and history, handshake RTT, retransmissions, " +
			"ICMP errors, TLS handshake and certificate chain, DNS answers, HTTP statuses, findings with stable codes. Returns the JSON of `pathproof pcap FILE -o json` " +
			"with one page of its connections (offset, limit) and connections_total."},
		func(_ context.Context, in pcapSummaryIn) (any, error) {
			if in.Limit == 0 {
				in.Limit = 20
			}
			if in.Limit < 1 || in.Limit > maxConnections || in.Offset < 0 {
				return nil, fmt.Errorf("limit %d, offset %d: want limit 1 to %d and offset 0 or more", in.Limit, in.Offset, maxConnections)
			}
			rep, err := h.ws.Capture(in.File)
			if err != nil {
				return nil, err
			}
			return summary(rep, in.Offset, in.Limit)
		})
	addTool(s, h.o.Log, tool{name: "pcap_connection", title: "One connection of a capture",
		desc: "Everything the capture shows about one connection: both directions' packets, bytes, flags and retransmissions, the TLS handshake and chain, " +
			"DNS and HTTP exchanges, findings. Returns one element of the connections of `pathproof pcap FILE -o json`."},
		func(_ context.Context, in pcapConnectionIn) (any, error) {
			rep, err := h.ws.Capture(in.File)
			if err != nil {
				return nil, err
			}
			if in.Index < 0 || in.Index >= len(rep.Connections) {
				return nil, fmt.Errorf("index %d: the capture has %d connections (0 to %d)", in.Index, len(rep.Connections), len(rep.Connections)-1)
			}
			return rep.Connections[in.Index], nil
		})
}

// summary is the report's JSON with one page of its connections.
func summary(rep *pcap.Report, offset, limit int) (map[string]any, error) {
	page := *rep
	all := rep.Connections
	lo, hi := min(offset, len(all)), min(offset+limit, len(all))
	page.Connections = all[lo:hi]
	b, err := json.Marshal(&page)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	m["connections_total"] = len(all)
	m["offset"] = lo
	return m, nil
}
