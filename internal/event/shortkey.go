package event

import (
	"strings"
	"unicode/utf8"
)

// containerPrefix starts the name of every container Azure writes
// diagnostic logs to (logs.ContainerPrefix).
const containerPrefix = "insights-logs-"

// ShortKey is an origin key shortened to the parts that tell its blobs
// apart, for tables: in Azure's layout
// "insights-logs-CATEGORY/resourceId=/SUBSCRIPTIONS/.../NAME/y=2026/m=01/d=15/h=09/m=00[/macAddress=MAC]/PT1H.json"
// becomes "CATEGORY/NAME/2026-01-15T09:00/PT1H.json", with the NIC's MAC
// in place of the resource name for flow logs (one flow log covers many
// NICs); outside that layout, the category and the last two path elements.
// Any other key longer than 40 characters keeps its last two path elements
// ("…/logs/fw.json"). The full key stays in JSON; FindShortKey
// maps a short key back.
func ShortKey(key string) string {
	if rest, ok := strings.CutPrefix(key, containerPrefix); ok {
		if short, ok := shortAzure(rest); ok {
			return short
		}
		if segs := strings.Split(rest, "/"); len(segs) > 3 {
			return segs[0] + "/…/" + strings.Join(segs[len(segs)-2:], "/")
		}
		return key
	}
	if utf8.RuneCountInString(key) <= 40 {
		return key
	}
	parts := strings.Split(key, "/")
	if len(parts) <= 2 {
		return key
	}
	return "…/" + strings.Join(parts[len(parts)-2:], "/")
}

// shortAzure shortens the part of a key after "insights-logs-".
func shortAzure(rest string) (string, bool) {
	segs := strings.Split(rest, "/")
	if len(segs) < 3 {
		return "", false
	}
	category, file := segs[0], segs[len(segs)-1]
	var name, mac string
	date := map[string]string{}
	order := []string{}
	for _, s := range segs[1 : len(segs)-1] {
		k, v, ok := strings.Cut(s, "=")
		switch {
		case ok && (k == "y" || k == "m" || k == "d" || k == "h"):
			if k == "m" && date["m"] != "" {
				k = "min" // the second m= is the minute
			}
			date[k] = v
			order = append(order, k)
		case ok && strings.EqualFold(k, "macAddress"):
			mac = v
		case !ok && len(order) == 0 && s != "":
			name = s // the last path element before the date: the resource
		}
	}
	if date["y"] == "" || date["m"] == "" || date["d"] == "" {
		return "", false
	}
	when := date["y"] + "-" + date["m"] + "-" + date["d"]
	if date["h"] != "" {
		when += "T" + date["h"] + ":" + orZero(date["min"])
	}
	who := name
	if mac != "" {
		who = mac
	}
	out := []string{category}
	if who != "" {
		out = append(out, who)
	}
	return strings.Join(append(out, when, file), "/"), true
}

func orZero(s string) string {
	if s == "" {
		return "00"
	}
	return s
}

// FindShortKey returns the key among keys that key names: itself, or the
// only one whose ShortKey it is. ok is false when none or several match
// (ambiguous lists them).
func FindShortKey(key string, keys []string) (found string, ambiguous []string, ok bool) {
	for _, k := range keys {
		if k == key {
			return k, nil, true
		}
	}
	for _, k := range keys {
		if ShortKey(k) == key {
			ambiguous = append(ambiguous, k)
		}
	}
	if len(ambiguous) == 1 {
		return ambiguous[0], nil, true
	}
	return "", ambiguous, false
}
