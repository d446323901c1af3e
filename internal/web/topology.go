package web

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"

	"github.com/pathproof/pathproof/internal/scenario"
	"github.com/pathproof/pathproof/internal/trace/diagram"
)

type nicLink struct {
	Name, IP, Subnet, Link string
}

type topologyPage struct {
	page
	Diagram template.HTML
	NICs    []nicLink
}

func nicHref(name string) string { return "/topology/nic?name=" + url.QueryEscape(name) }

func (s *server) topology(w http.ResponseWriter, r *http.Request) {
	p := &topologyPage{page: s.page("topology", "Topology")}
	if s.ws.Net == nil {
		p.Error = "no topology loaded: start pathproof serve with --topology FILE|FOLDER"
		s.render(w, http.StatusNotFound, "topology", p)
		return
	}
	var b bytes.Buffer
	link := func(kind, name string) string {
		if kind == "nic" {
			return nicHref(name)
		}
		return ""
	}
	if err := diagram.TopologySVG(&b, s.ws.Net, link); err != nil {
		p.Error = err.Error()
		s.render(w, http.StatusInternalServerError, "topology", p)
		return
	}
	p.Diagram = template.HTML(b.String()) // drawn by internal/trace/diagram, every name escaped
	for _, n := range s.ws.Net.NICs {
		l := nicLink{Name: n.Name, IP: n.IP.String(), Link: nicHref(n.Name)}
		if sub := n.SubnetRef(); sub != nil {
			l.Subnet = sub.Key()
		}
		p.NICs = append(p.NICs, l)
	}
	s.render(w, http.StatusOK, "topology", p)
}

type nicPage struct {
	page
	NIC    string
	Routes *scenario.RoutesAnswer
	Rules  *scenario.RulesAnswer
}

// nic shows a NIC's effective routes and rules: the answers of `pathproof
// routes --nic` and `pathproof rules --nic`.
func (s *server) nic(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	p := &nicPage{page: s.page("topology", "NIC "+name), NIC: name}
	e, err := s.ws.NeedEngine()
	if err != nil {
		p.Error = err.Error()
		s.render(w, http.StatusNotFound, "nic", p)
		return
	}
	routes, err := scenario.EffectiveRoutes(e, scenario.SubnetSelector{NIC: name})
	if err != nil {
		p.Error = err.Error()
		s.render(w, http.StatusNotFound, "nic", p)
		return
	}
	rules, err := scenario.EffectiveRules(e, name)
	if err != nil {
		p.Error = err.Error()
		s.render(w, http.StatusNotFound, "nic", p)
		return
	}
	p.Routes, p.Rules = &routes, &rules
	s.render(w, http.StatusOK, "nic", p)
}
