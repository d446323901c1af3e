// Command testsum runs `go test -json` and prints what `go test` prints
// without -v (each package's ok/FAIL line, the output of failed tests,
// build errors), then a summary of why tests were skipped, grouped by
// reason with counts, so a fresh clone shows that tests skipped and why.
// It exits with the exit code of the command it runs. `make test` uses it:
//
//	testsum go test -json -count=1 ./...
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: testsum go test -json [flags] [packages]")
		os.Exit(2)
	}
	os.Exit(run(os.Args[1:], os.Stdout))
}

// run runs the command, summarising its JSON output to stdout, and
// returns its exit code.
func run(args []string, stdout io.Writer) int {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stderr = os.Stdin, os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsum:", err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "testsum:", err)
		return 1
	}
	s := newSummary(stdout)
	readErr := s.read(out)
	err = cmd.Wait()
	if readErr != nil {
		fmt.Fprintln(os.Stderr, "testsum: reading go test's output:", readErr)
	}
	s.printSkips()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		if code := ee.ExitCode(); code > 0 {
			fmt.Fprintln(stdout, "FAIL")
			return code
		}
		fmt.Fprintln(os.Stderr, "testsum:", err) // killed by a signal
		return 1
	case err != nil:
		fmt.Fprintln(os.Stderr, "testsum:", err)
		return 1
	case readErr != nil:
		return 1
	}
	return 0
}
