// Package loggen writes Azure network logs in Azure's exact formats and
// storage-account layout (docs/log-formats.md §1.2, §2.4, §3.4): VNet flow logs,
// NSG flow logs v2, Azure Firewall structured (AZFW*) and legacy (msg)
// records. Output is deterministic from a seed, streams with constant memory
// (≥ 1 GB, ≥ 10 M tuples), and can report every event it means to write
// (Options.Expect) so tests can check that the parsers read back exactly
// those events.
//
// It feeds the demo, the benchmarks and round-trip tests; it never talks to
// Azure.
package loggen

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// Options say what to generate. The zero value of a count means "none"
// except where noted; Defaults fills the usual values.
type Options struct {
	// Out is the folder the storage-account layout is written under (the
	// parent of the insights-logs-* containers).
	Out string
	// Seed makes the output reproducible.
	Seed uint64
	// Start is the first UTC hour (truncated to the hour).
	Start time.Time
	// Hours is how many hourly blobs each resource gets (default 1).
	Hours int
	// NICs is how many NICs write VNet (and NSG) flow logs (default 4).
	NICs int
	// Tuples is the number of VNet flow tuples in all.
	Tuples int64
	// NSGTuples is the number of NSG flow log v2 tuples in all.
	NSGTuples int64
	// Firewall is the number of Azure Firewall records in all, spread over
	// structured and legacy categories.
	Firewall int64
	// Counts holds the record counts of kinds that other files of this
	// package add with registerKind (Key Vault, Storage, VPN gateway ...),
	// by kind name.
	Counts map[string]int64
	// Subscription, ResourceGroup, Region, VNet and FirewallName name the
	// resources (defaults: a zero subscription GUID, demo-rg, eastus, demo-vnet, demo-fw).
	Subscription, ResourceGroup, Region, VNet, FirewallName string
	// Expect, when set, receives every event the generator means to write,
	// with its Origin, in file order (the event is reused after the call).
	Expect func(*event.Event)
}

// Result says what was written.
type Result struct {
	Files  []string // paths relative to Out, in the order written
	Bytes  int64
	Tuples int64 // VNet + NSG tuples
	Events int64 // every event the files stand for
}

// Defaults fills unset options with the usual values.
func (o *Options) Defaults() {
	if o.Hours <= 0 {
		o.Hours = 1
	}
	if o.NICs <= 0 {
		o.NICs = 4
	}
	if o.Start.IsZero() {
		o.Start = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	}
	o.Start = o.Start.UTC().Truncate(time.Hour)
	if o.Subscription == "" {
		o.Subscription = "00000000-0000-0000-0000-000000000000"
	}
	if o.ResourceGroup == "" {
		o.ResourceGroup = "demo-rg"
	}
	if o.Region == "" {
		o.Region = "eastus"
	}
	if o.VNet == "" {
		o.VNet = "demo-vnet"
	}
	if o.FirewallName == "" {
		o.FirewallName = "demo-fw"
	}
}

// DefaultNSGTuples is the NSG flow log v2 tuples that go with tuples VNet
// flow tuples when the caller does not choose (one in ten).
func DefaultNSGTuples(tuples int64) int64 { return tuples / 10 }

// DefaultFirewall is the Azure Firewall records that go with tuples VNet
// flow tuples when the caller does not choose (one in twenty, at most
// 100,000).
func DefaultFirewall(tuples int64) int64 { return min(tuples/20, 100000) }

// Generate writes every kind the options ask for.
func Generate(opt Options) (Result, error) {
	opt.Defaults()
	if opt.Out == "" {
		return Result{}, fmt.Errorf("loggen: no output folder")
	}
	if opt.NICs > 60000 {
		return Result{}, fmt.Errorf("loggen: at most 60000 NICs")
	}
	g := &gen{opt: opt, rng: rand.New(rand.NewPCG(opt.Seed, 0x9e3779b97f4a7c15))}
	g.nics = makeNICs(opt.NICs)
	if opt.Tuples > 0 {
		if err := g.vnet(); err != nil {
			return g.res, err
		}
	}
	if opt.NSGTuples > 0 {
		if err := g.nsg(); err != nil {
			return g.res, err
		}
	}
	if opt.Firewall > 0 {
		if err := g.firewall(); err != nil {
			return g.res, err
		}
	}
	for _, k := range kinds {
		if opt.Counts[k.name] > 0 {
			if err := k.write(g, opt.Counts[k.name]); err != nil {
				return g.res, err
			}
		}
	}
	return g.res, nil
}

// kind is a log kind added by another file of this package.
type kind struct {
	name  string
	write func(g *gen, n int64) error
}

var kinds []kind

// registerKind adds a kind, written after the built-in ones when
// Options.Counts[name] > 0; call it from an init function.
func registerKind(name string, write func(g *gen, n int64) error) {
	for _, k := range kinds {
		if k.name == name {
			panic("loggen: kind registered twice: " + name)
		}
	}
	kinds = append(kinds, kind{name, write})
}

// Kinds returns the names of the kinds added with registerKind.
func Kinds() []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = k.name
	}
	return out
}

type nic struct {
	mac string
	ip4 netip.Addr
	ip6 netip.Addr
}

func makeNICs(n int) []nic {
	out := make([]nic, n)
	for i := range out {
		out[i] = nic{
			mac: fmt.Sprintf("000D3A%06X", 0x100000+i),
			ip4: netip.AddrFrom4([4]byte{10, 0, byte(i / 250), byte(i%250 + 4)}),
			ip6: netip.AddrFrom16([16]byte{0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, byte(i >> 8), byte(i)}),
		}
	}
	return out
}

// gen holds the generator's state.
type gen struct {
	opt  Options
	rng  *rand.Rand
	nics []nic
	res  Result
	ev   event.Event
}

// blob is one output file being written.
type blob struct {
	key string // path relative to Out, slash-separated; the Origin key
	f   *os.File
	w   *bufio.Writer
	g   *gen
}

func (g *gen) create(key string) (*blob, error) {
	p := filepath.Join(g.opt.Out, filepath.FromSlash(key))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, fmt.Errorf("loggen: %w", err)
	}
	f, err := os.Create(p)
	if err != nil {
		return nil, fmt.Errorf("loggen: %w", err)
	}
	g.res.Files = append(g.res.Files, key)
	return &blob{key: key, f: f, w: bufio.NewWriterSize(f, 1<<20), g: g}, nil
}

func (b *blob) write(p []byte) {
	b.w.Write(p) // errors surface at Flush
	b.g.res.Bytes += int64(len(p))
}

func (b *blob) close() error {
	if err := b.w.Flush(); err != nil {
		b.f.Close()
		return fmt.Errorf("loggen: %s: %w", b.key, err)
	}
	if err := b.f.Close(); err != nil {
		return fmt.Errorf("loggen: %s: %w", b.key, err)
	}
	return nil
}

// hourPath is the y=/m=/d=/h=/m=00 part of a blob name.
func hourPath(t time.Time) string {
	return fmt.Sprintf("y=%04d/m=%02d/d=%02d/h=%02d/m=00", t.Year(), int(t.Month()), t.Day(), t.Hour())
}

// armID builds an upper-case ARM id as resource logs spell it.
func (g *gen) armID(provider, typ, name string) string {
	return strings.ToUpper(fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/%s/%s/%s", g.opt.Subscription, g.opt.ResourceGroup, provider, typ, name))
}

// split returns how many of total fall to part i of n.
func split(total int64, n, i int) int64 {
	base := total / int64(n)
	if int64(i) < total%int64(n) {
		base++
	}
	return base
}

// timeLayout is an ISO time with 7 fraction digits, as Azure writes it.
const timeLayout = "2006-01-02T15:04:05.0000000Z"

// appendTime writes t in UTC as timeLayout.
func appendTime(b []byte, t time.Time) []byte {
	return t.UTC().AppendFormat(b, timeLayout)
}

// guid returns a deterministic GUID.
func (g *gen) guid() string {
	a, b := g.rng.Uint64(), g.rng.Uint64()
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", uint32(a>>32), uint16(a>>16), uint16(a), uint16(b>>48), b&0xffffffffffff)
}

// publicIP returns a random address in one of a few public ranges.
func (g *gen) publicIP() netip.Addr {
	firsts := [...]byte{20, 40, 52, 104, 13, 45, 185, 91}
	return netip.AddrFrom4([4]byte{firsts[g.rng.IntN(len(firsts))], byte(g.rng.IntN(256)), byte(g.rng.IntN(256)), byte(1 + g.rng.IntN(254))})
}
