package tracerender

import (
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/render"
)

// WriteDNS writes a name's resolution that answered no address in
// format: {"dns": a} for "json", else as DNS writes it.
func WriteDNS(w io.Writer, format string, a azure.DNSAnswer) error {
	if format == "json" {
		return render.JSON(w, map[string]any{"dns": a})
	}
	return DNS(w, a)
}

// DNS writes a name's resolution for people: the answer, who answered,
// every record of the chain with why, and the assumptions.
func DNS(w io.Writer, a azure.DNSAnswer) error {
	var b strings.Builder
	writeDNS(&b, a, "")
	_, err := io.WriteString(w, b.String())
	return err
}

func writeDNS(b *strings.Builder, a azure.DNSAnswer, indent string) {
	ans := a.Result
	if len(a.Addresses) > 0 {
		ans += " " + addrList(a.Addresses)
	}
	fmt.Fprintf(b, "%sdns: %s → %s (asked %s", indent, render.Escape(a.Name), ans, render.Escape(a.Server))
	if a.VNet != "" {
		fmt.Fprintf(b, ", seen from VNet %s", render.Escape(a.VNet))
	}
	b.WriteString(")\n")
	for _, s := range a.Chain {
		rec := s.Type
		switch {
		case s.Target != "":
			rec += " " + render.Escape(s.Target)
		case len(s.Addresses) > 0:
			rec += " " + addrList(s.Addresses)
		}
		fmt.Fprintf(b, "%s  %s  %s  [%s]\n%s      %s\n", indent, render.Escape(s.Name), rec, s.Source, indent, render.Escape(s.Why))
	}
	if len(a.Chain) == 0 && a.Why != "" {
		fmt.Fprintf(b, "%s  %s\n", indent, render.Escape(a.Why))
	}
	for _, x := range a.Assumptions {
		fmt.Fprintf(b, "%s  assumption: %s\n", indent, render.Escape(x))
	}
}

// addrList is addresses as "a, b".
func addrList(as []netip.Addr) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}
