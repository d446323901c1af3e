package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/render/nwrender"
	"github.com/pathproof/pathproof/internal/scenario"
	"github.com/pathproof/pathproof/internal/textutil"
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
network) instead of the files' own.

A scenario file needs the schema line and at least one query; a key the
schema does not have, an unknown query kind or modify op is an error naming
the file and line, and nothing runs (exit 2). Exit 1 when any query fails
or every query was skipped, 4 when some were skipped (0 with --allow-skips).

Query kinds: ` + strings.Join(scenario.Kinds(), ", "),
		Example: `  pathproof check intent.yaml
  pathproof check intent.yaml --topology export/ -o json`,
		Args: cobra.MinimumNArgs(1),
	}
	tf := addTopoFlags(cmd, false)
	out := addOutputFlag(cmd, "json", "jsonl")
	var allowSkips bool
	cmd.Flags().BoolVar(&allowSkips, "allow-skips", false, "exit 0 when queries were skipped but none failed (by default some skipped is exit 4, all skipped exit 1)")
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
		files, err := readScenarios(args)
		if err != nil {
			return err
		}
		jl := render.NewJSONLines(env.Stdout)
		var pass, fail, skip int
		for i, f := range files {
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
				if err := nwrender.Check(env.Stdout, f, rep); err != nil {
					return err
				}
			}
		}
		if out.String() == "table" {
			if err := nwrender.CheckTotals(env.Stdout, pass, fail, skip); err != nil {
				return err
			}
		}
		return checkOutcome(pass, fail, skip, allowSkips)
	}
	return cmd
}

// readScenarios reads every scenario file before any query runs. A file
// that is missing or is not a valid scenario is a usage error (exit 2)
// naming it; every bad file is listed.
func readScenarios(paths []string) ([]*scenario.File, error) {
	var files []*scenario.File
	var bad []string
	for _, path := range paths {
		f, err := scenario.ReadFile(path)
		if err != nil {
			bad = append(bad, err.Error())
			continue
		}
		files = append(files, f)
	}
	switch {
	case len(bad) == 1 && len(paths) == 1:
		return nil, Usagef("%s", bad[0])
	case len(bad) > 0:
		return nil, Usagef("%d of %d scenario files are not valid, nothing was run:\n%s", len(bad), len(paths), strings.Join(bad, "\n"))
	}
	return files, nil
}

// checkOutcome is check's exit: 1 when a query failed or nothing was
// checked because every query was skipped, 4 when some were skipped;
// allowSkips makes skips alone exit 0.
func checkOutcome(pass, fail, skip int, allowSkips bool) error {
	switch {
	case fail > 0:
		return Failed()
	case skip > 0 && allowSkips:
		return nil
	case skip > 0 && pass == 0:
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("no query was checked (%s skipped; --allow-skips accepts that)", textutil.Plural(skip, "query", "queries"))}
	case skip > 0:
		return Partial()
	}
	return nil
}
