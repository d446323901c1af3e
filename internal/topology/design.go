package topology

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// sniffDesign recognises pathproof's design YAML: a scenario file (with a
// `topology:` section) or a bare topology (top-level `vnets:` and friends).
func sniffDesign(path string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
	default:
		return false
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		for _, k := range []string{"topology:", "schema: pathproof", "vnets:", "firewall_policies:", "nsgs:", "route_tables:"} {
			if bytes.HasPrefix(line, []byte(k)) {
				return true
			}
		}
	}
	return false
}

// ParseDesign decodes design YAML (a scenario file or a bare topology) into
// a new Network without indexing it. Sources name file.
func ParseDesign(file string, data []byte) (*Network, error) {
	var doc struct {
		Topology *Network `yaml:"topology"`
	}
	if err := UnmarshalYAML(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	root := "$.topology"
	n := doc.Topology
	if n == nil {
		n = &Network{}
		if err := UnmarshalYAML(data, n); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		root = "$"
	}
	dropNils(reflect.ValueOf(n))
	stampSources(n, file, data, root)
	return n, nil
}

// UnmarshalYAML decodes YAML into v, turning a panic of the YAML library
// on malformed input into an error.
func UnmarshalYAML(data []byte, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed YAML (%v)", r)
		}
	}()
	if err := yaml.Unmarshal(data, v); err != nil {
		return errors.New(yaml.FormatError(err, false, true))
	}
	return nil
}

// loadDesign is the Loader of the design YAML.
func loadDesign(path string, data []byte, net *Network, d *Diagnostics) error {
	n, err := ParseDesign(path, data)
	if err != nil {
		return err
	}
	net.Merge(n)
	return nil
}

// Merge appends every resource of o to n. Index n again afterwards.
func (n *Network) Merge(o *Network) {
	n.VNets = append(n.VNets, o.VNets...)
	n.Peerings = append(n.Peerings, o.Peerings...)
	n.RouteTables = append(n.RouteTables, o.RouteTables...)
	n.NSGs = append(n.NSGs, o.NSGs...)
	n.AdminRules = append(n.AdminRules, o.AdminRules...)
	n.ASGs = append(n.ASGs, o.ASGs...)
	n.NICs = append(n.NICs, o.NICs...)
	n.PrivateEndpoints = append(n.PrivateEndpoints, o.PrivateEndpoints...)
	n.Firewalls = append(n.Firewalls, o.Firewalls...)
	n.FirewallPolicies = append(n.FirewallPolicies, o.FirewallPolicies...)
	n.IPGroups = append(n.IPGroups, o.IPGroups...)
	n.Gateways = append(n.Gateways, o.Gateways...)
	n.Connections = append(n.Connections, o.Connections...)
	n.OnPremSites = append(n.OnPremSites, o.OnPremSites...)
	n.InternetHosts = append(n.InternetHosts, o.InternetHosts...)
	n.idx = nil
}

// stampSources sets Src (file and line) on every top-level resource.
func stampSources(n *Network, file string, data []byte, root string) {
	f, err := parseFile(data)
	line := func(p string) int {
		if err != nil {
			return 0
		}
		path, perr := yaml.PathString(p)
		if perr != nil {
			return 0
		}
		node, ferr := path.FilterFile(f)
		if ferr != nil || node == nil || node.GetToken() == nil {
			return 0
		}
		return node.GetToken().Position.Line
	}
	src := func(list string, i int) Source {
		return Source{File: file, Line: line(fmt.Sprintf("%s.%s[%d]", root, list, i))}
	}
	for i, x := range n.VNets {
		x.Src = src("vnets", i)
		for j, s := range x.Subnets {
			s.Src = Source{File: file, Line: line(fmt.Sprintf("%s.vnets[%d].subnets[%d]", root, i, j))}
		}
	}
	for i, x := range n.Peerings {
		x.Src = src("peerings", i)
	}
	for i, x := range n.RouteTables {
		x.Src = src("route_tables", i)
		for j, r := range x.Routes {
			r.Src = Source{File: file, Line: line(fmt.Sprintf("%s.route_tables[%d].routes[%d]", root, i, j))}
		}
	}
	for i, x := range n.NSGs {
		x.Src = src("nsgs", i)
		for j, r := range x.Rules {
			r.Src = Source{File: file, Line: line(fmt.Sprintf("%s.nsgs[%d].rules[%d]", root, i, j))}
		}
	}
	for i, x := range n.AdminRules {
		x.Src = src("admin_rules", i)
	}
	for i, x := range n.ASGs {
		x.Src = src("asgs", i)
	}
	for i, x := range n.NICs {
		x.Src = src("nics", i)
	}
	for i, x := range n.PrivateEndpoints {
		x.Src = src("private_endpoints", i)
	}
	for i, x := range n.Firewalls {
		x.Src = src("firewalls", i)
	}
	for i, x := range n.FirewallPolicies {
		x.Src = src("firewall_policies", i)
	}
	for i, x := range n.IPGroups {
		x.Src = src("ip_groups", i)
	}
	for i, x := range n.Gateways {
		x.Src = src("gateways", i)
	}
	for i, x := range n.Connections {
		x.Src = src("connections", i)
	}
	for i, x := range n.OnPremSites {
		x.Src = src("onprem_sites", i)
	}
}

func parseFile(data []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("malformed YAML (%v)", r)
		}
	}()
	return parser.ParseBytes(data, 0)
}
