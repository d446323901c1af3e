package azlive

import (
	"fmt"
	"strings"
	"unicode"
)

// Prefix starts a live topology source: azure://SUBSCRIPTION[/RESOURCEGROUP].
const Prefix = "azure://"

// IsLive reports whether a --topology value names a live Azure scope.
func IsLive(s string) bool {
	return len(s) >= len(Prefix) && strings.EqualFold(s[:len(Prefix)], Prefix)
}

// Scope is what one azure:// value reads: a subscription, or one resource
// group of it.
type Scope struct {
	Subscription  string
	ResourceGroup string // empty: the whole subscription
}

// String is the scope as an azure:// URL.
func (s Scope) String() string {
	if s.ResourceGroup == "" {
		return Prefix + s.Subscription
	}
	return Prefix + s.Subscription + "/" + s.ResourceGroup
}

// slug names the scope in file names.
func (s Scope) slug() string {
	if s.ResourceGroup == "" {
		return s.Subscription
	}
	return s.Subscription + "_" + fileSafe(s.ResourceGroup)
}

// fileSafe is an Azure name fit for a file name on any system: lower
// case, every character but ASCII letters, digits, '.', '_' and '-'
// replaced by '_'.
func fileSafe(name string) string {
	return strings.Map(func(c rune) rune {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '.', c == '_', c == '-':
			return c
		case c >= 'A' && c <= 'Z':
			return c + 'a' - 'A'
		}
		return '_'
	}, name)
}

// ParseScope parses azure://SUBSCRIPTION[/RESOURCEGROUP]. The subscription
// is a GUID; a resource group name holds letters, digits (Unicode ones too), '_', '-', '.'
// and parentheses, at most 90 characters, and does not end in '.'
// (Azure's naming rules), so a scope never needs quoting in a query.
func ParseScope(s string) (Scope, error) {
	if !IsLive(s) {
		return Scope{}, fmt.Errorf("%q does not start with %s", s, Prefix)
	}
	rest := strings.TrimSuffix(s[len(Prefix):], "/")
	sub, rg, _ := strings.Cut(rest, "/")
	if strings.HasPrefix(strings.ToLower(rest), "subscriptions/") {
		return Scope{}, fmt.Errorf("%q: write azure://SUBSCRIPTION[/RESOURCEGROUP], not an ARM id", s)
	}
	if !isGUID(sub) {
		return Scope{}, fmt.Errorf("%q: the subscription must be a subscription id (a GUID), e.g. azure://00000000-0000-0000-0000-000000000000/my-rg", s)
	}
	if strings.Contains(rg, "/") || (rg != "" && !validRG(rg)) {
		return Scope{}, fmt.Errorf("%q: %q is not a resource group name (letters, digits, _ - . ( ), at most 90, not ending in .)", s, rg)
	}
	return Scope{Subscription: strings.ToLower(sub), ResourceGroup: rg}, nil
}

func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		default:
			return false
		}
	}
	return true
}

func validRG(s string) bool {
	if len(s) > 90 || strings.HasSuffix(s, ".") {
		return false
	}
	for _, c := range s {
		switch {
		case unicode.IsLetter(c), unicode.IsDigit(c):
		case c == '_' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return false
		}
	}
	return true
}
