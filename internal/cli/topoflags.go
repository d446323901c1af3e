package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/azlive"
	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/topology"
	"github.com/pathproof/pathproof/internal/topology/arm"
)

// topoFlags are the flags every offline Network Watcher command shares:
// where the topology is, the service-tag file and the None-route profile.
type topoFlags struct {
	cmd         *cobra.Command
	paths       []string
	serviceTags string
	profile     string
	// required: the command needs --topology (a scenario file may carry
	// its own otherwise).
	required bool
	// partial: a live scope was read only in part, or an export refers
	// to resources it lacks; the command exits 4 after printing its
	// answer.
	partial bool
	// missing are the load's missing references (resources an export
	// refers to but lacks).
	missing []topology.Diag
}

func addTopoFlags(cmd *cobra.Command, required bool) *topoFlags {
	t := &topoFlags{cmd: cmd, required: required}
	help := "topology file or folder (design YAML, az CLI / ARM / Resource Graph JSON, terraform show -json), or azure://SUBSCRIPTION[/RESOURCEGROUP] to read it live from Azure; repeat the flag for more (each value is one path)"
	if !required {
		help += "; replaces the scenario file's own topology"
	}
	// One path per flag value: a path may hold a comma (#18).
	cmd.Flags().StringArrayVarP(&t.paths, "topology", "t", nil, help)
	cmd.Flags().StringVar(&t.serviceTags, "service-tags", "", "Azure service-tag JSON (ServiceTags_Public_*.json); without it only VirtualNetwork, Internet and AzureLoadBalancer resolve")
	cmd.Flags().StringVar(&t.profile, "profile", "", "platform None-route profile: documented (default) or observed")
	// A live scope read in part or a missing reference: the answer is
	// printed, then exit 4.
	cmd.PostRunE = func(*cobra.Command, []string) error {
		if t.partial {
			return Partial()
		}
		return nil
	}
	return t
}

// validate checks the flags before any work (exit 2), including that the
// topology and service-tag files exist.
func (t *topoFlags) validate() error {
	if t.required && len(t.paths) == 0 {
		return Usagef("--topology is required")
	}
	for _, p := range t.paths {
		if azlive.IsLive(p) {
			if _, err := azlive.ParseScope(p); err != nil {
				return Usagef("--topology %v", err)
			}
			continue
		}
		if err := checkInput("--topology", p); err != nil {
			return err
		}
	}
	if t.serviceTags != "" {
		if err := checkInput("--service-tags", t.serviceTags); err != nil {
			return err
		}
	}
	switch t.profile {
	case "", azure.ProfileDocumented, azure.ProfileObserved:
	default:
		return Usagef("--profile %q is not documented or observed", t.profile)
	}
	return nil
}

// options loads the service tags and returns the engine options.
func (t *topoFlags) options(env *Env) (azure.Options, error) {
	o := azure.Options{Profile: t.profile}
	if t.serviceTags == "" {
		return o, nil
	}
	f, err := os.Open(t.serviceTags)
	if err != nil {
		return o, fmt.Errorf("--service-tags: %w", err)
	}
	defer f.Close()
	st, skipped, err := azure.ParseServiceTags(t.serviceTags, f)
	if err != nil {
		return o, err
	}
	if skipped > 0 {
		fmt.Fprintf(env.Stderr, "pathproof: warning [%s]: %s: %d bad service-tag entries skipped\n", topology.CodeIgnored, render.Escape(t.serviceTags), skipped)
	}
	o.Tags = st
	return o, nil
}

// loadNetwork loads the topology, printing warnings on stderr. Validation
// errors stop the command (exit 1) with every problem listed. A reference
// an export makes to a resource it lacks is a warning naming the id: the
// rest is loaded and the command exits 4 after its answer.
// Live scopes (azure://) are read from Azure; one that cannot be read is
// a warning and exit 4 after the answer, none readable an error.
func (t *topoFlags) loadNetwork(env *Env) (*topology.Network, error) {
	net, d, snap, err := azlive.Load(t.context(), env.Azure, t.paths...)
	if errors.Is(err, azlive.ErrNothingRead) {
		return nil, &ExitError{Code: ExitFailed, Err: fmt.Errorf("[%s] %s", azlive.CodeScopeUnreadable, render.Escape(err.Error()))}
	}
	missing := printDiags(env, d)
	t.partial = printLiveProblems(env, snap) || missing
	if d != nil {
		t.missing = d.Missing
	}
	if err != nil {
		return nil, &ExitError{Code: ExitFailed, Err: fmt.Errorf("[%s] %s", topology.CodeInvalid, render.EscapeLines(err.Error()))}
	}
	return net, nil
}

// missingRef returns the missing reference to the resource ref names (its
// id, or its name: the id's last segment), if the load had one: a command
// asked about a resource the export refers to but lacks says so (exit 4)
// instead of "not found".
func (t *topoFlags) missingRef(ref string) (topology.Diag, bool) {
	if ref == "" {
		return topology.Diag{}, false
	}
	for _, m := range t.missing {
		if m.Ref == "" {
			continue
		}
		if strings.EqualFold(m.Ref, ref) || strings.EqualFold(arm.LastSegment(m.Ref), ref) {
			return m, true
		}
	}
	return topology.Diag{}, false
}

// notInInputs is the exit-4 answer for a resource the inputs refer to but
// lack (see missingRef).
func notInInputs(kind, ref string, m topology.Diag) error {
	return &ExitError{Code: ExitPartial, Err: fmt.Errorf("[%s] %s %s is not in the inputs: %s refers to it as %s; export it too",
		topology.CodeReferenceMissing, kind, render.Escape(strconv.Quote(ref)), render.Escape(m.Src.String()), render.Escape(m.Ref))}
}

// context is the command's context (cancelled by Ctrl-C).
func (t *topoFlags) context() context.Context {
	if t.cmd != nil && t.cmd.Context() != nil {
		return t.cmd.Context()
	}
	return context.Background()
}

// printLiveProblems prints what live scopes could not read and reports
// whether there was any.
func printLiveProblems(env *Env, snap *azlive.Snapshot) bool {
	if snap == nil {
		return false
	}
	probs := snap.Problems()
	for _, p := range probs {
		fmt.Fprintf(env.Stderr, "pathproof: warning [%s]: %s\n", p.Code(), render.Escape(p.Error()))
	}
	return len(probs) > 0
}

// engine loads the topology and the options and builds the engine.
func (t *topoFlags) engine(env *Env) (*azure.Engine, error) {
	o, err := t.options(env)
	if err != nil {
		return nil, err
	}
	net, err := t.loadNetwork(env)
	if err != nil {
		return nil, err
	}
	return azure.New(net, o), nil
}

// printDiags prints the load's warnings and missing references on stderr
// and reports whether any reference was missing (the answer is partial).
func printDiags(env *Env, d *topology.Diagnostics) bool {
	if d == nil {
		return false
	}
	for _, w := range d.Warnings {
		fmt.Fprintf(env.Stderr, "pathproof: warning [%s]: %s\n", topology.CodeIgnored, render.Escape(w.String()))
	}
	return printMissing(env, d)
}

// printMissing prints the load's missing references on stderr and
// reports whether there was any.
func printMissing(env *Env, d *topology.Diagnostics) bool {
	for _, m := range d.Missing {
		fmt.Fprintf(env.Stderr, "pathproof: warning [%s]: %s\n", topology.CodeReferenceMissing, render.Escape(m.String()))
	}
	return len(d.Missing) > 0
}
