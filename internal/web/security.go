package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
)

// TokenEnv names the environment variable that gives the bearer token.
const TokenEnv = "PATHPROOF_TOKEN"

// csp lets the pages load only what the server itself serves: its script
// and stylesheet (inline SVG diagrams carry presentation attributes, so
// inline styles are allowed; inline script is not), no frames, no forms to
// elsewhere.
const csp = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// securityHeaders adds the usual headers to every response.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		hd.Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic in a handler into a 500: the server keeps
// serving.
func recoverPanics(log io.Writer, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				if log != nil {
					fmt.Fprintf(log, "pathproof serve: %s %s: panic: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
				}
				http.Error(w, "pathproof: internal error (please report it)", http.StatusInternalServerError)
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// tokenCookie carries the token once a browser has presented it.
const tokenCookie = "pathproof_token"

// requireToken admits a request carrying token as "Authorization: Bearer
// TOKEN" or in the cookie; a GET with ?token=TOKEN sets the cookie and
// redirects to the same page without it. Anything else is 401.
func requireToken(token string, h http.Handler) http.Handler {
	ok := func(s string) bool { return subtle.ConstantTimeCompare([]byte(s), []byte(token)) == 1 }
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a := r.Header.Get("Authorization"); len(a) > 7 && a[:7] == "Bearer " && ok(a[7:]) {
			h.ServeHTTP(w, r)
			return
		}
		if c, err := r.Cookie(tokenCookie); err == nil && ok(c.Value) {
			h.ServeHTTP(w, r)
			return
		}
		if q := r.URL.Query(); r.Method == http.MethodGet && q.Has("token") && ok(q.Get("token")) {
			http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
			q.Del("token")
			u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
			http.Redirect(w, r, u.String(), http.StatusSeeOther)
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="pathproof"`)
		http.Error(w, "pathproof: this server needs its token: send 'Authorization: Bearer TOKEN' or open the URL with ?token=TOKEN that 'pathproof serve' printed", http.StatusUnauthorized)
	})
}

// ErrRemoteRefused is returned for a non-loopback address without
// --allow-remote.
var ErrRemoteRefused = errors.New("refusing to listen on a non-loopback address without --allow-remote (the UI would be reachable from the network; with --allow-remote a bearer token is required)")

// ErrBadAddress is returned for a --listen value that is not HOST:PORT.
var ErrBadAddress = errors.New("want HOST:PORT, e.g. 127.0.0.1:8377")

// Listening is a listener with the token requests must carry ("" on
// loopback without one).
type Listening struct {
	net.Listener
	Token string
	// Generated is true when the token was made up here (print it once).
	Generated bool
}

// Listen applies the listen policy: a loopback address (127.0.0.0/8, ::1,
// localhost) listens as asked, with token if one is given; any other
// address needs allowRemote and then always a token (token, else one is
// generated).
func Listen(addr string, allowRemote bool, token string) (*Listening, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--listen %q: %w", addr, ErrBadAddress)
	}
	loopback := host == "localhost"
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		loopback = true
	}
	l := &Listening{Token: token}
	if !loopback {
		if !allowRemote {
			return nil, fmt.Errorf("--listen %s: %w", addr, ErrRemoteRefused)
		}
		if l.Token == "" {
			b := make([]byte, 24)
			if _, err := rand.Read(b); err != nil {
				return nil, err
			}
			l.Token, l.Generated = hex.EncodeToString(b), true
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	l.Listener = ln
	return l, nil
}

// Announce writes where the server listens for the person who started it:
// its URL; a token generated here is printed this once, in the URL, with
// how to choose one instead; a token from TokenEnv is only named.
func (l *Listening) Announce(w io.Writer) error {
	u := url.URL{Scheme: "http", Host: l.Addr().String(), Path: "/"}
	var err error
	switch {
	case l.Generated:
		_, err = fmt.Fprintf(w, "pathproof serve: http://%s/?token=%s\nthe token is printed only this once; requests without it get 401 (set %s to choose it)\n", l.Addr(), l.Token, TokenEnv)
	case l.Token != "":
		_, err = fmt.Fprintf(w, "pathproof serve: %s (token from %s)\n", u.String(), TokenEnv)
	default:
		_, err = fmt.Fprintf(w, "pathproof serve: %s\n", u.String())
	}
	return err
}
