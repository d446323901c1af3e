package web

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
)

// TestListenPolicy: loopback listens without a token; any other address
// is refused without allowRemote, and with it always gets a token (the one
// given, else a generated one).
func TestListenPolicy(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "[::1]:0", "localhost:0"} {
		l, err := Listen(addr, false, "")
		if err != nil {
			if strings.Contains(addr, "::1") {
				continue // no IPv6 loopback on this machine
			}
			t.Fatalf("%s: %v", addr, err)
		}
		if l.Token != "" {
			t.Errorf("%s: token %q, want none", addr, l.Token)
		}
		l.Close()
	}
	for _, addr := range []string{"0.0.0.0:0", "[::]:0", "192.0.2.1:8377", ":0"} {
		if l, err := Listen(addr, false, ""); !errors.Is(err, ErrRemoteRefused) {
			if l != nil {
				l.Close()
			}
			t.Errorf("%s without allowRemote: %v, want a refusal", addr, err)
		}
	}
	l, err := Listen("0.0.0.0:0", true, "")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if !l.Generated || len(l.Token) < 32 {
		t.Errorf("remote without a token: token %q generated %v", l.Token, l.Generated)
	}
	l2, err := Listen("0.0.0.0:0", true, "given")
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if l2.Token != "given" || l2.Generated {
		t.Errorf("remote with a token: %q %v", l2.Token, l2.Generated)
	}
}

func get(t *testing.T, c *http.Client, url string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestTokenAndHeaders: with a token, a request without it is 401 and with
// it (header, or the cookie a ?token= visit sets) is served; every response
// carries the security headers; a path outside the app is 404.
func TestTokenAndHeaders(t *testing.T) {
	base, _ := storyServer(t, story(t, "nsg-deny-at-server"), Options{Token: "s3cret-token"})
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range []string{"/explain", "/evidence", "/static/app.js", "/record?origin=x%231", "/capture"} {
		resp, body := get(t, c, base+p)
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "token") {
			t.Errorf("%s without the token: %d %q, want 401", p, resp.StatusCode, body)
		}
		if resp, _ := get(t, c, base+p, "Authorization", "Bearer wrong"); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s with a wrong token: %d, want 401", p, resp.StatusCode)
		}
	}
	resp, body := get(t, c, base+"/explain", "Authorization", "Bearer s3cret-token")
	if resp.StatusCode != 200 || !strings.Contains(body, "Explain a flow") {
		t.Fatalf("with the token: %d", resp.StatusCode)
	}
	for k, want := range map[string]string{"Content-Security-Policy": "script-src 'self'", "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff"} {
		if !strings.Contains(resp.Header.Get(k), want) {
			t.Errorf("header %s = %q, want %q", k, resp.Header.Get(k), want)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
		t.Errorf("CSP %q", csp)
	}
	resp, _ = get(t, c, base+"/evidence?token=s3cret-token&verdict=deny")
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == tokenCookie {
			cookie = ck
		}
	}
	if resp.StatusCode != http.StatusSeeOther || cookie == nil || !cookie.HttpOnly || strings.Contains(resp.Header.Get("Location"), "token") {
		t.Fatalf("?token=: %d cookie %+v location %q", resp.StatusCode, cookie, resp.Header.Get("Location"))
	}
	resp, _ = get(t, c, base+resp.Header.Get("Location"), "Cookie", tokenCookie+"="+cookie.Value)
	if resp.StatusCode != 200 {
		t.Errorf("with the cookie: %d", resp.StatusCode)
	}
	follow := &http.Client{} // a non-canonical path is redirected to its clean form first
	for _, p := range []string{"/etc/passwd", "/static/../web.go", "/static/%2e%2e/web.go", "/static/templates/layout.html", "/explainx", "/api/v1/events", "/.git/config"} {
		if resp, _ := get(t, follow, base+p, "Authorization", "Bearer s3cret-token"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, resp.StatusCode)
		}
	}
	if resp, _ := get(t, c, base+"/static/app.js", "Authorization", "Bearer s3cret-token"); resp.StatusCode != 200 {
		t.Errorf("app.js: %d", resp.StatusCode)
	}
}

// upload posts data as the capture form does.
func upload(t *testing.T, base, name string, data io.Reader) (*http.Response, string) {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		fw, err := mw.CreateFormFile("pcap", name)
		if err == nil {
			_, err = io.Copy(fw, data)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest("POST", base+"/capture", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// zeros is an endless reader of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestUploads: a capture over the limit and bytes that are no capture are
// refused with a message saying so; a good capture is analysed; the server
// keeps serving after each.
func TestUploads(t *testing.T) {
	base, d := storyServer(t, story(t, "nsg-deny-at-server"), Options{MaxUpload: 1 << 20})
	// A capture that keeps coming (no length announced): refused when it
	// passes the limit.
	resp, body := upload(t, base, "huge.pcap", io.LimitReader(endlessPcap(), 8<<20))
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "larger than this server accepts (1 MiB") {
		t.Errorf("huge streamed upload: %d %s", resp.StatusCode, excerpt(body))
	}
	// A form whose announced length is over the limit: refused unread.
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("pcap", "huge.pcap")
	io.Copy(fw, io.LimitReader(zeros{}, 4<<20))
	mw.Close()
	req0, _ := http.NewRequest("POST", base+"/capture", bytes.NewReader(form.Bytes()))
	req0.Header.Set("Content-Type", mw.FormDataContentType())
	if r, err := http.DefaultClient.Do(req0); err != nil || r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("huge announced upload: %v %v", err, r.StatusCode)
	}
	resp, body = upload(t, base, "junk.pcap", strings.NewReader("this is not a capture at all"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "not a capture pathproof can read") {
		t.Errorf("junk upload: %d %s", resp.StatusCode, excerpt(body))
	}
	resp, body = upload(t, base, "empty.pcap", bytes.NewReader(nil))
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("empty upload: %d %s", resp.StatusCode, excerpt(body))
	}
	req, _ := http.NewRequest("POST", base+"/capture", strings.NewReader("--x\r\nnot multipart"))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=zz")
	if r, err := http.DefaultClient.Do(req); err != nil || r.StatusCode != http.StatusBadRequest {
		t.Errorf("malformed form: %v %v", err, r.StatusCode)
	}
	f, err := os.Open(d.Captures[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	resp, body = upload(t, base, "app-vm.pcap", f)
	if resp.StatusCode != 200 || !strings.Contains(body, "app-vm.pcap (uploaded)") || !strings.Contains(body, `id="connections"`) {
		t.Errorf("good upload: %d %s", resp.StatusCode, excerpt(body))
	}
	if resp, _ := get(t, http.DefaultClient, base+"/explain"); resp.StatusCode != 200 {
		t.Errorf("after the uploads: %d", resp.StatusCode)
	}
}

func excerpt(s string) string {
	if i := strings.Index(s, `class="error"`); i >= 0 {
		s = s[i:]
	}
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}

// endlessPcap is a valid pcap stream of 1000-byte Ethernet/IPv4/UDP frames
// that never ends.
func endlessPcap() io.Reader {
	head := []byte{0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0}
	frame := make([]byte, 1000)
	copy(frame, []byte{0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00, // Ethernet, IPv4
		0x45, 0, 0x03, 0xda, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, // IPv4 header, total length 986, UDP
		0x30, 0x39, 0x00, 0x35, 0x03, 0xc6, 0, 0}) // UDP 12345 → 53, length 966
	rec := append([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0xe8, 0x03, 0, 0, 0xe8, 0x03, 0, 0}, frame...)
	return io.MultiReader(bytes.NewReader(head), &repeat{b: rec})
}

type repeat struct {
	b   []byte
	off int
}

func (r *repeat) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.b[r.off:])
		n += c
		r.off = (r.off + c) % len(r.b)
	}
	return n, nil
}

// TestAnnounce: the URL printed for each kind of token: a generated one
// in the URL with how to choose one, one from the environment only named,
// none on plain loopback.
func TestAnnounce(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	for _, c := range []struct {
		l    Listening
		want string
	}{
		{Listening{Listener: ln, Token: "c0ffee", Generated: true}, "pathproof serve: http://" + addr + "/?token=c0ffee\nthe token is printed only this once; requests without it get 401 (set " + TokenEnv + " to choose it)\n"},
		{Listening{Listener: ln, Token: "s3cret"}, "pathproof serve: http://" + addr + "/ (token from " + TokenEnv + ")\n"},
		{Listening{Listener: ln}, "pathproof serve: http://" + addr + "/\n"},
	} {
		var b strings.Builder
		if err := c.l.Announce(&b); err != nil || b.String() != c.want {
			t.Errorf("Announce = %q, %v; want %q", b.String(), err, c.want)
		}
	}
}
