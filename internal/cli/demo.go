package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/demo"
	"github.com/pathproof/pathproof/internal/render/demorender"
)

// demoTable is every built-in demo in --list order (demo.Builtin).
func demoTable() []demo.Demo { return demo.Builtin() }

func init() { register("demo", newDemoCmd) }

func newDemoCmd(env *Env) *cobra.Command {
	var list bool
	var output, out string
	cmd := &cobra.Command{
		Use:   "demo [NAME | tour]",
		Short: "Run built-in examples from the field on built-in data (no Azure needed)",
		Long: `Run built-in examples on data pathproof builds itself. With no NAME, tells the
field stories: seven tickets, one 'pathproof explain' each, the verdict and
where the reports are. NAME runs one demo (--list shows them); 'tour' runs
the demos of the individual commands in turn.

Each demo keeps its data (generated logs, the event store, designs, the
capture) in its own folder under --out, so every command it prints can be
run again as printed, from the same directory.

-o selects a machine format for the demos that print one command's
result (trace, pcap, probe, monitor); the others print tables only.`,
		Args: cobra.MaximumNArgs(1),
	}
	cmd.Flags().BoolVar(&list, "list", false, "list the demos and exit")
	cmd.Flags().StringVarP(&output, "output", "o", "table", "output format of the demo's command (see --list for which demos have one)")
	cmd.Flags().StringVar(&out, "out", "pathproof-demo", "folder the demos keep their data in, one subfolder per demo")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		all := demoTable()
		if list {
			return demorender.List(env.Stdout, all)
		}
		if len(args) == 0 {
			args = []string{demo.DefaultDemo}
			if output != "table" {
				return Usagef("--output applies to one demo: pathproof demo NAME -o %s", output)
			}
		}
		if args[0] != demo.TourName {
			d, ok := demo.Find(args[0])
			if !ok {
				return Usagef("no demo %q (run 'pathproof demo --list')", args[0])
			}
			if err := d.CheckOutput(output); err != nil {
				return Usagef("%v", err)
			}
			if err := checkDemoOut(out); err != nil {
				return err
			}
			err := runDemo(cmd.Context(), env, d, output, out)
			keptIn(env, output, out, d.Name)
			return err
		}
		if output != "table" {
			return Usagef("--output applies to one demo: pathproof demo NAME -o %s", output)
		}
		if err := checkDemoOut(out); err != nil {
			return err
		}
		worst := 0
		for i, d := range demo.Tour() {
			if err := demorender.TourHeading(env.Stdout, i, d); err != nil {
				return err
			}
			if err := runDemo(cmd.Context(), env, d, output, out); err != nil {
				// A demo that shows a failing check exits 1 by design; the
				// tour goes on and reports the worst outcome at the end only
				// for real errors.
				if c := ExitCode(err); c != ExitFailed || !isSilent(err) {
					fmt.Fprintf(env.Stderr, "pathproof: demo %s: %v\n", d.Name, err)
					worst = max(worst, c)
				}
			}
		}
		keptIn(env, output, out, "")
		if worst != 0 {
			return &ExitError{Code: worst, Silent: true}
		}
		return nil
	}
	return cmd
}

// checkDemoOut refuses an --out that exists and is not a folder.
func checkDemoOut(out string) error {
	if out == "" {
		return Usagef("--out: give a folder for the demos' data")
	}
	if st, err := os.Stat(out); err == nil && !st.IsDir() {
		return Usagef("--out %s: not a folder", out)
	}
	return nil
}

// keptIn says where the demo's data stays, when the demo wrote any: on
// stdout after the human report, on stderr after a machine format.
func keptIn(env *Env, output, out, name string) {
	dir := filepath.Join(out, name)
	if _, err := os.Stat(dir); err != nil {
		return
	}
	w := env.Stdout
	if output != "table" {
		w = env.Stderr
	}
	_ = demorender.KeptIn(w, dir)
}

// runDemo runs d with its data in out/NAME and its commands run
// in-process, and maps its outcome to an exit code.
func runDemo(ctx context.Context, env *Env, d demo.Demo, output, out string) error {
	denv := &demo.Env{
		Stdout: env.Stdout,
		Stderr: env.Stderr,
		Dir:    filepath.Join(out, d.Name),
		Output: output,
		Exec: func(ctx context.Context, stdin io.Reader, args ...string) int {
			if stdin == nil {
				stdin = env.Stdin
			}
			return execute(ctx, &Env{Stdin: stdin, Stdout: env.Stdout, Stderr: env.Stderr}, args)
		},
		Capture: func(ctx context.Context, args ...string) ([]byte, []byte, int) {
			var out, errOut bytes.Buffer
			code := execute(ctx, &Env{Stdin: env.Stdin, Stdout: &out, Stderr: &errOut}, args)
			return out.Bytes(), errOut.Bytes(), code
		},
	}
	err := d.Run(ctx, denv)
	var de *demo.Exit
	if errors.As(err, &de) {
		return &ExitError{Code: de.Code, Err: de.Err, Silent: de.Err == nil}
	}
	return err
}
