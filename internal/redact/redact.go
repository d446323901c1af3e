// Package redact takes secrets out of text pathproof prints: errors, log
// skip reasons, source names and the command lines it suggests. A storage
// URL carries its SAS token in the query string, a connection string its
// account key, an SDK error may echo either: every such string passes
// through String before it reaches output or logs.
package redact

import (
	"regexp"
	"strings"
)

// Marker replaces every secret.
const Marker = "REDACTED"

var rules = []struct {
	re   *regexp.Regexp
	with string
}{
	// The password of user:password@ in a URL.
	{regexp.MustCompile(`((?i:[a-z][a-z0-9+.-]*)://[^\s"'<>/?#@:]*):[^\s"'<>/?#@]*@`), `${1}:` + Marker + `@`},
	// A URL's query string (a SAS token is the whole query), whatever the
	// scheme (abfss, wasbs, ftp...) and however many slashes follow it
	// ("https:/host" is a typo users make).
	// A colon ending the query is the message's own ("URL?q: error").
	{regexp.MustCompile(`((?i:[a-z][a-z0-9+.-]*):/+[^\s"'<>?]*)\?([^\s"'<>]*[^\s"'<>:])?`), `${1}?` + Marker},
	// A SAS signature anywhere else.
	{regexp.MustCompile(`(?i)(sig|signature)=[^&\s"';]+`), `${1}=` + Marker},
	// Connection-string secrets.
	{regexp.MustCompile(`(?i)(AccountKey|SharedAccessSignature|SharedAccessKey)=[^;\s"']+`), `${1}=` + Marker},
	// Shared Key authorization headers echoed by a dump.
	{regexp.MustCompile(`(?i)\bSharedKey(Lite)? +[^\s"':]+:[^\s"']+`), `SharedKey${1} ` + Marker},
	// Bearer tokens.
	{regexp.MustCompile(`(?i)\bBearer +[A-Za-z0-9._~+/=-]+`), `Bearer ` + Marker},
}

// String returns s with every secret it may hold replaced by Marker: the
// query string of http(s) and azblob URLs (SAS tokens), the password of
// user:password@ in any URL, sig= values anywhere, the AccountKey,
// SharedAccessSignature and SharedAccessKey values of connection strings,
// Shared Key and bearer authorization values. What is not secret (hosts,
// paths, account names, endpoints) stays, so the text still says which
// source it is about.
func String(s string) string {
	for _, r := range rules {
		s = r.re.ReplaceAllString(s, r.with)
	}
	return s
}

// Location returns a location the user gave (a --logs, --db, --topology
// or capture argument: a path or a URL of any scheme, possibly mistyped)
// fit for a message: what String removes, and also everything after a
// '?' (a query is where SAS tokens live, even on a path that is not a URL)
// and the password of user:password@ before any host. A local path with a
// '?' in its name loses its tail in messages; the secret never shows.
func Location(s string) string {
	if i := strings.IndexByte(s, '?'); i >= 0 {
		s = s[:i+1] + Marker
	}
	return String(s)
}

// Args returns msg with every command-line argument in args that Location
// would change replaced by its redacted form (also the value of a
// "--flag=value" argument), then passed through String. The CLI prints
// every error through it, so a location echoed by any layer is covered.
func Args(msg string, args []string) string {
	for _, a := range args {
		cands := []string{a}
		if strings.HasPrefix(a, "-") {
			if _, v, ok := strings.Cut(a, "="); ok {
				cands = append(cands, v)
			}
		}
		for _, c := range cands {
			for _, form := range []string{c, strings.TrimSpace(c)} {
				if r := Location(form); r != form && form != "" {
					msg = strings.ReplaceAll(msg, form, r)
				}
			}
		}
	}
	return String(msg)
}

// sigParam matches a sig= query parameter (the SAS signature).
var sigParam = regexp.MustCompile(`(?i)(^|[?&; "])(sig=)[^&; "]*`)

// Signatures replaces only the sig= values (SAS signatures) of s with
// Marker and keeps the rest of the query: for request URLs that Azure's
// logs record, whose other SAS parameters (expiry, permissions, version)
// are evidence. Output that is not such evidence uses String.
func Signatures(s string) string {
	return sigParam.ReplaceAllString(s, "${1}${2}"+Marker)
}
