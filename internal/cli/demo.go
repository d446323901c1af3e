package cli

import (
	"fmt"
	"sort"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/render"
)

// demo is one built-in example that needs no Azure: it builds its own data
// (generated logs, a built-in topology, a synthetic capture) and runs a real
// pathproof command on it.
type demo struct {
	Name    string
	Summary string
	// Order places the demo in the tour `pathproof demo` runs with no name.
	Order int
	// Run executes the demo, writing to env. args are extra flags the user
	// passed after the demo name (e.g. --output json).
	Run func(env *Env, args []string) error
}

var demos = map[string]demo{}

// registerDemo adds a built-in demo; call it from an init function.
func registerDemo(d demo) {
	if _, dup := demos[d.Name]; dup {
		panic("cli: demo registered twice: " + d.Name)
	}
	demos[d.Name] = d
}

// demoStep prints a step's title and command line, then runs pathproof with
// args in-process. The step fails unless the command exits 0 or 4 (results
// printed, some input skipped).
func demoStep(env *Env, title string, args ...string) error {
	fmt.Fprintf(env.Stdout, "── %s\n$ %s\n", title, lgShellJoin(append([]string{"pathproof"}, args...)))
	code := Main(args, env.Stdin, env.Stdout, env.Stderr)
	fmt.Fprintln(env.Stdout)
	if code != ExitOK && code != ExitPartial {
		return &ExitError{Code: code, Err: fmt.Errorf("step %q exited %d", title, code)}
	}
	return nil
}

func sortedDemos() []demo {
	out := make([]demo, 0, len(demos))
	for _, d := range demos {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Order != out[j].Order {
			return out[i].Order < out[j].Order
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func init() { register("demo", newDemoCmd) }

func newDemoCmd(env *Env) *cobra.Command {
	var list bool
	cmd := &cobra.Command{
		Use:   "demo [NAME [FLAGS...]]",
		Short: "Run built-in examples from the field on built-in data (no Azure needed)",
		Long: `Run built-in examples on data pathproof builds itself. With no NAME, runs the
tour: every demo in turn. --list shows them.`,
		DisableFlagParsing: false,
		Args:               cobra.ArbitraryArgs,
	}
	cmd.Flags().BoolVar(&list, "list", false, "list the demos and exit")
	cmd.Flags().SetInterspersed(false)
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		all := sortedDemos()
		if list {
			t := render.Table{Header: []string{"DEMO", "WHAT IT SHOWS"}}
			for _, d := range all {
				t.Add(d.Name, d.Summary)
			}
			return t.Write(env.Stdout)
		}
		if len(args) > 0 {
			d, ok := demos[args[0]]
			if !ok {
				return Usagef("no demo %q (run 'pathproof demo --list')", args[0])
			}
			return d.Run(env, args[1:])
		}
		if len(all) == 0 {
			return fmt.Errorf("no demos are built in")
		}
		worst := 0
		for i, d := range all {
			if i > 0 {
				fmt.Fprintln(env.Stdout)
			}
			fmt.Fprintf(env.Stdout, "━━ demo %s: %s\n   (run it alone: pathproof demo %s)\n\n", d.Name, d.Summary, d.Name)
			if err := d.Run(env, nil); err != nil {
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
