package nwrender

import (
	"fmt"
	"io"
	"strings"

	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/scenario"
	"github.com/pathproof/pathproof/internal/topology/arm"
)

// HubRoutes writes a virtual hub route table's (or a connection's)
// effective routes and the contradictions found in it.
func HubRoutes(w io.Writer, format string, ans scenario.HubRoutesAnswer) error {
	if format == "json" {
		return render.JSON(w, ans)
	}
	what := "route table " + ans.RouteTable
	if ans.Connection != "" {
		what = "connection " + ans.Connection + " (associated with " + ans.RouteTable + ")"
	}
	fmt.Fprintf(w, "Effective routes of hub %s, %s\n\n", render.Escape(ans.Hub), render.Escape(what))
	tb := render.Table{Header: []string{"PREFIX", "NEXT HOP TYPE", "NEXT HOP", "NEXT HOP IP", "ORIGIN", "AS PATH"}}
	for _, r := range ans.Routes {
		tb.Add(r.AddressPrefixes[0], r.NextHopType, arm.LastSegment(r.NextHops[0]), r.NextHopIP, arm.LastSegment(r.RouteOrigin), r.ASPath)
	}
	if err := tb.Write(w); err != nil {
		return err
	}
	if len(ans.Findings) > 0 {
		fmt.Fprintf(w, "\nFINDINGS\n")
	}
	for _, f := range ans.Findings {
		fmt.Fprintf(w, "  %s %s: %s\n    fix: %s\n", strings.ToUpper(f.Severity), f.Code, render.Escape(f.Message), render.Escape(f.Fix))
	}
	return nil
}
