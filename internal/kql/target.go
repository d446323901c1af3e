package kql

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/pathproof/pathproof/internal/redact"
)

// Target is where a query runs: a Log Analytics workspace or an Azure Data
// Explorer database.
type Target struct {
	// Workspace is the Log Analytics workspace id (a GUID, the "Workspace
	// ID" of the portal's overview, not the ARM id).
	Workspace string
	// Cluster and Database name an Azure Data Explorer database: the
	// cluster URL without a path, and the database.
	Cluster, Database string
}

var guid = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// ParseWorkspace checks a --workspace value: the workspace id.
func ParseWorkspace(s string) (Target, error) {
	s = strings.TrimSpace(s)
	if !guid.MatchString(s) {
		return Target{}, fmt.Errorf("%s: want the workspace id, a GUID such as 63613592-b6f7-4c3d-a390-22ba13102111 (the Workspace ID on the workspace's overview page)", redact.String(s))
	}
	return Target{Workspace: strings.ToLower(s)}, nil
}

// ParseADX checks an --adx value: https://CLUSTER.REGION.kusto.windows.net/DATABASE.
func ParseADX(s string) (Target, error) {
	bad := func(why string) (Target, error) {
		return Target{}, fmt.Errorf("%s: %s (want https://CLUSTER.REGION.kusto.windows.net/DATABASE)", redact.String(s), why)
	}
	u, err := url.Parse(strings.TrimSpace(s))
	switch {
	case err != nil:
		return bad("not a URL")
	case u.Scheme != "https":
		return bad("not an https URL (a token is only ever sent over TLS)")
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return bad("a cluster URL has no user, query or fragment")
	case u.Host == "":
		return bad("no cluster host")
	}
	db := strings.Trim(u.Path, "/")
	if db == "" || strings.Contains(db, "/") {
		return bad("the path must be the database name")
	}
	return Target{Cluster: "https://" + u.Host, Database: db}, nil
}

// IsADX reports whether t is an Azure Data Explorer database.
func (t Target) IsADX() bool { return t.Cluster != "" }

// String names the target for messages: the workspace id, or the
// database URL.
func (t Target) String() string {
	if t.IsADX() {
		return t.Cluster + "/" + t.Database
	}
	return t.Workspace
}

// Key is the origin key prefix of the rows of table read from t:
// "loganalytics://WORKSPACE/TABLE" or "adx://HOST/DATABASE/TABLE"; Fetch
// appends the query's id. Events cite it with the row's index among the
// rows of that table the query returned, oldest first.
func (t Target) Key(table string) string {
	if t.IsADX() {
		return "adx://" + strings.TrimPrefix(t.Cluster, "https://") + "/" + t.Database + "/" + table
	}
	return "loganalytics://" + t.Workspace + "/" + table
}

// Flag is the command-line flag that names t.
func (t Target) Flag() string {
	if t.IsADX() {
		return "--adx " + t.String()
	}
	return "--workspace " + t.String()
}
