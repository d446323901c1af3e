package monitor

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"github.com/pathproof/pathproof/internal/probe"
	"github.com/pathproof/pathproof/internal/safeyaml"
)

// Config is a monitor configuration file, modelled on Connection
// Monitor: test groups cross destinations with test configurations.
type Config struct {
	// ResultsDir receives one JSON Lines file per UTC day.
	ResultsDir string      `yaml:"results_dir"`
	Alerts     *Alerts     `yaml:"alerts"`
	TestGroups []TestGroup `yaml:"test_groups"`
}

// Alerts configures the webhook called on state changes.
type Alerts struct {
	Webhook string `yaml:"webhook"`
	// Headers are added to the webhook request (e.g. Authorization);
	// their values are never printed.
	Headers map[string]string `yaml:"headers"`
	// Damping is how many consecutive results must agree on a new state
	// before it is alerted (default 2).
	Damping int `yaml:"damping"`
}

// TestGroup is destinations × test configurations.
type TestGroup struct {
	Name               string              `yaml:"name"`
	Disabled           bool                `yaml:"disabled"`
	Destinations       []Destination       `yaml:"destinations"`
	TestConfigurations []TestConfiguration `yaml:"test_configurations"`
}

// Destination is a name or IP to probe.
type Destination struct {
	Name    string `yaml:"name"`
	Address string `yaml:"address"`
}

// TestConfiguration is how to probe: protocol, port, frequency,
// protocol options and thresholds.
type TestConfiguration struct {
	Name      string `yaml:"name"`
	Protocol  string `yaml:"protocol"`
	Port      int    `yaml:"port"`
	Frequency string `yaml:"frequency"`
	Timeout   string `yaml:"timeout"`
	// Checks is how many attempts one test run makes (default 3); the
	// checks-failed percentage is over them.
	Checks     int         `yaml:"checks"`
	Resolver   string      `yaml:"resolver"`
	HTTP       *HTTPConfig `yaml:"http"`
	TLS        *TLSConfig  `yaml:"tls"`
	Thresholds *Thresholds `yaml:"thresholds"`

	frequency, timeout time.Duration
}

// HTTPConfig are HTTP request options.
type HTTPConfig struct {
	Method                string   `yaml:"method"`
	Path                  string   `yaml:"path"`
	ValidStatusCodeRanges []string `yaml:"valid_status_code_ranges"`
}

// expect is the valid status code ranges as probe's Expect ("200-299,301").
func (h *HTTPConfig) expect() string { return strings.Join(h.ValidStatusCodeRanges, ",") }

// TLSConfig are TLS options.
type TLSConfig struct {
	SNI      string `yaml:"sni"`
	CAFile   string `yaml:"ca_file"`
	FetchAIA bool   `yaml:"fetch_aia"`
}

// Thresholds decide Pass / Warning / Fail. Absent values take Connection
// Monitor's defaults (see Evaluate).
type Thresholds struct {
	ChecksFailedPercent *float64 `yaml:"checks_failed_percent"`
	RoundTripTimeMS     *float64 `yaml:"round_trip_time_ms"`
}

// Limits bound what a config may ask for. The CLI uses DefaultLimits;
// tests may allow shorter frequencies.
type Limits struct {
	MinFrequency, MaxFrequency time.Duration
}

// DefaultLimits are Connection Monitor's: 30 s to 30 min.
var DefaultLimits = Limits{MinFrequency: 30 * time.Second, MaxFrequency: 30 * time.Minute}

// ConfigError lists every problem found in a config file, each with its
// line.
type ConfigError struct {
	File   string
	Issues []Issue
}

// Issue is one config problem.
type Issue struct {
	Line int
	Msg  string
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d problem(s)", e.File, len(e.Issues))
	for _, i := range e.Issues {
		if i.Line > 0 {
			fmt.Fprintf(&b, "\n  %s:%d: %s", e.File, i.Line, i.Msg)
		} else {
			fmt.Fprintf(&b, "\n  %s: %s", e.File, i.Msg)
		}
	}
	return b.String()
}

// ParseConfig parses and validates a config; on any problem it returns a
// *ConfigError listing all of them.
func ParseConfig(name string, data []byte, lim Limits) (*Config, error) {
	ce := &ConfigError{File: name}
	file, err := safeyaml.Parse(name, data)
	if err != nil {
		var se *safeyaml.Error
		if errors.As(err, &se) {
			ce.Issues = append(ce.Issues, Issue{Line: se.Line, Msg: "malformed YAML: " + se.Msg})
			return nil, ce
		}
		ce.Issues = append(ce.Issues, Issue{Line: errLine(err), Msg: "YAML syntax: " + firstLine(err)})
		return nil, ce
	}
	var root ast.Node
	if len(file.Docs) > 0 {
		root = file.Docs[0].Body
	}
	if len(file.Docs) > 1 {
		ce.Issues = append(ce.Issues, Issue{Line: file.Docs[1].GetToken().Position.Line, Msg: "only one YAML document is allowed"})
	}
	if root == nil {
		ce.Issues = append(ce.Issues, Issue{Msg: "empty config: it needs test_groups"})
		return nil, ce
	}
	checkKeys(root, reflect.TypeOf(Config{}), "", &ce.Issues)
	var c Config
	if err := safeyaml.Unmarshal(name, data, &c); err != nil {
		var se *safeyaml.Error
		if errors.As(err, &se) {
			ce.Issues = append(ce.Issues, Issue{Line: se.Line, Msg: "malformed YAML: " + se.Msg})
			sortIssues(ce.Issues)
			return nil, ce
		}
		ce.Issues = append(ce.Issues, Issue{Line: errLine(err), Msg: firstLine(err)})
		sortIssues(ce.Issues)
		return nil, ce
	}
	// line is the line of path, or of its nearest ancestor present in
	// the file (a setting that is missing is reported where it belongs).
	line := func(path string) int {
		for path != "" {
			if p, err := yaml.PathString(path); err == nil {
				if n, err := p.FilterFile(file); err == nil && n != nil {
					return n.GetToken().Position.Line
				}
			}
			i := strings.LastIndexAny(path, ".[")
			if i <= 0 {
				break
			}
			path = path[:i]
		}
		return 0
	}
	add := func(path, format string, a ...any) {
		ce.Issues = append(ce.Issues, Issue{Line: line(path), Msg: fmt.Sprintf(format, a...)})
	}
	c.validate(lim, add)
	if len(ce.Issues) > 0 {
		sortIssues(ce.Issues)
		return nil, ce
	}
	return &c, nil
}

func sortIssues(is []Issue) {
	sort.SliceStable(is, func(i, j int) bool { return is[i].Line < is[j].Line })
}

// errLine digs the line out of a goccy/go-yaml error.
func errLine(err error) int {
	var se *yaml.SyntaxError
	if errors.As(err, &se) && se.Token != nil {
		return se.Token.Position.Line
	}
	var te *yaml.TypeError
	if errors.As(err, &te) && te.Token != nil {
		return te.Token.Position.Line
	}
	var ue *yaml.UnknownFieldError
	if errors.As(err, &ue) && ue.Token != nil {
		return ue.Token.Position.Line
	}
	var oe *yaml.OverflowError
	if errors.As(err, &oe) && oe.Token != nil {
		return oe.Token.Position.Line
	}
	// Other errors print as "[LINE:COL] message".
	var l, col int
	if _, e := fmt.Sscanf(err.Error(), "[%d:%d]", &l, &col); e == nil {
		return l
	}
	return 0
}

// firstLine is an error's message without goccy's source excerpt.
func firstLine(err error) string {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if strings.HasPrefix(msg, "[") {
		if i := strings.Index(msg, "] "); i > 0 {
			msg = msg[i+2:]
		}
	}
	return msg
}

// checkKeys walks the YAML tree along the Go type and reports every
// unknown key with its line (decoding alone would stop at the first).
func checkKeys(n ast.Node, t reflect.Type, where string, out *[]Issue) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch n := n.(type) {
	case *ast.MappingNode:
		for _, v := range n.Values {
			checkKeyValue(v, t, where, out)
		}
	case *ast.MappingValueNode:
		checkKeyValue(n, t, where, out)
	case *ast.SequenceNode:
		if t.Kind() == reflect.Slice {
			for _, v := range n.Values {
				checkKeys(v, t.Elem(), where, out)
			}
		}
	}
}

func checkKeyValue(v *ast.MappingValueNode, t reflect.Type, where string, out *[]Issue) {
	if t.Kind() != reflect.Struct {
		return
	}
	key := v.Key.String()
	var allowed []string
	for i := 0; i < t.NumField(); i++ {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if tag == "" {
			continue
		}
		if tag == key {
			checkKeys(v.Value, t.Field(i).Type, where+key+".", out)
			return
		}
		allowed = append(allowed, tag)
	}
	*out = append(*out, Issue{Line: v.Key.GetToken().Position.Line,
		Msg: fmt.Sprintf("unknown key %q in %s (allowed: %s)", key, strings.TrimSuffix(whereName(where), "."), strings.Join(allowed, ", "))})
}

func whereName(w string) string {
	if w == "" {
		return "the top level"
	}
	return w
}

// validate checks meaning (names, ranges, combinations) and reports each
// problem at its YAML path.
func (c *Config) validate(lim Limits, add func(path, format string, a ...any)) {
	if c.Alerts != nil {
		if c.Alerts.Webhook == "" {
			add("$.alerts", "alerts needs a webhook URL")
		} else if u, err := url.Parse(c.Alerts.Webhook); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			add("$.alerts.webhook", "webhook must be an http(s) URL")
		}
		if c.Alerts.Damping < 0 || c.Alerts.Damping > 100 {
			add("$.alerts.damping", "damping %d is outside 1-100", c.Alerts.Damping)
		}
	}
	if len(c.TestGroups) == 0 {
		add("$", "no test_groups: nothing to monitor")
	}
	groups := map[string]bool{}
	for gi := range c.TestGroups {
		g := &c.TestGroups[gi]
		gp := fmt.Sprintf("$.test_groups[%d]", gi)
		if g.Name == "" {
			add(gp, "test group #%d has no name", gi+1)
		} else if groups[g.Name] {
			add(gp+".name", "test group %q is defined twice", g.Name)
		}
		groups[g.Name] = true
		if len(g.Destinations) == 0 {
			add(gp, "test group %q has no destinations", g.Name)
		}
		if len(g.TestConfigurations) == 0 {
			add(gp, "test group %q has no test_configurations", g.Name)
		}
		names := map[string]bool{}
		badDest := map[int]bool{}
		for di, d := range g.Destinations {
			dp := fmt.Sprintf("%s.destinations[%d]", gp, di)
			if d.Address == "" {
				add(dp, "destination #%d has no address", di+1)
				badDest[di] = true
			}
			if strings.Contains(d.Address, "/") || strings.Contains(d.Address, " ") {
				add(dp+".address", "address %q must be a host name or IP (protocol and port go in the test configuration)", d.Address)
				badDest[di] = true
			}
			if d.Name == "" {
				g.Destinations[di].Name = d.Address
			}
			if names[g.Destinations[di].Name] {
				add(dp, "destination %q is listed twice", g.Destinations[di].Name)
			}
			names[g.Destinations[di].Name] = true
		}
		cfgs := map[string]bool{}
		for ti := range g.TestConfigurations {
			tc := &g.TestConfigurations[ti]
			tp := fmt.Sprintf("%s.test_configurations[%d]", gp, ti)
			if tc.Name == "" {
				add(tp, "test configuration #%d has no name", ti+1)
			} else if cfgs[tc.Name] {
				add(tp+".name", "test configuration %q is defined twice", tc.Name)
			}
			cfgs[tc.Name] = true
			tc.validate(tp, lim, add)
			tc.checkPlans(gp, tp, g.Destinations, badDest, add)
		}
	}
}

func (tc *TestConfiguration) validate(tp string, lim Limits, add func(path, format string, a ...any)) {
	if tc.Protocol == "" {
		add(tp, "test configuration %q has no protocol (%s)", tc.Name, protocolNames())
	}
	tc.frequency = time.Minute
	if tc.Frequency != "" {
		d, err := time.ParseDuration(tc.Frequency)
		switch {
		case err != nil:
			add(tp+".frequency", "frequency %q is not a duration like 30s or 5m", tc.Frequency)
		case d < lim.MinFrequency || d > lim.MaxFrequency:
			add(tp+".frequency", "frequency %s is outside %s-%s", d, lim.MinFrequency, lim.MaxFrequency)
		default:
			tc.frequency = d
		}
	}
	tc.timeout = 5 * time.Second
	if tc.Timeout != "" {
		d, err := time.ParseDuration(tc.Timeout)
		if err != nil || d <= 0 {
			add(tp+".timeout", "timeout %q is not a positive duration", tc.Timeout)
		} else {
			tc.timeout = d
		}
	}
	if tc.Checks == 0 {
		tc.Checks = 3
	}
	if tc.Checks < 1 || tc.Checks > 100 {
		add(tp+".checks", "checks %d is outside 1-100", tc.Checks)
	}
	if tc.frequency > 0 && time.Duration(tc.Checks)*tc.timeout > tc.frequency && tc.Frequency != "" && tc.Timeout != "" {
		add(tp+".timeout", "%d checks of up to %s each do not fit in the frequency %s", tc.Checks, tc.timeout, tc.frequency)
	}
	if tc.HTTP != nil && !probe.Protocol(tc.Protocol).HTTP() {
		add(tp+".http", "http options need protocol http or https")
	}
	if tc.TLS != nil && !probe.Protocol(tc.Protocol).TLS() {
		add(tp+".tls", "tls options need protocol tls or https")
	}
	if th := tc.Thresholds; th != nil {
		if v := th.ChecksFailedPercent; v != nil && (*v < 0 || *v > 100) {
			add(tp+".thresholds.checks_failed_percent", "checks_failed_percent %g is outside 0-100", *v)
		}
		if v := th.RoundTripTimeMS; v != nil && *v <= 0 {
			add(tp+".thresholds.round_trip_time_ms", "round_trip_time_ms %g must be positive", *v)
		}
	}
}

// protocolNames lists probe's protocols for messages.
func protocolNames() string {
	names := make([]string, len(probe.Protocols))
	for i, p := range probe.Protocols {
		names[i] = string(p)
	}
	return strings.Join(names, ", ")
}

// probeOptions are the probe options of tc against address.
func (tc *TestConfiguration) probeOptions(address string) probe.Options {
	o := probe.Options{Target: address, Port: tc.Port, Protocol: tc.Protocol, Count: tc.Checks, Timeout: tc.timeout, Resolver: tc.Resolver}
	if tc.Checks > 0 {
		o.Interval = min(time.Second, tc.frequency/time.Duration(4*tc.Checks))
	}
	if o.Interval <= 0 {
		o.Interval = time.Millisecond
	}
	if tc.HTTP != nil {
		o.Method, o.Path, o.Expect = tc.HTTP.Method, tc.HTTP.Path, tc.HTTP.expect()
	}
	if tc.TLS != nil {
		o.SNI, o.CAFile, o.FetchAIA = tc.TLS.SNI, tc.TLS.CAFile, tc.TLS.FetchAIA
	}
	return o
}

// probeKeys are the YAML keys, under a test configuration, of the
// probe.Options fields a config sets; Target is the destination's address.
var probeKeys = map[string]string{
	"Port": ".port", "Protocol": ".protocol", "Count": ".checks", "Timeout": ".timeout", "Interval": ".frequency",
	"Resolver": ".resolver", "Method": ".http.method", "Path": ".http.path", "Expect": ".http.valid_status_code_ranges",
	"SNI": ".tls.sni", "CAFile": ".tls.ca_file", "FetchAIA": ".tls.fetch_aia",
}

// checkPlans asks probe to plan tc against every destination that has a
// usable address, and reports what it refuses at the YAML path of the
// field at fault, once per path (the same setting fails for every
// destination). Problems the checks above reported are not repeated.
func (tc *TestConfiguration) checkPlans(gp, tp string, dests []Destination, badDest map[int]bool, add func(path, format string, a ...any)) {
	if tc.Protocol == "" {
		return
	}
	// With no usable destination, a name stands in for one, so the
	// settings are still checked.
	targets := map[int]string{}
	for di, d := range dests {
		if !badDest[di] {
			targets[di] = d.Address
		}
	}
	if len(targets) == 0 {
		targets[-1] = "destination.invalid"
	}
	seen := map[string]bool{}
	for di := -1; di < len(dests); di++ {
		addr, ok := targets[di]
		if !ok {
			continue
		}
		o := tc.probeOptions(addr)
		if !probe.Protocol(tc.Protocol).HTTP() {
			o.Method, o.Path, o.Expect = "", "", "" // the http block was reported
		}
		if !probe.Protocol(tc.Protocol).TLS() {
			o.SNI, o.CAFile, o.FetchAIA = "", "", false // the tls block was reported
		}
		_, err := o.Plan()
		var pe probe.PlanError
		errors.As(err, &pe)
		for _, fe := range pe {
			path, key := tp, strings.ToLower(fe.Field)
			if k, ok := probeKeys[fe.Field]; ok {
				path, key = tp+k, k[strings.LastIndexByte(k, '.')+1:]
			}
			if fe.Field == "Target" {
				path, key = fmt.Sprintf("%s.destinations[%d].address", gp, di), "address"
			}
			if !seen[path+fe.Msg] {
				seen[path+fe.Msg] = true
				add(path, "%s: %s", key, fe.Msg)
			}
		}
	}
}
