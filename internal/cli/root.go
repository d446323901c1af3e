// Package cli builds pathproof's cobra command tree, maps flags to queries,
// chooses a renderer and turns outcomes into exit codes.
//
// Every command lives in its own file and registers itself with register in
// an init function, so commands can be added without touching this file.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/azlive"
	"github.com/pathproof/pathproof/internal/kql"
	"github.com/pathproof/pathproof/internal/redact"
	"github.com/pathproof/pathproof/internal/render"
)

// Env carries the process's standard streams to commands, so tests can run
// the whole CLI in-process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Azure says how live topology (--topology azure://...) and
	// --compare-effective reach Azure; the zero value signs in with
	// azidentity's default credential chain. Tests point it at a loopback
	// server.
	Azure azlive.Options
	// KQL says how push-down (--workspace, --adx) reaches Log Analytics
	// and Azure Data Explorer; the zero value signs in with azidentity's
	// default credential chain. Only tests set it (a credential and a
	// loopback endpoint): no flag or environment variable does.
	KQL kql.Options
}

// constructor builds one top-level command for an Env.
type constructor func(env *Env) *cobra.Command

var constructors = map[string]constructor{}

// register adds a top-level command. name must be unique; it is the sort key
// and must equal the command's Use verb.
func register(name string, c constructor) {
	if _, dup := constructors[name]; dup {
		panic("cli: command registered twice: " + name)
	}
	constructors[name] = c
}

// NewRoot returns the root command with every registered subcommand.
func NewRoot(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "pathproof",
		Short: "Prove where a packet went in an Azure network and why it stopped",
		Long: `pathproof answers "where did my packet go?" for Azure networks in seconds, from
Azure's own data: flow logs, firewall logs, PaaS diagnostics, exported
topology, packet captures and active probes.`,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return Usagef("%v", err) })
	names := make([]string, 0, len(constructors))
	for n := range constructors {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		root.AddCommand(constructors[n](env))
	}
	return root
}

// Main runs pathproof with args and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return execute(context.Background(), &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr}, args)
}

// execute runs one pathproof command line in env, reports an error on
// env.Stderr and returns the exit code. The demos run their commands
// through it.
func execute(ctx context.Context, env *Env, args []string) int {
	// Everything a command prints on stderr (warnings, skip summaries,
	// progress, server logs) passes through the redactor with the command
	// line's locations, as errors do: a SAS token in a --logs value must not
	// come back in a file name of a skip summary.
	stderr := redact.NewWriter(env.Stderr, args)
	redacted := *env
	redacted.Stderr = stderr
	env = &redacted
	root := NewRoot(env)
	root.SetArgs(args)
	started := false
	onStart(root, func() { started = true })
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ue *UsageError
	if !started && !errors.As(err, &ue) {
		// Everything cobra checks before a command starts is the command
		// line: flags, arguments, the command's name, required flags.
		err = &UsageError{Err: err, syntax: true}
	}
	code := ExitCode(err)
	var quiet *ExitError
	if !(errors.As(err, &quiet) && quiet.Silent) {
		// Errors carry file names and values from the input: every
		// location the user gave is redacted (a SAS token may sit in a
		// --logs or --db value whatever it looks like), then each line is
		// escaped, keeping the line breaks of multi-line errors.
		fmt.Fprintf(env.Stderr, "pathproof: %s\n", render.EscapeLines(redact.Args(err.Error(), args)))
	}
	if errors.As(err, &ue) && ue.syntax {
		fmt.Fprintln(env.Stderr, "Run 'pathproof --help' for usage.")
	}
	return code
}

// onStart makes every command in the tree under c call fn when its RunE
// starts, after cobra has parsed and checked the command line.
func onStart(c *cobra.Command, fn func()) {
	if run := c.RunE; run != nil {
		c.RunE = func(cmd *cobra.Command, args []string) error {
			fn()
			return run(cmd, args)
		}
	}
	for _, sub := range c.Commands() {
		onStart(sub, fn)
	}
}
