package cli

import (
	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/codes"
	_ "github.com/pathproof/pathproof/internal/codes/all" // every code-registering package
	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/render/coderender"
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
		if id != "" {
			return coderender.Detail(env.Stdout, list[0])
		}
		return coderender.List(env.Stdout, list)
	}
	return cmd
}
