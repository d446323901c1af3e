// Package redact takes secrets out of text pathproof prints: errors, log
// skip reasons, source names and the command lines it suggests. A storage
// URL carries its SAS token in the query string, a connection string its
// account key, an SDK error may echo either: every such string passes
// through String before it reaches output or logs.
package redact

import "regexp"

// Marker replaces every secret.
const Marker = "REDACTED"

var rules = []struct {
	re   *regexp.Regexp
	with string
}{
	// The password of user:password@ in a URL.
	{regexp.MustCompile(`((?i:[a-z][a-z0-9+.-]*)://[^\s"'<>/?#@:]*):[^\s"'<>/?#@]*@`), `${1}:` + Marker + `@`},
	// A URL's query string (a SAS token is the whole query).
	{regexp.MustCompile(`((?i:https?|azblob)://[^\s"'<>?]*)\?[^\s"'<>]*`), `${1}?` + Marker},
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

// sigParam matches a sig= query parameter (the SAS signature).
var sigParam = regexp.MustCompile(`(?i)(^|[?&; "])(sig=)[^&; "]*`)

// Signatures replaces only the sig= values (SAS signatures) of s with
// Marker and keeps the rest of the query: for request URLs that Azure's
// logs record, whose other SAS parameters (expiry, permissions, version)
// are evidence. Output that is not such evidence uses String.
func Signatures(s string) string {
	return sigParam.ReplaceAllString(s, "${1}${2}"+Marker)
}
