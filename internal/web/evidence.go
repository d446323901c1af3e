package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/store"
)

// evidencePageSize is how many events one page shows.
const evidencePageSize = 50

// histBuckets is the number of bars of the time histogram.
const histBuckets = 60

// field is one filter input of the evidence form.
type field struct {
	Name, Label, Hint, Value string
}

// evidenceFields are the filters of `pathproof events`, as form fields
// (lists comma-separated).
var evidenceFields = []field{
	{Name: "src", Label: "Source", Hint: "10.0.0.0/24"}, {Name: "dst", Label: "Destination", Hint: "10.1.0.5"},
	{Name: "ip", Label: "Either side", Hint: "address or CIDR"}, {Name: "port", Label: "Dst port", Hint: "443,1433"},
	{Name: "proto", Label: "Protocol", Hint: "tcp"}, {Name: "verdict", Label: "Verdict", Hint: "deny"},
	{Name: "source", Label: "Log", Hint: "vnetflow, firewall"}, {Name: "rule", Label: "Rule", Hint: "substring"},
	{Name: "since", Label: "Since", Hint: "2h or RFC3339"}, {Name: "until", Label: "Until", Hint: "RFC3339"},
}

// eventRow is one row of the events table.
type eventRow struct {
	event.JSON
	Src, Dst, Link string
	OriginText     string
}

// bar is one bar of the histogram.
type bar struct {
	store.Bucket
	X, Y, W, H int
	Link       string
}

type evidencePage struct {
	page
	Fields           []field
	Total            int64
	From, To         int
	Prev, Next       string
	Events           []eventRow
	Histogram        []bar
	HistW            int
	HistFrom, HistTo time.Time
}

// specOf reads the filter fields of a query.
func specOf(q url.Values) filter.Spec {
	list := func(k string) []string {
		var out []string
		for _, v := range q[k] {
			for _, x := range strings.Split(v, ",") {
				if x = strings.TrimSpace(x); x != "" {
					out = append(out, x)
				}
			}
		}
		return out
	}
	sp := filter.Spec{Src: list("src"), Dst: list("dst"), IP: list("ip"), Port: list("port"), SrcPort: list("src_port"), Proto: list("proto"),
		Verdict: list("verdict"), Source: list("source"), Direction: list("direction"), Since: q.Get("since"), Until: q.Get("until")}
	if v := strings.TrimSpace(q.Get("rule")); v != "" {
		sp.Rule = []string{v}
	}
	return sp
}

func (s *server) evidence(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := &evidencePage{page: s.page("evidence", "Evidence"), HistW: 900}
	for _, f := range evidenceFields {
		f.Value = q.Get(f.Name)
		p.Fields = append(p.Fields, f)
	}
	st, err := s.ws.NeedStore()
	if err != nil {
		p.Error = err.Error()
		s.render(w, http.StatusNotFound, "evidence", p)
		return
	}
	ctx := r.Context()
	f, err := filter.Parse(specOf(q))
	if err == nil {
		err = s.ws.Evidence.Bind(ctx, f)
	}
	if err != nil {
		p.Error = err.Error()
		s.render(w, http.StatusBadRequest, "evidence", p)
		return
	}
	pg, _ := strconv.Atoi(q.Get("page"))
	pg = max(pg, 0)
	if p.Total, err = st.Count(ctx, f); err == nil {
		var evs []event.Event
		if evs, err = st.EventsPage(ctx, f, pg*evidencePageSize, evidencePageSize); err == nil {
			for i := range evs {
				j := event.ToJSON(&evs[i])
				o := evs[i].Origin.String()
				p.Events = append(p.Events, eventRow{JSON: j, Src: endpoint(evs[i].SrcIP, evs[i].SrcPort, ""), Dst: endpoint(evs[i].DstIP, evs[i].DstPort, evs[i].FQDN),
					OriginText: o, Link: "/record?origin=" + url.QueryEscape(o)})
			}
		}
	}
	if err == nil {
		err = s.histogram(ctx, p, st, f, q)
	}
	if err != nil {
		p.Error = err.Error()
		s.render(w, http.StatusInternalServerError, "evidence", p)
		return
	}
	if len(p.Events) > 0 {
		p.From, p.To = pg*evidencePageSize+1, pg*evidencePageSize+len(p.Events)
	}
	if pg > 0 {
		p.Prev = pageLink(q, pg-1)
	}
	if int64((pg+1)*evidencePageSize) < p.Total {
		p.Next = pageLink(q, pg+1)
	}
	s.render(w, http.StatusOK, "evidence", p)
}

// histogram fills the bars: each links to the same filter narrowed to its
// time span.
func (s *server) histogram(ctx context.Context, p *evidencePage, st *store.Store, f *filter.Filter, q url.Values) error {
	bs, err := st.Histogram(ctx, f, histBuckets)
	if err != nil || len(bs) == 0 {
		return err
	}
	var most int64
	for _, b := range bs {
		most = max(most, b.Events)
	}
	w := p.HistW / len(bs)
	for i, b := range bs {
		h := 0
		if most > 0 {
			h = int(b.Events * 90 / most)
			if b.Events > 0 {
				h = max(h, 2)
			}
		}
		nq := cloneValues(q)
		nq.Del("page")
		nq.Set("since", b.Start.UTC().Format(time.RFC3339Nano))
		nq.Set("until", b.End.UTC().Format(time.RFC3339Nano))
		p.Histogram = append(p.Histogram, bar{Bucket: b, X: i * w, Y: 92 - h, W: max(w-1, 1), H: h, Link: "/evidence?" + nq.Encode()})
	}
	p.HistFrom, p.HistTo = bs[0].Start, bs[len(bs)-1].End
	return nil
}

func pageLink(q url.Values, pg int) string {
	nq := cloneValues(q)
	nq.Set("page", strconv.Itoa(pg))
	return "/evidence?" + nq.Encode()
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// endpoint prints ip:port, the address alone without a port, or the name
// of a PaaS destination.
func endpoint(a netip.Addr, port uint16, name string) string {
	switch {
	case !a.IsValid() && name != "":
		if port != 0 {
			return name + ":" + strconv.Itoa(int(port))
		}
		return name
	case !a.IsValid():
		return "–"
	case port == 0:
		return a.String()
	}
	return netip.AddrPortFrom(a, port).String()
}

type recordPage struct {
	page
	Origin, Key   string
	Record, Tuple int
	Raw           string
}

// record shows the raw record an origin cites.
func (s *server) record(w http.ResponseWriter, r *http.Request) {
	origin := r.URL.Query().Get("origin")
	p := &recordPage{page: s.page("evidence", "Record "+origin), Origin: origin}
	o, err := event.ParseOrigin(origin)
	if err != nil {
		p.Error = err.Error()
		s.render(w, http.StatusBadRequest, "record", p)
		return
	}
	p.Key, p.Record, p.Tuple = o.Key, o.Record, o.Tuple
	raw, err := s.ws.RawRecord(r.Context(), origin)
	if err != nil {
		p.Error = err.Error()
		s.render(w, statusOf(err), "record", p)
		return
	}
	p.Raw = indentJSON(raw)
	s.render(w, http.StatusOK, "record", p)
}

// indentJSON prints raw JSON indented (as is when it does not parse).
func indentJSON(raw []byte) string {
	var b bytes.Buffer
	if json.Indent(&b, raw, "", "  ") != nil {
		return string(raw)
	}
	return b.String()
}
