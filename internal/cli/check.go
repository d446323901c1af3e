package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/scenario"
	"github.com/pathproof/pathproof/internal/topology"
)

func init() { register("check", newCheckCmd) }

func newCheckCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "check FILE... [--topology T]",
		Short: "Run the queries of scenario files (network assertions) and report pass/fail per query",
		Long: `Runs every query of pathproof scenario files (schema pathproof.scenario/v1):
effective routes, next hop, IP flow verify, NSG diagnostics, service-tag
membership, firewall decisions and processing order, gateway advertisement,
VPN NAT and path traces, each after its own 'modify' edits. --topology runs
the files' queries against another topology (e.g. a fresh export of the same
network) instead of the files' own. Exit 1 when any query fails, 4 when some
were skipped.

Query kinds: ` + strings.Join(scenario.Kinds(), ", "),
		Example: `  pathproof check intent.yaml
  pathproof check intent.yaml --topology export/ -o json`,
		Args: cobra.MinimumNArgs(1),
	}
	tf := addTopoFlags(cmd, false)
	out := addOutputFlag(cmd, "json", "jsonl")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		if err := tf.validate(); err != nil {
			return err
		}
		opts, err := tf.options(env)
		if err != nil {
			return err
		}
		var override *topology.Network
		if len(tf.paths) > 0 {
			if override, err = tf.loadNetwork(env); err != nil {
				return err
			}
		}
		jl := render.NewJSONLines(env.Stdout)
		var pass, fail, skip, broken int
		for i, path := range args {
			f, err := scenario.ReadFile(path)
			if err != nil {
				fmt.Fprintf(env.Stderr, "pathproof: %s\n", render.Escape(err.Error()))
				broken++
				continue
			}
			rep := scenario.Run(f, scenario.RunOptions{Topology: override, Engine: opts})
			p, fl, s := rep.Counts()
			pass, fail, skip = pass+p, fail+fl, skip+s
			switch out.String() {
			case "json":
				if err := render.JSON(env.Stdout, rep); err != nil {
					return err
				}
			case "jsonl":
				if err := jl.Write(rep); err != nil {
					return err
				}
			default:
				if i > 0 {
					fmt.Fprintln(env.Stdout)
				}
				printCheckReport(env, f, rep)
			}
		}
		if out.String() == "table" {
			fmt.Fprintf(env.Stdout, "\n%d passed, %d failed, %d skipped", pass, fail, skip)
			if broken > 0 {
				fmt.Fprintf(env.Stdout, ", %d file(s) unreadable", broken)
			}
			fmt.Fprintln(env.Stdout)
		}
		switch {
		case fail > 0 || broken > 0:
			return Failed()
		case skip > 0:
			return Partial()
		}
		return nil
	}
	return cmd
}

func printCheckReport(env *Env, f *scenario.File, rep *scenario.Report) {
	title := f.ID
	if f.Title != "" {
		title += ": " + f.Title
	}
	fmt.Fprintf(env.Stdout, "%s\n", render.Escape(title))
	for _, r := range rep.Results {
		status := "PASS"
		switch {
		case r.Skipped:
			status = "SKIP"
		case !r.Pass:
			status = "FAIL"
		}
		fmt.Fprintf(env.Stdout, "  %s  %-18s %s\n", status, render.Escape(r.Kind), render.Escape(r.ID))
		switch {
		case r.Skipped:
			fmt.Fprintf(env.Stdout, "        [%s] %s\n", scenario.CodeUnsupported, render.Escape(r.Error))
		case !r.Pass:
			for _, d := range r.Diff {
				fmt.Fprintf(env.Stdout, "        [%s] %s\n", scenario.CodeFailed, render.Escape(d))
			}
		}
		for _, a := range r.Assumptions {
			fmt.Fprintf(env.Stdout, "        note: %s\n", render.Escape(a))
		}
	}
}
