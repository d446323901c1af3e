package demo

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/pathproof/pathproof/internal/pcap/synth"
)

var pcapDemo = Demo{
	Name:    "pcap",
	Summary: "explain every connection in a capture: SYN unanswered, refused, leaf-only TLS chain, privatelink DNS to a public IP, HTTP 503",
	Outputs: []string{"json"},
	Run:     runPcap,
}

// runPcap writes the demo capture (synth.Demo) to env.Dir and explains it
// with a real `pathproof pcap`.
func runPcap(ctx context.Context, env *Env) error {
	var b bytes.Buffer
	if err := synth.Demo(&b); err != nil {
		return fmt.Errorf("building the demo capture: %w", err)
	}
	file, err := env.File("demo.pcap")
	if err != nil {
		return err
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		return err
	}
	args := append([]string{"pcap", file}, env.OutputArgs()...)
	fmt.Fprintf(env.Narration(), "$ %s\n\n", CommandLine(args))
	return exit(env.Exec(ctx, nil, args...))
}
