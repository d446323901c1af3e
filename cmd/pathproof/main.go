// Command pathproof proves where a packet went in an Azure network and why it stopped.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"

	"github.com/pathproof/pathproof/internal/cli"
)

func main() {
	os.Exit(run())
}

// run runs the command line. For profiling a whole run (docs/PERFORMANCE.md),
// PATHPROOF_CPUPROFILE=FILE writes a CPU profile, PATHPROOF_TRACE=FILE an
// execution trace (go tool trace FILE: which goroutine ran when) and
// PATHPROOF_MEMPROFILE=FILE a heap profile at exit.
func run() int {
	if p := os.Getenv("PATHPROOF_TRACE"); p != "" {
		f, err := os.Create(p)
		if err == nil {
			err = trace.Start(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "PATHPROOF_TRACE:", err)
			return 1
		}
		defer func() {
			trace.Stop()
			f.Close()
		}()
	}
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
