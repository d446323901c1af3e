package cli

import (
	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/codes"
	_ "github.com/pathproof/pathproof/internal/codes/all" // every code-registering package
	"github.com/pathproof/pathproof/internal/render"
)

func init() { register("codes", newCodesCmd) }

// codeJSON is the JSON shape of one code.
type codeJSON struct {
	ID       string `json:"id"`
	Domain   string `json:"domain"`
	Kind     string `json:"kind"`
	Severity string `json:"severity,omitempty"`
	Meaning  string `json:"meaning"`
	Next     string `json:"next"`
}

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
		var list []codeJSON
		for _, c := range codes.All() {
			if domain != "" && c.Domain != domain {
				continue
			}
			if len(args) == 1 && c.ID != args[0] {
				continue
			}
			list = append(list, codeJSON{c.ID, c.Domain, c.Kind, c.Severity, c.Meaning, c.Next})
		}
		if len(args) == 1 && len(list) == 0 {
			return Usagef("no code %q (run 'pathproof codes' for the list)", args[0])
		}
		if out.String() == "json" {
			if list == nil {
				list = []codeJSON{}
			}
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
