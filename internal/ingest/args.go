package ingest

import (
	"net/url"
	"strings"
)

// Args repeats the sources as pathproof flags, for the drill-down command
// lines front ends print (`pathproof events --db FILE ...`): --db when
// there is one (it holds everything loaded), else one --logs per source,
// with secrets taken out.
func (s Sources) Args() []string {
	if s.DB != "" {
		return []string{"--db", s.DB}
	}
	var out []string
	for _, p := range s.Logs {
		out = append(out, "--logs", redact(p))
	}
	return out
}

// redact keeps secrets out of the command lines pathproof prints: a URL
// loses its query string (a SAS token lives there) and user info; anything
// that looks like a connection string or key is replaced whole.
func redact(p string) string {
	low := strings.ToLower(p)
	for _, marker := range []string{"accountkey=", "sharedaccesssignature=", "sharedaccesskey=", "sig="} {
		if strings.Contains(low, marker) && !strings.Contains(p, "://") {
			return "REDACTED"
		}
	}
	if u, err := url.Parse(p); err == nil && u.Scheme != "" && u.Host != "" {
		u.RawQuery, u.Fragment, u.User = "", "", nil
		return u.String()
	}
	return p
}
