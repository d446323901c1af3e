package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/demo"
	"github.com/pathproof/pathproof/internal/render"
)

// demoTable is every built-in demo in the order of the tour.
func demoTable() []demo.Demo { return demo.Builtin() }

func init() { register("demo", newDemoCmd) }

func newDemoCmd(env *Env) *cobra.Command {
	var list bool
	var output string
	cmd := &cobra.Command{
		Use:   "demo [NAME]",
		Short: "Run built-in examples from the field on built-in data (no Azure needed)",
		Long: `Run built-in examples on data pathproof builds itself. With no NAME, runs the
tour: every demo in turn. --list shows them.

-o selects a machine format for the demos that print one command's
result (trace, pcap, probe, monitor); the others print tables only.`,
		Args: cobra.MaximumNArgs(1),
	}
	cmd.Flags().BoolVar(&list, "list", false, "list the demos and exit")
	cmd.Flags().StringVarP(&output, "output", "o", "table", "output format of the demo's command (see --list for which demos have one)")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		all := demoTable()
		if list {
			t := render.Table{Header: []string{"DEMO", "OUTPUTS", "WHAT IT SHOWS"}}
			for _, d := range all {
				t.Add(d.Name, strings.Join(append([]string{"table"}, d.Outputs...), ","), d.Summary)
			}
			return t.Write(env.Stdout)
		}
		if len(args) == 1 {
			i := slices.IndexFunc(all, func(d demo.Demo) bool { return d.Name == args[0] })
			if i < 0 {
				return Usagef("no demo %q (run 'pathproof demo --list')", args[0])
			}
			d := all[i]
			if output != "table" && !slices.Contains(d.Outputs, output) {
				if len(d.Outputs) == 0 {
					return Usagef("demo %s prints tables only (it runs several commands); run a command it prints with -o %s", d.Name, output)
				}
				return Usagef("demo %s: --output %q is not one of table, %s", d.Name, output, strings.Join(d.Outputs, ", "))
			}
			return runDemo(cmd.Context(), env, d, output)
		}
		if output != "table" {
			return Usagef("--output applies to one demo: pathproof demo NAME -o %s", output)
		}
		worst := 0
		for i, d := range all {
			if i > 0 {
				fmt.Fprintln(env.Stdout)
			}
			fmt.Fprintf(env.Stdout, "━━ demo %s: %s\n   (run it alone: pathproof demo %s)\n\n", d.Name, d.Summary, d.Name)
			if err := runDemo(cmd.Context(), env, d, output); err != nil {
				// A demo that shows a failing check exits 1 by design; the
				// tour goes on and reports the worst outcome at the end only
				// for real errors.
				if c := ExitCode(err); c != ExitFailed || !isSilent(err) {
					fmt.Fprintf(env.Stderr, "pathproof: demo %s: %v\n", d.Name, err)
					worst = max(worst, c)
				}
			}
		}
		if worst != 0 {
			return &ExitError{Code: worst, Silent: true}
		}
		return nil
	}
	return cmd
}

// runDemo runs d with its data in a temporary folder, its commands run
// in-process, and maps its outcome to an exit code.
func runDemo(ctx context.Context, env *Env, d demo.Demo, output string) error {
	dir, err := os.MkdirTemp("", "pathproof-demo-")
	if err != nil {
		return fmt.Errorf("demo %s: %w", d.Name, err)
	}
	defer os.RemoveAll(dir)
	denv := &demo.Env{
		Stdout: env.Stdout,
		Stderr: env.Stderr,
		Dir:    dir,
		Output: output,
		Exec: func(ctx context.Context, stdin io.Reader, args ...string) int {
			if stdin == nil {
				stdin = env.Stdin
			}
			return execute(ctx, &Env{Stdin: stdin, Stdout: env.Stdout, Stderr: env.Stderr}, args)
		},
	}
	err = d.Run(ctx, denv)
	var de *demo.Exit
	if errors.As(err, &de) {
		return &ExitError{Code: de.Code, Err: de.Err, Silent: de.Err == nil}
	}
	return err
}
