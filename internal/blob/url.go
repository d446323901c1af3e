package blob

import (
	"errors"
	"net/url"
	"strings"

	"github.com/pathproof/pathproof/internal/redact"
)

// Source is one parsed blob log source.
type Source struct {
	// Kind is "url" for http(s) URLs and "azblob" for azblob:// sources.
	Kind string
	// Endpoint is the blob service URL without query and trailing slash:
	// "https://acct.blob.core.windows.net" or, path style,
	// "http://127.0.0.1:10000/devstoreaccount1". Empty for azblob:// (the
	// account comes from the environment).
	Endpoint string
	// Account is the storage account name ("" for azblob://).
	Account string
	// Container is the container to read; "" reads every insights-logs-*
	// container.
	Container string
	// Prefix is the blob-name prefix inside the container ("" for all).
	Prefix string
	// sas is the URL's query string (a SAS token): a secret.
	sas string
}

// String returns the source for messages, without any SAS token.
func (s Source) String() string {
	var b strings.Builder
	if s.Kind == "azblob" {
		b.WriteString("azblob://")
	} else {
		b.WriteString(s.Endpoint + "/")
	}
	b.WriteString(s.Container)
	if s.Prefix != "" {
		b.WriteString("/" + s.Prefix)
	}
	// A SAS signature lives in the query, which Source drops; one pasted
	// into the path (a lost "?") is taken out too.
	return redact.String(b.String())
}

// IsURL reports whether a --logs argument names a blob source rather than a
// local path: it starts with http://, https:// or azblob://.
func IsURL(arg string) bool {
	l := strings.ToLower(arg)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "azblob://")
}

// ParseSource parses a blob source URL (see the package documentation). The
// error never repeats the query string.
func ParseSource(arg string) (Source, error) {
	if !IsURL(arg) {
		return Source{}, safeErrorf("%q is not a blob URL (https://, http:// or azblob://)", arg)
	}
	if strings.HasPrefix(strings.ToLower(arg), "azblob://") {
		rest := arg[len("azblob://"):]
		if i := strings.IndexAny(rest, "?#"); i >= 0 {
			return Source{}, errors.New("azblob:// sources take no query string: give a SAS URL as https://ACCOUNT.blob.core.windows.net/CONTAINER?SAS")
		}
		s := Source{Kind: "azblob"}
		s.Container, s.Prefix, _ = strings.Cut(rest, "/")
		return s, validContainer(s)
	}
	u, err := url.Parse(arg)
	if err != nil {
		return Source{}, safeErrorf("blob URL %s: %v", arg, err)
	}
	if u.Host == "" {
		return Source{}, safeErrorf("blob URL %s has no host", arg)
	}
	if u.User != nil {
		return Source{}, safeErrorf("blob URL %s: user information in a URL is not supported", arg)
	}
	s := Source{Kind: "url", sas: u.RawQuery}
	path := strings.TrimPrefix(u.Path, "/")
	host := strings.ToLower(u.Hostname())
	base := u.Scheme + "://" + u.Host
	if strings.Contains(host, ".blob.") {
		s.Account, _, _ = strings.Cut(host, ".")
		s.Endpoint = base
	} else {
		// Path style: the first segment is the account.
		var rest string
		s.Account, rest, _ = strings.Cut(path, "/")
		if s.Account == "" {
			return Source{}, safeErrorf("blob URL %s: a path-style URL needs the account as its first path segment (http://HOST:PORT/ACCOUNT/CONTAINER)", redact.String(arg))
		}
		s.Endpoint = base + "/" + s.Account
		path = rest
	}
	s.Container, s.Prefix, _ = strings.Cut(path, "/")
	return s, validContainer(s)
}

// validContainer checks the container name against Azure's rules (3-63
// lower-case letters, digits and single hyphens), so a typo fails before any
// request.
func validContainer(s Source) error {
	c := s.Container
	if c == "" || c == "$logs" || c == "$root" {
		return nil
	}
	ok := len(c) >= 3 && len(c) <= 63 && c[0] != '-' && c[len(c)-1] != '-' && !strings.Contains(c, "--")
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			ok = false
		}
	}
	if !ok {
		return safeErrorf("blob source %s: %q is not a valid container name (3-63 lower-case letters, digits and hyphens)", s, c)
	}
	return nil
}
