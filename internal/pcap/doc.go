// Package pcap explains every connection in a packet capture.
//
// It reads pcap and pcapng files (by magic number, whatever the file name)
// with gopacket's pcapgo readers, decodes each frame with one preallocated
// DecodingLayerParser per link type (Ethernet, Linux cooked v1 and v2, raw
// IP, BSD loopback, 802.1Q and QinQ), and keeps small per-connection state:
// Zeek's conn_state and history, handshake RTT, retransmissions, gaps,
// duplicates, zero windows, MSS, fragments, ICMP errors tied to the
// connection they quote, and the TLS, DNS and HTTP facts seen on it.
//
// Memory is bounded by the number of live connections, not by the number of
// packets: a connection that ends (RST, FIN both ways, or idle in capture
// time for Zeek's timeouts: 5 minutes for TCP, 1 for UDP and ICMP) is
// finished into a small Connection summary and its working state is
// dropped. Reassembly buffers for TLS handshakes
// are capped (see tlsparse). Stream hands each summary over as it is made
// and keeps none; Analyze keeps them all for Report.Connections. Top and
// Sorter build the report order (Before) from a stream in bounded memory.
//
// Bad input never panics: reading stops at the first corrupt record and the
// Report's ReadError says where (packet index, byte offset) and why; frames
// that cannot be decoded are counted in Report.Skipped.
package pcap
