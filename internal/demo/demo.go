// Package demo holds pathproof's built-in demos: stories from the field on
// data each demo builds itself (generated logs, an embedded design, a
// synthetic capture, loopback servers that fail on purpose), told by
// running real pathproof commands.
//
// The CLI lists and runs them (`pathproof demo`); this package never
// imports the CLI. A demo runs a command through Env.Exec, which the CLI
// provides, and writes its files to Env.Dir.
package demo

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pathproof/pathproof/internal/exitcode"
	"github.com/pathproof/pathproof/internal/textutil"
)

// Demo is one built-in example that needs no Azure.
type Demo struct {
	// Name is what `pathproof demo NAME` runs.
	Name string
	// Summary says in one line what the demo shows.
	Summary string
	// Outputs are the machine formats the demo can print with -o, besides
	// the human "table"; empty when it prints tables only.
	Outputs []string
	// Run tells the story, writing to env. An error carrying an exit code
	// is an *Exit.
	Run func(ctx context.Context, env *Env) error
}

// Env is what a demo runs with.
type Env struct {
	// Stdout receives the demo's report, Stderr errors and, with a machine
	// Output, the narration (see Narration).
	Stdout, Stderr io.Writer
	// Dir is the folder the demo keeps its data in (create it with File).
	// It outlives the demo, so the commands the demo prints can be run
	// again as printed.
	Dir string
	// Output is the format chosen with -o: "table" or one of the demo's
	// Outputs.
	Output string
	// Exec runs one pathproof command in-process with args (without the
	// program name) and stdin, and returns its exit code (see
	// internal/exitcode). The command reports its own errors on Stderr.
	Exec func(ctx context.Context, stdin io.Reader, args ...string) int
	// Capture runs one pathproof command in-process like Exec, but returns
	// its standard output and error instead of printing them (a demo that
	// keeps a command's answer in a file, or prints only part of it).
	Capture func(ctx context.Context, args ...string) (stdout, stderr []byte, code int)
}

// File returns the path of name in Dir, creating Dir first.
func (e *Env) File(name string) (string, error) {
	if err := os.MkdirAll(e.Dir, 0o755); err != nil {
		return "", err
	}
	return filepath.Join(e.Dir, name), nil
}

// Machine reports whether a machine format (not the human table) was
// chosen with -o.
func (e *Env) Machine() bool { return e.Output != "" && e.Output != "table" }

// Narration is where a demo writes its story lines: Stdout for the human
// report, Stderr with a machine format, so Stdout stays a clean stream of
// documents.
func (e *Env) Narration() io.Writer {
	if e.Machine() {
		return e.Stderr
	}
	return e.Stdout
}

// OutputArgs returns the -o flag to pass on to a command for the chosen
// format; none for the human table.
func (e *Env) OutputArgs() []string {
	if !e.Machine() {
		return nil
	}
	return []string{"--output", e.Output}
}

// Step prints title and the command line, runs pathproof with args, then a
// blank line. It fails with an *Exit unless the command exits OK or Partial
// (results printed, some input skipped).
func (e *Env) Step(ctx context.Context, title string, args ...string) error {
	fmt.Fprintf(e.Stdout, "── %s\n$ %s\n", title, CommandLine(args))
	code := e.Exec(ctx, nil, args...)
	fmt.Fprintln(e.Stdout)
	if !exitcode.Succeeded(code) {
		return &Exit{Code: code, Err: fmt.Errorf("step %q exited %d", title, code)}
	}
	return nil
}

// CommandLine is args as the pathproof command line a user would type,
// quoted for a POSIX shell.
func CommandLine(args []string) string {
	return textutil.ShellJoin(append([]string{"pathproof"}, args...))
}

// Exit is a demo's outcome with an exit code. Without Err it is silent: a
// command the demo ran decided the code and already reported why (a check
// that fails by design exits Failed).
type Exit struct {
	Code int
	Err  error
}

func (e *Exit) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *Exit) Unwrap() error { return e.Err }

// exit is the silent outcome of a command that exited code, nil for OK.
func exit(code int) error {
	if code == exitcode.OK {
		return nil
	}
	return &Exit{Code: code}
}

// DefaultDemo is what `pathproof demo` runs with no name: the field
// stories, the product end to end.
const DefaultDemo = "stories"

// TourName is the name that runs the Tour.
const TourName = "tour"

// Builtin returns every built-in demo in --list order: the field stories
// (all, then each alone), then the Tour.
func Builtin() []Demo {
	return slices.Concat([]Demo{storiesDemo}, storyDemos(), Tour())
}

// Tour returns the demos of the individual commands, in the order
// `pathproof demo tour` runs them.
func Tour() []Demo {
	return slices.Concat(
		[]Demo{logsDemo, keyVaultDemo, networkWatcherDemo},
		[]Demo{pcapDemo, probeDemo, monitorDemo},
		traceDemos(),
	)
}

// Find returns the built-in demo called name.
func Find(name string) (Demo, bool) {
	all := Builtin()
	i := slices.IndexFunc(all, func(d Demo) bool { return d.Name == name })
	if i < 0 {
		return Demo{}, false
	}
	return all[i], true
}

// CheckOutput says whether d can print its command's result in format
// ("table" always); the error says what d prints instead.
func (d Demo) CheckOutput(format string) error {
	if format == "table" || slices.Contains(d.Outputs, format) {
		return nil
	}
	if len(d.Outputs) == 0 {
		return fmt.Errorf("demo %s prints tables only (it runs several commands); run a command it prints with -o %s", d.Name, format)
	}
	return fmt.Errorf("demo %s: --output %q is not one of table, %s", d.Name, format, strings.Join(d.Outputs, ", "))
}
