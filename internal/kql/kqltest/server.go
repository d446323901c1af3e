// Package kqltest is a loopback Log Analytics and Azure Data Explorer for
// tests of push-down (internal/kql, and the commands that use it): a TLS
// server on 127.0.0.1 that records every request (path, Authorization
// header, query text) and answers as a test scripts it, and a credential
// whose token tests look for in every output stream.
package kqltest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// Token is Credential's access token: it must reach the server in the
// Authorization header and never an error or output.
const Token = "eyFAKE.TOKEN.ab12cd34ef56"

// Credential is an azcore.TokenCredential that hands out Token.
type Credential struct{}

// GetToken returns Token, valid for an hour.
func (Credential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: Token, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// Request is what the server saw of one query request.
type Request struct {
	Path, Auth string
	Body       []byte
	// Query is the query text: Log Analytics' "query", ADX's "csl".
	Query string
}

// Reply is one scripted answer.
type Reply struct {
	Status int
	Header map[string]string
	Body   []byte
}

// Server is the loopback service.
type Server struct {
	*httptest.Server
	mu     sync.Mutex
	seen   []Request
	answer func(Request) Reply
}

// New starts a server answering each query request with answer, closed
// when the test ends. ADX's metadata request (GET /v1/rest/auth/metadata)
// gets 404: the default cloud.
func New(t testing.TB, answer func(Request) Reply) *Server {
	t.Helper()
	s := &Server{answer: answer}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Script answers with replies in order, the last one repeating.
func Script(replies ...Reply) func(Request) Reply {
	var mu sync.Mutex
	n := 0
	return func(Request) Reply {
		mu.Lock()
		defer mu.Unlock()
		n++
		return replies[min(n, len(replies))-1]
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/v1/rest/auth/metadata") {
		w.WriteHeader(http.StatusNotFound) // no body: the default cloud
		return
	}
	body, _ := io.ReadAll(r.Body)
	var q struct{ Query, CSL string }
	_ = json.Unmarshal(body, &q)
	req := Request{Path: r.URL.Path, Auth: r.Header.Get("Authorization"), Body: body, Query: q.Query + q.CSL}
	s.mu.Lock()
	s.seen = append(s.seen, req)
	s.mu.Unlock()
	rp := s.answer(req)
	for k, v := range rp.Header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rp.Status)
	w.Write(rp.Body)
}

// Requests returns the query requests seen so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.seen...)
}
