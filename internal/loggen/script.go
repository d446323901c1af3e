package loggen

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// Script writes hand-scripted evidence: the flows, firewall decisions, PaaS
// requests and gateway events of one story from the field, each at the time
// the story gives it, in Azure's formats and storage-account layout. Where
// Generate draws traffic at random, a Script writes exactly what it is told,
// so a story can be checked against what pathproof concludes from it.
//
// Add evidence with VNetFlows, Firewall, KeyVault, Storage, VPNGateway,
// DNS, FrontDoor, ExpressRoute, CloudNGFW and PANOSSyslog, then call Write
// once. Output is deterministic: the same calls write the
// same bytes.
type Script struct {
	opt   ScriptOptions
	g     *gen
	nics  []scriptNIC
	fws   map[string][]FirewallLog
	kvs   map[string][]KVRequest
	sts   map[string][]StorageRequest
	vpns  map[string][]VPNLog
	dns   map[string][]DNSQuery
	fds   map[string][]FrontDoorRequest
	ers   map[erCircuit][]ExpressRouteFlow
	ngfw  map[string][]PaloAltoLog
	panos map[string][]PaloAltoLog
	wrote bool
}

// ScriptOptions name the resources a Script writes for.
type ScriptOptions struct {
	// Out is the folder the insights-logs-* containers are written under.
	Out string
	// Seed makes the GUIDs in the records reproducible.
	Seed uint64
	// Subscription, ResourceGroup and Region name the resources (defaults
	// as Options).
	Subscription, ResourceGroup, Region string
	// Expect, when set, receives every event the script means to write,
	// with its Origin, in file order.
	Expect func(*event.Event)
}

// NewScript starts a script writing under opt.Out.
func NewScript(opt ScriptOptions) *Script {
	base := Options{Out: opt.Out, Seed: opt.Seed, Subscription: opt.Subscription, ResourceGroup: opt.ResourceGroup, Region: opt.Region}
	base.Defaults()
	opt.Subscription, opt.ResourceGroup, opt.Region = base.Subscription, base.ResourceGroup, base.Region
	return &Script{
		opt:  opt,
		g:    &gen{opt: base, rng: rand.New(rand.NewPCG(opt.Seed, 0x51c0ffee))},
		fws:  map[string][]FirewallLog{},
		kvs:  map[string][]KVRequest{},
		sts:  map[string][]StorageRequest{},
		vpns: map[string][]VPNLog{},
	}
}

// Write writes everything added so far and returns what was written. A
// Script writes once.
func (s *Script) Write() (Result, error) {
	if s.wrote {
		return Result{}, fmt.Errorf("loggen: script written twice")
	}
	s.wrote = true
	if s.opt.Out == "" {
		return Result{}, fmt.Errorf("loggen: no output folder")
	}
	steps := []func() error{s.writeFlows, s.writeFirewalls, s.writeKeyVaults, s.writeStorage, s.writeVPN,
		s.writeDNS, s.writeFrontDoor, s.writeExpressRoute, s.writePaloAlto}
	for _, step := range steps {
		if err := step(); err != nil {
			return s.g.res, err
		}
	}
	return s.g.res, nil
}

// expect hands e to the Expect callback, if any.
func (s *Script) expect(e *event.Event) {
	if s.opt.Expect != nil {
		s.opt.Expect(e)
	}
}

// hourly groups times into UTC hours: it returns the hours in order and,
// per hour, the indexes of items falling in it (in time order, ties in
// the order added).
func hourly(n int, at func(i int) time.Time) ([]time.Time, map[time.Time][]int) {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return at(idx[a]).Before(at(idx[b])) })
	by := map[time.Time][]int{}
	var hours []time.Time
	for _, i := range idx {
		h := at(i).UTC().Truncate(time.Hour)
		if _, ok := by[h]; !ok {
			hours = append(hours, h)
		}
		by[h] = append(by[h], i)
	}
	return hours, by
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// resourceBlob is the blob of one resource's category for one hour
// (docs/log-formats.md §1.2).
func resourceBlob(category, id string, hour time.Time) string {
	return "insights-logs-" + strings.ToLower(category) + "/resourceId=" + id + "/" + hourPath(hour) + "/PT1H.json"
}
