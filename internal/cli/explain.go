package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/explain"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/ingest"
	"github.com/pathproof/pathproof/internal/pcap"
	"github.com/pathproof/pathproof/internal/redact"
	"github.com/pathproof/pathproof/internal/render/explainrender"
	"github.com/pathproof/pathproof/internal/workspace"
)

func init() { register("explain", newExplainCmd) }

// explainExtra is an optional output of explain that another file adds
// (the proof report, --report FILE.html|FILE.md): addFlags registers its
// flags; validate checks them before any work (a usage error prints
// nothing); write runs after the verdict is printed, with what the run
// read and answered. Each reads its flags from cmd, so no state outlives
// one invocation.
type explainExtra struct {
	addFlags func(cmd *cobra.Command)
	validate func(cmd *cobra.Command) error
	write    func(cmd *cobra.Command, env *Env, run *explainRun) error
}

// explainRun is one explain invocation's answer and what it read, for the
// extras.
type explainRun struct {
	res  *explain.Result
	plan *explain.Plan // its Trace is the simulated path, nil without a topology
	// sources are the evidence sources (stdin already read) and window
	// the --at/--since/--until filter the load pruned blob listings by.
	sources ingest.Sources
	window  *filter.Filter
}

// explainExtras are registered from init functions of other files.
var explainExtras []explainExtra

// explainFlags are the flags of one explain invocation.
type explainFlags struct {
	from, to, protocol string
	at, since, until   string
	pcaps              []string
}

func newExplainCmd(env *Env) *cobra.Command {
	var f explainFlags
	cmd := &cobra.Command{
		Use:   "explain --from SRC --to DEST",
		Short: "Where did my packet stop, and why: one verdict per flow from simulation × evidence, every claim cited",
		Long: `Explain one flow: lay the evidence (flow logs, Azure Firewall, VPN gateway and
PaaS logs, packet captures) over the path the topology simulates, hop by hop
and NAT-aware, and answer with one verdict:

  delivered-and-answered  the network delivered; the answer (HTTP status, a PaaS
                          refusal and its layer, a TLS alert) is shown
  dropped                 at a named hop by a named rule or route
  asymmetric-return       the request arrived, a stateful device dropped the reply
  never-reached-azure     nothing in Azure saw it while its logs were alive
  not-yet-known           the logs may not have landed yet: look again later
  no-evidence             a log the path needs is missing: which, and how to enable it

with a confidence (high, medium, low), what each hop was expected to do and
was seen doing, findings with fixes, and a citation for every claim (the log
record as 'pathproof events' prints its origin, a capture connection, or a
simulation step). Without --topology the hops are inferred from where the
evidence appears.

SRC is as in trace: an IP, nic:NAME, onprem:SITE/HOST or internet:IP. DEST is
IP:PORT or FQDN:PORT; a PaaS name (kv.vault.azure.net:443) resolves through
the topology's private endpoints and is matched in the logs by name and by
every address it has (private endpoint, public addresses seen in the logs).

Window: --at TIME is ±10 minutes around it; --since/--until as in events;
without either, the newest hour of the evidence.

Exit status: 0 delivered-and-answered, 1 any other verdict, 2 usage error
(unknown SRC or DEST: the error names what pathproof knows), 4 the verdict
was printed but some input was skipped (listed under SKIPPED).`,
		Example: `  pathproof explain --topology hub.yaml --logs ./logs --from nic:web-nic --to 10.5.1.4:443
  pathproof explain --logs ./logs --from 192.168.20.10 --to 10.101.1.4:443 --at 2026-01-15T09:20:00Z
  pathproof explain -t export/ --db evidence.duckdb --from nic:app-nic --to kv-payments.vault.azure.net:443 -o json
  pathproof explain --logs ./logs --pcap client.pcap --from 10.1.0.4 --to 10.2.0.5:443`,
		Args: cobra.NoArgs,
	}
	lf := addLogFlags(cmd, false)
	lf.push.add(cmd)
	ff := addFollowFlags(cmd)
	topo := addTopoFlags(cmd, false)
	cmd.Flags().Lookup("topology").Usage = "topology file or folder (design YAML, az CLI / ARM / Resource Graph JSON, terraform show -json); repeatable; without it the path is inferred from the evidence"
	cmd.Flags().StringVar(&f.from, "from", "", "source: IP, nic:NAME, onprem:SITE/HOST or internet:IP")
	cmd.Flags().StringVar(&f.to, "to", "", "destination IP:PORT or FQDN:PORT (IP alone for icmp)")
	cmd.Flags().StringVarP(&f.protocol, "protocol", "p", "tcp", "tcp, udp or icmp")
	cmd.Flags().StringVar(&f.at, "at", "", "when it failed (RFC3339): the window is ±10 minutes around it")
	cmd.Flags().StringVar(&f.since, "since", "", "window start: RFC3339, or a duration before the newest event (2h)")
	cmd.Flags().StringVar(&f.until, "until", "", "window end: RFC3339, or a duration before the newest event")
	cmd.Flags().StringArrayVar(&f.pcaps, "pcap", nil, "packet capture (pcap or pcapng) of the flow; repeatable")
	out := addOutputFlag(cmd, append(explainrender.Formats, "jsonl")...)
	for _, x := range explainExtras {
		x.addFlags(cmd)
	}
	cmd.RunE = func(c *cobra.Command, _ []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		for _, x := range explainExtras {
			if err := x.validate(c); err != nil {
				return err
			}
		}
		if err := topo.validate(); err != nil {
			return err
		}
		if err := ff.validate(c, lf, out.String(), true); err != nil {
			return err
		}
		if err := ff.exclude(c, "report"); err != nil {
			return err
		}
		if out.String() == "jsonl" && !ff.on {
			return Usagef("-o jsonl is for --follow (one line per change of verdict); use -o json")
		}
		if f.from == "" || f.to == "" {
			return Usagef("--from and --to are required")
		}
		win, err := f.window()
		if err != nil {
			return err
		}
		if len(lf.logs) == 0 && lf.db == "" && len(f.pcaps) == 0 && !lf.push.any() && !lf.push.printKQL {
			return Usagef("give the evidence: --logs (files, folders, blob URLs), --db FILE, --workspace, --adx and/or --pcap FILE")
		}
		if len(lf.logs) > 0 || lf.db != "" || lf.push.any() {
			if _, err := lf.validate(); err != nil {
				return err
			}
		}
		for _, p := range f.pcaps {
			if _, err := os.Stat(p); err != nil {
				return Usagef("--pcap %s: %v", p, lgNoPath(err))
			}
		}

		plan, err := f.plan(env, topo)
		if err != nil {
			return err
		}
		push, err := f.pushFilter(&lf.push, win, plan)
		if err != nil {
			return err
		}
		if lf.push.printKQL {
			return lf.push.writeKQL(env, push, true)
		}
		ctx := c.Context()
		if ff.on {
			return f.follow(ctx, env, lf, ff, topo, plan, win, out.String())
		}
		act := explain.NewActivity()
		// Filter and tally while parsing, on every core; keep only the
		// window's events when it is known before reading.
		keep := plan.KeepWithin(f.spec().Bounds())
		newFlowKeep, merge := keep.NewFlowKeep(act)
		l, err := ingest.Open(ctx, lf.sources(env.Stdin), ingest.Options{Filter: win, Push: push, PushTally: lf.push.any(), NewFlowKeep: newFlowKeep,
			Progress: progressTo(env), KQL: env.KQL})
		if err != nil {
			return err
		}
		merge()
		defer l.Close()
		opt := explain.Options{Known: workspace.KnownActivity(l.Counts)}
		if lf.db == "" {
			opt.Activity = act // the load saw every event: Keep tallied them
		}
		if err := f.resolveWindow(ctx, l, &opt); err != nil {
			return err
		}
		var st explain.Store = l.Store
		if lf.db == "" {
			// The window's events are read once for Widen and Explain.
			if st, err = keep.CacheWindow(ctx, l.Store, opt); err != nil {
				return err
			}
			// A DNAT backend the plan could not know is known once the
			// firewall's DNAT record is read: read the logs again for it.
			widen, err := keep.Widen(ctx, st, opt)
			if err != nil {
				return err
			}
			if widen != nil {
				if _, err := l.Reread(ctx, widen); err != nil {
					return err
				}
				st = l.Store // the cache lacks the records read again: Explain caches the window itself
			}
		}
		in := explain.Inputs{Topology: topo.paths, DB: lf.db}
		for _, p := range lf.logs {
			in.Logs = append(in.Logs, redact.String(p))
		}
		in.Logs = append(in.Logs, lf.push.inputs()...)
		in.AddLogSkips(l.Report.Skips(), l.Report.Skipped())
		for _, p := range f.pcaps {
			rep, err := analyzeCapture(p)
			if err != nil {
				return err
			}
			opt.Captures = append(opt.Captures, rep)
			in.AddCapture(p, rep)
		}
		res, err := plan.Explain(ctx, st, opt)
		if err != nil {
			return err
		}
		res.SetInputs(in)
		if err := explainrender.Write(env.Stdout, out.String(), res); err != nil {
			return err
		}
		run := &explainRun{res: res, plan: plan, sources: lf.sources(env.Stdin), window: win}
		for _, x := range explainExtras {
			if err := x.write(c, env, run); err != nil {
				return err
			}
		}
		switch {
		case in.SkippedTotal > 0:
			if l.Report.Skipped() > 0 {
				if err := l.Report.WriteSummary(env.Stderr, 20); err != nil {
					return err
				}
			}
			return Partial()
		case res.Verdict != explain.VerdictDelivered:
			return Failed()
		}
		return nil
	}
	return cmd
}

// plan resolves the question against the topology (when given) and
// traces it; an unknown SRC or DEST is a usage error naming what is known.
func (f *explainFlags) plan(env *Env, topo *topoFlags) (*explain.Plan, error) {
	q := explain.Query{From: f.from, To: f.to, Protocol: f.protocol}
	var plan *explain.Plan
	var err error
	if len(topo.paths) > 0 {
		eng, eerr := topo.engine(env)
		if eerr != nil {
			return nil, eerr
		}
		plan, err = explain.Prepare(q, eng)
	} else {
		plan, err = explain.Prepare(q, nil)
	}
	var qe *explain.QueryError
	if errors.As(err, &qe) {
		return nil, Usagef("%v", err)
	}
	return plan, err
}

// window validates --at/--since/--until and returns them as a filter (it
// prunes blob listings to the hours the window needs).
func (f *explainFlags) window() (*filter.Filter, error) {
	fl, err := f.spec().Filter()
	if err != nil {
		return nil, Usagef("%v", err)
	}
	return fl, nil
}

func (f *explainFlags) spec() explain.WindowSpec {
	return explain.WindowSpec{At: f.at, Since: f.since, Until: f.until}
}

// resolveWindow turns the flags into the explain options' window, binding
// a relative --since/--until to the newest event read.
func (f *explainFlags) resolveWindow(ctx context.Context, l *ingest.Loaded, opt *explain.Options) error {
	err := f.spec().Apply(opt, func() (time.Time, bool, error) { return l.Newest(ctx) })
	var we *explain.WindowError
	if errors.As(err, &we) {
		return Usagef("%v", err)
	}
	return err
}

// analyzeCapture diagnoses one capture file.
func analyzeCapture(p string) (*pcap.Report, error) {
	fh, err := os.Open(p)
	if err != nil {
		return nil, Usagef("--pcap %s: %v", p, lgNoPath(err))
	}
	defer fh.Close()
	rep, err := pcap.Analyze(bufio.NewReaderSize(fh, 1<<20), pcap.Options{File: p})
	if err != nil {
		return nil, fmt.Errorf("--pcap %s: %w", p, err)
	}
	return rep, nil
}

// progressTo returns stderr when it is a terminal (progress lines), else nil.
func progressTo(env *Env) io.Writer {
	if isTerminal(env.Stderr) {
		return env.Stderr
	}
	return nil
}
