package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/pathproof/pathproof/internal/ingest"
	"github.com/pathproof/pathproof/internal/redact"
	"github.com/pathproof/pathproof/internal/render/report"
	"github.com/pathproof/pathproof/internal/textutil"
	"github.com/pathproof/pathproof/internal/workspace"
)

// explain --report FILE.html|FILE.md: the proof report, written after the
// verdict is printed (whatever -o prints on stdout).
func init() {
	explainExtras = append(explainExtras, explainExtra{
		addFlags: func(cmd *cobra.Command) {
			cmd.Flags().String("report", "", "also write the proof to forward: FILE.html (self-contained, loads nothing, prints well) or FILE.md")
		},
		validate: func(cmd *cobra.Command) error {
			path, _ := cmd.Flags().GetString("report")
			if path == "" {
				return nil
			}
			var fe *report.FormatError
			if _, err := report.FormatOf(path); errors.As(err, &fe) {
				return Usagef("--report %s: the file name must end in .html or .md (.htm, .markdown)", path)
			}
			if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
				return Usagef("--report %s: folder %s does not exist", path, filepath.Dir(path))
			}
			return nil
		},
		write: func(cmd *cobra.Command, env *Env, run *explainRun) error {
			path, _ := cmd.Flags().GetString("report")
			if path == "" {
				return nil
			}
			in := report.Input{Result: run.res, Trace: run.plan.Trace, Generated: time.Now(), Command: explainCommandLine(cmd),
				Raw: workspace.ReadReportRaw(cmd.Context(), run.sources, ingest.Options{Filter: run.window}, run.res)}
			if err := report.WriteFile(path, in); err != nil {
				return err
			}
			_, err := fmt.Fprintf(env.Stderr, "proof report written to %s\n", textutil.Escape(path))
			return err
		},
	})
}

// explainCommandLine is the explain command as given, for the report's
// footer: every flag set except --report and -o, secrets redacted, quoted
// for a POSIX shell.
func explainCommandLine(cmd *cobra.Command) string {
	args := []string{"pathproof", cmd.Name()}
	cmd.Flags().Visit(func(f *pflag.Flag) {
		switch {
		case f.Name == "report" || f.Name == "output":
		case f.Value.Type() == "bool":
			args = append(args, "--"+f.Name+"="+f.Value.String())
		default:
			vals := []string{f.Value.String()}
			if sv, ok := f.Value.(pflag.SliceValue); ok {
				vals = sv.GetSlice()
			}
			for _, v := range vals {
				args = append(args, "--"+f.Name, redact.String(v))
			}
		}
	})
	return textutil.ShellJoin(args)
}
