package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/workspace"
)

// frontFlags are the input flags of the long-running front ends (serve,
// mcp): a topology, evidence and the folders clients may read files from.
type frontFlags struct {
	topo  *topoFlags
	logs  *logFlags
	files []string
}

func addFrontFlags(cmd *cobra.Command) *frontFlags {
	f := &frontFlags{topo: addTopoFlags(cmd, false), logs: addLogFlags(cmd, false)}
	f.logs.push.addSources(cmd)
	cmd.Flags().StringArrayVar(&f.files, "files", nil, "folder or file clients may read captures and scenario files from (repeat the flag for more, one path each; default: none)")
	return f
}

// open validates the flags and loads the workspace once, printing what
// loading noticed on stderr.
func (f *frontFlags) open(ctx context.Context, env *Env) (*workspace.Workspace, error) {
	if err := f.topo.validate(); err != nil {
		return nil, err
	}
	if len(f.logs.logs) > 0 || f.logs.db != "" || f.logs.push.any() {
		if _, err := f.logs.validate(); err != nil {
			return nil, err
		}
	}
	cfg := workspace.Config{
		Topology: f.topo.paths, ServiceTags: f.topo.serviceTags, Profile: f.topo.profile,
		Evidence: f.logs.sources(nil), Files: append([]string(nil), f.files...), Azure: env.Azure, KQL: env.KQL,
	}
	if isTerminal(env.Stderr) {
		cfg.Progress = env.Stderr
	}
	ws, err := workspace.Open(ctx, cfg)
	if errors.Is(err, workspace.ErrMixedEvidence) {
		return nil, &UsageError{Err: err}
	}
	if err != nil {
		return nil, err
	}
	for _, w := range ws.Warnings {
		if w.Code != "" {
			fmt.Fprintf(env.Stderr, "pathproof: warning [%s]: %s\n", w.Code, render.Escape(w.Message))
			continue
		}
		fmt.Fprintf(env.Stderr, "pathproof: warning: %s\n", render.Escape(w.Message))
	}
	if ws.Evidence != nil && ws.Evidence.Report.Skipped() > 0 {
		_ = ws.Evidence.Report.WriteSummary(env.Stderr, 20)
	}
	return ws, nil
}
