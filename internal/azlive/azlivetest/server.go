// Package azlivetest is a loopback stand-in for Azure Resource Manager for
// the tests of azlive and its commands: a TLS server that replays the
// responses a test gives it (Resource Graph pages chained by skip token,
// ARM lists, long-running POSTs answered 202 then polled), checks every
// request's bearer token and records every request, so a test can assert
// that only reads were sent.
package azlivetest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/pathproof/pathproof/internal/azlive"
)

// Token is the bearer token the fake credential hands out; tests check
// it never appears in any output.
const Token = "eyFAKE.pathproof-test-token.SECRET0123456789"

// Request is one request the server received.
type Request struct {
	Method string
	Path   string
	Query  string
	Body   string
}

// Server is the stand-in. Configure it before the code under test runs.
type Server struct {
	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	requests []Request
	graph    map[string][][]byte // subscription -> pages
	denied   map[string]int      // subscription -> status
	gets     map[string][]byte   // lower-cased path -> body
	lros     map[string]*lro     // lower-cased POST path -> operation
}

type lro struct {
	body  []byte
	polls int // 202 answers to GETs before the 200
	seen  int
}

// New starts a server on loopback, closed at cleanup.
func New(t testing.TB) *Server {
	s := &Server{t: t, graph: map[string][][]byte{}, denied: map[string]int{}, gets: map[string][]byte{}, lros: map[string]*lro{}}
	s.srv = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// Options point azlive at the server with the fake credential.
func (s *Server) Options() azlive.Options {
	return azlive.Options{Credential: credential{}, Endpoint: s.srv.URL, HTTPClient: s.srv.Client(), PollFrequency: 10 * time.Millisecond}
}

// Graph serves pages as the Resource Graph answers for subscription sub:
// the first to a query without a skip token, page i+1 to the skip token
// page i carries (each page's "$skipToken").
func (s *Server) Graph(sub string, pages ...[]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.graph[strings.ToLower(sub)] = pages
}

// Deny answers every Resource Graph query for sub with status (403, 401).
func (s *Server) Deny(sub string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.denied[strings.ToLower(sub)] = status
}

// Get serves body to GETs of path (query ignored).
func (s *Server) Get(path string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gets[strings.ToLower(path)] = body
}

// LRO answers a POST to path with 202 and a Location, then polls GETs of
// that location with 202 before answering 200 with body.
func (s *Server) LRO(path string, body []byte, polls int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lros[strings.ToLower(path)] = &lro{body: body, polls: polls}
}

// Requests returns what the server received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Polls is how many times the location of the LRO at path was polled.
func (s *Server) Polls(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.lros[strings.ToLower(path)]; o != nil {
		return o.seen
	}
	return 0
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: string(body)})
	if r.Header.Get("Authorization") != "Bearer "+Token {
		armError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "The access token is missing or invalid.")
		return
	}
	if r.URL.Query().Get("api-version") == "" {
		armError(w, http.StatusBadRequest, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.")
		return
	}
	path := strings.ToLower(r.URL.Path)
	switch {
	case r.Method == http.MethodPost && path == "/providers/microsoft.resourcegraph/resources":
		s.serveGraph(w, body)
	case r.Method == http.MethodPost && s.lros[path] != nil:
		w.Header().Set("Location", s.srv.URL+r.URL.Path+"/operationResults/op1?api-version=2025-09-01")
		w.Header().Set("Retry-After-Ms", "5")
		w.WriteHeader(http.StatusAccepted)
	case r.Method == http.MethodGet && strings.HasSuffix(path, "/operationresults/op1") && s.lros[strings.TrimSuffix(path, "/operationresults/op1")] != nil:
		o := s.lros[strings.TrimSuffix(path, "/operationresults/op1")]
		o.seen++
		if o.seen <= o.polls {
			w.Header().Set("Location", s.srv.URL+r.URL.Path+"?api-version=2025-09-01")
			w.Header().Set("Retry-After-Ms", "5")
			w.WriteHeader(http.StatusAccepted)
			return
		}
		writeJSON(w, o.body)
	case r.Method == http.MethodGet && s.gets[path] != nil:
		writeJSON(w, s.gets[path])
	default:
		armError(w, http.StatusNotFound, "ResourceNotFound", fmt.Sprintf("The resource at %s was not found.", r.URL.Path))
	}
}

func (s *Server) serveGraph(w http.ResponseWriter, body []byte) {
	var q struct {
		Subscriptions []string `json:"subscriptions"`
		Query         string   `json:"query"`
		Options       struct {
			SkipToken    string `json:"$skipToken"`
			ResultFormat string `json:"resultFormat"`
		} `json:"options"`
	}
	if err := json.Unmarshal(body, &q); err != nil || len(q.Subscriptions) != 1 || q.Query == "" {
		armError(w, http.StatusBadRequest, "BadRequest", "a query for one subscription was expected")
		return
	}
	sub := strings.ToLower(q.Subscriptions[0])
	if st := s.denied[sub]; st != 0 {
		armError(w, st, "AuthorizationFailed", fmt.Sprintf("The client 'tester@example.com' with object id '11111111-1111-1111-1111-111111111111' does not have authorization to perform action 'Microsoft.ResourceGraph/resources/read' over scope '/subscriptions/%s'.", sub))
		return
	}
	pages, ok := s.graph[sub]
	if !ok {
		armError(w, http.StatusBadRequest, "BadRequest", "unknown subscription "+sub)
		return
	}
	i := 0
	if q.Options.SkipToken != "" {
		i = -1
		for j, p := range pages {
			if skipToken(p) == q.Options.SkipToken {
				i = j + 1
			}
		}
		if i < 0 || i >= len(pages) {
			armError(w, http.StatusBadRequest, "BadRequest", "skip token not issued by this server")
			return
		}
	}
	writeJSON(w, pages[i])
}

func skipToken(page []byte) string {
	var p struct {
		SkipToken string `json:"$skipToken"`
	}
	_ = json.Unmarshal(page, &p)
	return p.SkipToken
}

func writeJSON(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func armError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("x-ms-failure-cause", "gateway")
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"code": code, "message": msg}})
	_, _ = w.Write(b)
}

// credential is the fake azcore.TokenCredential: Token, valid for an hour.
type credential struct{}

func (credential) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if len(o.Scopes) != 1 || o.Scopes[0] != "https://management.azure.com/.default" {
		return azcore.AccessToken{}, fmt.Errorf("unexpected token scopes %v", o.Scopes)
	}
	return azcore.AccessToken{Token: Token, ExpiresOn: time.Now().Add(time.Hour)}, nil
}
