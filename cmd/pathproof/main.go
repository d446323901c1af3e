// Command pathproof proves where a packet went in an Azure network and why it stopped.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/pathproof/pathproof/internal/cli"
)

func main() {
	os.Exit(run())
}

// run runs the command line. For profiling a whole run (docs/PERFORMANCE.md),
// PATHPROOF_CPUPROFILE=FILE writes a CPU profile and PATHPROOF_MEMPROFILE=FILE
// a heap profile at exit.
func run() int {
	if p := os.Getenv("PATHPROOF_CPUPROFILE"); p != "" {
		f, err := os.Create(p)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "PATHPROOF_CPUPROFILE:", err)
			return 1
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}
	code := cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if p := os.Getenv("PATHPROOF_MEMPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			runtime.GC()
			_ = pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	return code
}
