package cli

import (
	"io"
	"net/netip"
	"time"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/ingest"
	"github.com/pathproof/pathproof/internal/kql"
)

// Push-down sources: --workspace (Log Analytics) and --adx (Azure Data
// Explorer) run the filter there as KQL (internal/kql, docs/connectors.md).

// pushFlags are the push-down flags of a log command.
type pushFlags struct {
	workspace, adx string
	// printKQL asks for the compiled query instead of results.
	printKQL bool
	// mode is what the query must keep (flows: whole conversations).
	mode kql.Mode
}

// add registers --workspace, --adx and --print-kql on cmd.
func (p *pushFlags) add(cmd *cobra.Command) {
	p.addSources(cmd)
	cmd.Flags().BoolVar(&p.printKQL, "print-kql", false, "print the filter compiled to KQL for --workspace/--adx and exit; nothing is read")
}

// addSources registers --workspace and --adx alone (serve, mcp: each
// explain question queries them).
func (p *pushFlags) addSources(cmd *cobra.Command) {
	cmd.Flags().StringVar(&p.workspace, "workspace", "", "Log Analytics workspace id (GUID): run the filter there as KQL and read only the matching rows (signed in with Azure's default credential chain)")
	cmd.Flags().StringVar(&p.adx, "adx", "", "Azure Data Explorer database, https://CLUSTER.REGION.kusto.windows.net/DATABASE: run the filter there as KQL")
}

// any reports whether a push-down source is given.
func (p *pushFlags) any() bool { return p.workspace != "" || p.adx != "" }

// check validates the push-down sources (exit 2 when malformed).
func (p *pushFlags) check() error {
	_, err := ingest.Sources{Workspace: p.workspace, ADX: p.adx}.PushTargets()
	if err != nil {
		return Usagef("%v", err)
	}
	return nil
}

// writeKQL prints the query the push-down sources would run and, for
// explain (tally), the activity count query it runs beside it.
func (p *pushFlags) writeKQL(env *Env, f *filter.Filter, tally bool) error {
	_, err := io.WriteString(env.Stdout, kql.Compile(f, p.mode).Printout(tally))
	return err
}

// resolve fixes a relative --since/--until at now: the service counts
// back from when the query runs, and the store must select the same
// window from the rows it returns.
func (p *pushFlags) resolve(f *filter.Filter) error {
	if !p.any() {
		return nil
	}
	if err := ingest.Absolute(f, time.Now()); err != nil {
		return Usagef("%v", err)
	}
	return nil
}

// inputs names the push-down sources for explain's list of inputs.
func (p *pushFlags) inputs() []string {
	ts, _ := ingest.Sources{Workspace: p.workspace, ADX: p.adx}.PushTargets()
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Flag()
	}
	return out
}

// pushFilter is explain's push-down filter: the window, with a relative
// bound fixed at now (the service counts back from when it runs; explain's
// window must be the same), and every address the flow may carry at any
// hop, either side. The flags --since/--until are rewritten to the
// absolute times so the window explain applies is the one queried.
func (f *explainFlags) pushFilter(p *pushFlags, win *filter.Filter, plan *explain.Plan) (*filter.Filter, error) {
	if !p.any() && !p.printKQL {
		return nil, nil
	}
	pf := *win
	if p.any() && win.NeedsNewest() {
		if err := ingest.Absolute(&pf, time.Now()); err != nil {
			return nil, Usagef("%v", err)
		}
		if win.Since.Ago > 0 {
			f.since = pf.Since.At.Format(time.RFC3339Nano)
		}
		if win.Until.Ago > 0 {
			f.until = pf.Until.At.Format(time.RFC3339Nano)
		}
		*win = pf
	}
	for _, a := range plan.Addrs() {
		pf.IP = append(pf.IP, netip.PrefixFrom(a, a.BitLen()))
	}
	return &pf, nil
}
