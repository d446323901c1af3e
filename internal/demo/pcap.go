package demo

import (
	"bytes"
	"context"
	"fmt"

	"github.com/pathproof/pathproof/internal/pcap/synth"
)

var pcapDemo = Demo{
	Name:    "pcap",
	Summary: "explain every connection in a capture: SYN unanswered, refused, leaf-only TLS chain, privatelink DNS to a public IP, HTTP 503",
	Outputs: []string{"json"},
	Run:     runPcap,
}

// runPcap builds the demo capture (synth.Demo) and explains it with a real
// `pathproof pcap`.
func runPcap(ctx context.Context, env *Env) error {
	var b bytes.Buffer
	if err := synth.Demo(&b); err != nil {
		return fmt.Errorf("building the demo capture: %w", err)
	}
	args := append([]string{"pcap", "--label", "demo.pcap (built in)", "-"}, env.OutputArgs()...)
	return exit(env.Exec(ctx, &b, args...))
}
