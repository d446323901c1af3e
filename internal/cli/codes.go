package cli

import (
	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/codes"
	_ "github.com/pathproof/pathproof/internal/codes/all" // every code-registering package
	"github.com/pathproof/pathproof/internal/render"
)

func init() { register("codes", newCodesCmd) }

func newCodesCmd(env *Env) *cobra.Command {
	var domain string
	cmd := &cobra.Command{
		Use:   "codes [CODE]",
		Short: "List every stable finding, failure and verdict code with what to check next",
		Args:  cobra.MaximumNArgs(1),
	}
	out := addOutputFlag(cmd, "json")
	cmd.Flags().StringVar(&domain, "domain", "", "only codes of this domain (logs, model, trace, pcap, probe)")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		id := ""
		if len(args) == 1 {
			id = args[0]
		}
		list := codes.Select(domain, id)
		if id != "" && len(list) == 0 {
			return Usagef("no code %q (run 'pathproof codes' for the list)", args[0])
		}
		if out.String() == "json" {
			return render.JSON(env.Stdout, list)
		}
		t := render.Table{Header: []string{"CODE", "DOMAIN", "KIND", "SEVERITY", "MEANING"}}
		for _, c := range list {
			t.Add(c.ID, c.Domain, c.Kind, c.Severity, c.Meaning)
		}
		return t.Write(env.Stdout)
	}
	return cmd
}
