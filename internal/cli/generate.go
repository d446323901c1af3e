package cli

import (
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/loggen"
	"github.com/pathproof/pathproof/internal/render/loggenrender"
)

func init() { register("generate", newGenerateCmd) }

func newGenerateCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Write synthetic Azure data (logs) in Azure's exact formats, for demos, tests and benchmarks",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return Usagef("generate needs a kind: %s", strings.Join(generateKinds(c), ", "))
		},
	}
	cmd.AddCommand(newGenerateLogsCmd(env))
	return cmd
}

func generateKinds(c *cobra.Command) []string {
	var out []string
	for _, s := range c.Commands() {
		out = append(out, s.Name())
	}
	return out
}

func newGenerateLogsCmd(env *Env) *cobra.Command {
	opt := loggen.Options{}
	var start string
	var list bool
	cmd := &cobra.Command{
		Use:   "logs --out DIR",
		Short: "Write VNet flow, NSG flow and Azure Firewall logs in the storage-account layout",
		Long: `Write Azure network logs exactly as Azure writes them to a storage account:
VNet flow logs (one PT1H.json per NIC per hour, {"records":[...]}, version 4
tuples with B/C/E/D states, IPv4 and IPv6, deny rules and encryption drops),
NSG flow logs version 2, and Azure Firewall structured (AZFW*) and legacy
(msg) records as JSON Lines, under insights-logs-* containers. The output is
the same for the same --seed, streams with constant memory and can be read
back with --logs DIR.`,
		Example: `  pathproof generate logs --out /tmp/logs --tuples 100000
  pathproof events --logs /tmp/logs --verdict deny --port 3389`,
		Args: cobra.NoArgs,
	}
	out := addOutputFlag(cmd, "json")
	f := cmd.Flags()
	f.StringVar(&opt.Out, "out", "", "folder to write the storage-account layout under (required)")
	f.Int64Var(&opt.Tuples, "tuples", 100000, "VNet flow log tuples in all")
	f.Int64Var(&opt.NSGTuples, "nsg-tuples", 0, "NSG flow log v2 tuples in all (default: tuples/10)")
	f.Int64Var(&opt.Firewall, "firewall", 0, "Azure Firewall records in all (default: tuples/20, at most 100000)")
	f.IntVar(&opt.NICs, "nics", 4, "NICs writing flow logs")
	f.IntVar(&opt.Hours, "hours", 1, "hours of logs (one blob per resource per hour)")
	f.Uint64Var(&opt.Seed, "seed", 1, "random seed: the same seed writes the same files")
	f.StringVar(&start, "start", "", "first hour, RFC 3339 (default 2026-01-15T09:00:00Z)")
	f.BoolVar(&list, "list", false, "also print every file written")
	addKindCountFlags(f, &opt)
	cmd.RunE = func(c *cobra.Command, _ []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		if opt.Out == "" {
			return Usagef("--out DIR is required")
		}
		if st, err := os.Stat(opt.Out); err == nil && !st.IsDir() {
			return Usagef("--out %s is a file, not a folder", opt.Out)
		}
		if opt.Tuples < 0 || opt.NSGTuples < 0 || opt.Firewall < 0 || opt.NICs < 1 || opt.Hours < 1 {
			return Usagef("--tuples, --nsg-tuples and --firewall must be ≥ 0, --nics and --hours ≥ 1")
		}
		if opt.NICs > 60000 || opt.Hours > 24*366 {
			return Usagef("--nics must be ≤ 60000 and --hours ≤ 8784")
		}
		if start != "" {
			t, err := time.Parse(time.RFC3339, start)
			if err != nil {
				return Usagef("--start %q is not RFC 3339 (2026-01-15T09:00:00Z)", start)
			}
			opt.Start = t
		}
		if !c.Flags().Changed("nsg-tuples") {
			opt.NSGTuples = loggen.DefaultNSGTuples(opt.Tuples)
		}
		if !c.Flags().Changed("firewall") {
			opt.Firewall = loggen.DefaultFirewall(opt.Tuples)
		}
		res, err := loggen.Generate(opt)
		if err != nil {
			return err
		}
		if out.String() == "json" {
			return loggenrender.JSON(env.Stdout, opt.Out, res, list)
		}
		return loggenrender.Human(env.Stdout, opt.Out, res, list)
	}
	return cmd
}
