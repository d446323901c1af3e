// Package arm is the Azure Resource Manager vocabulary the topology loaders
// and exporters share: resource ids, and the tags and keys pathproof adds
// to Azure's shape so that an exported design reads back unchanged.
package arm

import "strings"

// ID is a parsed Azure Resource Manager resource id:
// /subscriptions/{sub}/resourceGroups/{rg}/providers/{Namespace}/{type}/{name}[/{childType}/{childName}...].
// ARM ids are case-insensitive; Key is the lower-cased id used to resolve
// references, Raw keeps the original spelling for messages.
type ID struct {
	Raw           string
	Key           string
	Subscription  string
	ResourceGroup string
	Namespace     string   // e.g. Microsoft.Network
	Types         []string // type segments, e.g. [virtualNetworks subnets]
	Names         []string // name segments, parallel to Types
	Parsed        bool     // false when the id does not have the ARM shape (kept opaque)
}

// IDKey is the case-insensitive lookup key of a resource id: lower-cased,
// without a trailing slash.
func IDKey(id string) string {
	return strings.ToLower(strings.TrimRight(strings.TrimSpace(id), "/"))
}

// ParseID parses id. Ids that do not have the ARM shape (documentation
// examples contain some, like "provders" or ".../resourceGroup/rg1/...")
// are returned with Parsed false and only Raw/Key set: callers treat them as
// opaque strings rather than failing.
func ParseID(id string) ID {
	out := ID{Raw: id, Key: IDKey(id)}
	segs := strings.Split(strings.Trim(strings.TrimSpace(id), "/"), "/")
	i := 0
	if len(segs) >= 2 && strings.EqualFold(segs[0], "subscriptions") {
		out.Subscription = segs[1]
		i = 2
	} else {
		return out
	}
	if len(segs) >= i+2 && strings.EqualFold(segs[i], "resourceGroups") {
		out.ResourceGroup = segs[i+1]
		i += 2
	}
	if len(segs) < i+4 || !strings.EqualFold(segs[i], "providers") {
		return out
	}
	out.Namespace = segs[i+1]
	rest := segs[i+2:]
	if len(rest)%2 != 0 {
		return out
	}
	for j := 0; j < len(rest); j += 2 {
		if rest[j] == "" || rest[j+1] == "" {
			return ID{Raw: id, Key: out.Key}
		}
		out.Types = append(out.Types, rest[j])
		out.Names = append(out.Names, rest[j+1])
	}
	out.Parsed = true
	return out
}

// Type returns the resource type the id names, lower-cased
// ("microsoft.network/virtualnetworks/subnets"), or "" for an opaque id.
func (a ID) Type() string {
	if !a.Parsed {
		return ""
	}
	return strings.ToLower(a.Namespace + "/" + strings.Join(a.Types, "/"))
}

// Name returns the last name segment (the resource's own name), or the
// last path segment of an opaque id.
func (a ID) Name() string {
	if a.Parsed {
		return a.Names[len(a.Names)-1]
	}
	return LastSegment(a.Raw)
}

// Parent returns the id of the parent resource (the VNet of a subnet), or
// the zero ID for a top-level or opaque id.
func (a ID) Parent() ID {
	if !a.Parsed || len(a.Types) < 2 {
		return ID{}
	}
	segs := strings.Split(strings.Trim(a.Raw, "/"), "/")
	return ParseID("/" + strings.Join(segs[:len(segs)-2], "/"))
}

// Union returns the distinct non-empty ids of the lists, in order,
// comparing them case-insensitively as ARM does.
func Union(lists ...[]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range lists {
		for _, s := range l {
			k := strings.ToLower(s)
			if s == "" || seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, s)
		}
	}
	return out
}
