package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/azlive"
	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/render/exportrender"
	"github.com/pathproof/pathproof/internal/topology/load"
)

func init() { register("topology", newTopologyCmd) }

func newTopologyCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "topology",
		Short: "Work with topology inputs: export what --topology reads (live from Azure included) as a folder to replay offline",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newTopologyExportCmd(env))
	return cmd
}

func newTopologyExportCmd(env *Env) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "export --topology T --out DIR",
		Short: "Write what --topology reads (azure:// scopes live, files as they are) into DIR, which --topology DIR loads later offline",
		Long: `Read the topology the way every command does (azure://SUBSCRIPTION[/RESOURCEGROUP]
live from Azure, files and folders as they are) and write it into DIR: each
Resource Graph page and ARM list as Azure returned it, each input file copied,
and manifest.json (when, which scopes, pages, rows and resources per type; no
token). --topology DIR then answers offline as the live read did, so an
incident can be replayed later. DIR must be absent or empty. The folder is
loaded back before the command ends, and what it holds is printed.`,
		Example: `  pathproof topology export --topology azure://0b1f6471-1bf0-4dda-aec3-cb9272f09590 --out incident-4711/
  pathproof routes --topology incident-4711/ --nic web-nic`,
		Args: cobra.NoArgs,
	}
	tf := addTopoFlags(cmd, true)
	o := addOutputFlag(cmd, "json")
	cmd.Flags().StringVar(&out, "out", "", "folder to write (absent or empty)")
	cmd.RunE = func(_ *cobra.Command, _ []string) error {
		if err := o.validate(); err != nil {
			return err
		}
		if err := tf.validate(); err != nil {
			return err
		}
		if out == "" {
			return Usagef("--out is required")
		}
		m, snap, err := azlive.Export(tf.context(), env.Azure, out, tf.paths...)
		tf.partial = printLiveProblems(env, snap)
		if errors.Is(err, azlive.ErrNothingRead) {
			return &ExitError{Code: ExitFailed, Err: fmt.Errorf("[%s] %s", azlive.CodeScopeUnreadable, render.Escape(err.Error()))}
		}
		if err != nil {
			return err
		}
		// The folder must load as the inputs did: read it back.
		net, d, lerr := load.Load(out)
		if lerr != nil {
			printDiags(env, d)
			return &ExitError{Code: ExitFailed, Err: fmt.Errorf("the export in %s does not load: %s", render.Escape(out), render.EscapeLines(lerr.Error()))}
		}
		// An export that refers to resources it lacks loads, as any
		// --topology does: said, then exit 4 after the answer.
		if printMissing(env, d) {
			tf.partial = true
		}
		ans := exportrender.Answer{Dir: out, Manifest: m, Loads: net.Counts(), Warnings: len(d.Warnings)}
		if o.String() == "json" {
			return render.JSON(env.Stdout, ans)
		}
		return exportrender.Human(env.Stdout, ans)
	}
	return cmd
}
