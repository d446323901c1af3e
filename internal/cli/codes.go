package cli

import (
	"fmt"
	"io"

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
		if id != "" {
			return writeCodeDetail(env.Stdout, list[0])
		}
		t := render.Table{Header: []string{"CODE", "DOMAIN", "KIND", "SEVERITY", "MEANING"}}
		for _, c := range list {
			t.Add(c.ID, c.Domain, c.Kind, c.Severity, c.Meaning)
		}
		if err := t.Write(env.Stdout); err != nil {
			return err
		}
		_, err := fmt.Fprintln(env.Stdout, "\npathproof codes CODE shows what to check next for one code.")
		return err
	}
	return cmd
}

// writeCodeDetail prints one code with everything -o json has: its
// meaning, what to check next and the docs section.
func writeCodeDetail(w io.Writer, c codes.Code) error {
	kind := c.Domain + " " + c.Kind
	if c.Severity != "" {
		kind += ", " + c.Severity
	}
	_, err := fmt.Fprintf(w, "%s  (%s)\n\n%s\n\nWhat to check next: %s\n\nDocs: %s\n",
		render.Escape(c.ID), kind, c.Meaning, c.Next, c.DocsPath())
	return err
}
