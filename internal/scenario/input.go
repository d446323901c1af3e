package scenario

import (
	"fmt"
	"net/netip"
	"strconv"
)

// in reads typed values from a query's input, collecting the first error.
type in struct {
	m   map[string]any
	err error
}

func (i *in) str(k string, required bool) string {
	v, ok := i.m[k]
	if !ok || v == nil {
		if required && i.err == nil {
			i.err = fmt.Errorf("input.%s is missing", k)
		}
		return ""
	}
	return fmt.Sprint(v)
}

func (i *in) addr(k string, required bool) netip.Addr {
	s := i.str(k, required)
	if s == "" {
		return netip.Addr{}
	}
	a, err := netip.ParseAddr(s)
	if err != nil && i.err == nil {
		i.err = fmt.Errorf("input.%s: %v", k, err)
	}
	return a
}

// port reads a port; "*" or absent is 0 (any).
func (i *in) port(k string) int {
	s := i.str(k, false)
	if s == "" || s == "*" {
		return 0
	}
	p, err := strconv.Atoi(s)
	if (err != nil || p < 0 || p > 65535) && i.err == nil {
		i.err = fmt.Errorf("input.%s: %q is not a port", k, s)
	}
	return p
}
