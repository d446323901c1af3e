package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/azlive/azlivetest"
	"github.com/pathproof/pathproof/internal/testenv"
)

const (
	liveSub   = azlivetest.HubSubscription
	deniedSub = "11111111-2222-3333-4444-555555555555"
)

// liveServer is a loopback Azure serving the hub fixture for liveSub and
// 403 for deniedSub.
func liveServer(t *testing.T) *azlivetest.Server {
	t.Helper()
	example, err := os.ReadFile(testenv.Shared(t, "arm/resource-graph/ResourcesFirstPageQuery.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := azlivetest.New(t)
	s.ServeHub(t, liveSub, azlivetest.Envelope(t, example), 5)
	s.Deny(deniedSub, 403)
	return s
}

// runLive runs one command line against the server.
func runLive(s *azlivetest.Server, args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = execute(context.Background(), &Env{Stdin: strings.NewReader(""), Stdout: &o, Stderr: &e, Azure: s.Options()}, args)
	return code, o.String(), e.String()
}

// TestLiveTopologyExitCodes: a live scope loads like a file; a second
// scope answering 403 is a warning naming it, and exit 4 after the
// answer; no scope readable is exit 1; a malformed scope exit 2. The
// token never shows.
func TestLiveTopologyExitCodes(t *testing.T) {
	s := liveServer(t)
	cases := []struct {
		name     string
		args     []string
		code     int
		stdout   string
		stderr   string
		noStderr string
	}{
		{"one scope", []string{"routes", "-t", "azure://" + liveSub, "--nic", "web-nic"}, ExitOK, "0.0.0.0/0", "", "not read"},
		{"one denied", []string{"routes", "-t", "azure://" + liveSub, "-t", "azure://" + deniedSub + "/rg-app", "--nic", "web-nic"}, ExitPartial, "0.0.0.0/0",
			"warning [live.scope-unreadable]: azure://" + deniedSub + "/rg-app not read: HTTP 403 AuthorizationFailed", ""},
		{"all denied", []string{"rules", "-t", "azure://" + deniedSub, "--nic", "web-nic"}, ExitFailed, "", "[live.scope-unreadable] no azure:// scope could be read", ""},
		{"bad scope", []string{"routes", "-t", "azure://not-a-guid", "--nic", "web-nic"}, ExitUsage, "", "must be a subscription id", ""},
		{"next hop", []string{"next-hop", "-t", "azure://" + liveSub, "--from", "10.4.1.4", "--to", "10.5.1.4"}, ExitOK, "VirtualAppliance", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runLive(s, c.args...)
			if code != c.code || !strings.Contains(out, c.stdout) || !strings.Contains(errOut, c.stderr) || (c.noStderr != "" && strings.Contains(errOut, c.noStderr)) {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, out, errOut)
			}
			if strings.Contains(out+errOut, azlivetest.Token) || strings.Contains(out+errOut, "Bearer") {
				t.Error("the token shows")
			}
		})
	}
}

// TestTopologyExportReplays exports a live read (one scope refused: exit
// 4, the scope in the manifest) and requires the folder to answer
// offline exactly as the live read did; the folder and the output hold
// no token; a second export into the same folder is refused.
func TestTopologyExportReplays(t *testing.T) {
	s := liveServer(t)
	dir := filepath.Join(t.TempDir(), "incident")
	code, out, errOut := runLive(s, "topology", "export", "-t", "azure://"+liveSub, "-t", "azure://"+deniedSub, "--out", dir, "-o", "json")
	if code != ExitPartial || !strings.Contains(errOut, "azure://"+deniedSub+" not read: HTTP 403") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	var ans struct {
		Manifest struct {
			Kind   string
			Scopes []struct {
				Scope string
				Pages int `json:"resource_graph_pages"`
				Error string
			}
			Types map[string]int `json:"resources_by_type"`
			Files []string
		}
		Loads map[string]int
	}
	if err := json.Unmarshal([]byte(out), &ans); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	m := ans.Manifest
	if m.Kind != "pathproof-topology-export" || len(m.Scopes) != 2 || m.Scopes[0].Pages < 2 || m.Scopes[1].Error == "" ||
		m.Types["microsoft.network/firewallpolicies/rulecollectiongroups"] != 2 || ans.Loads["nics"] != 3 {
		t.Errorf("manifest %+v loads %v", m, ans.Loads)
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if bytes.Contains(data, []byte(azlivetest.Token)) || bytes.Contains(data, []byte("$skipToken")) {
			t.Errorf("%s holds a token", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"routes", "--nic", "web-nic", "-o", "json"},
		{"rules", "--nic", "api-nic", "-o", "json"},
		{"firewall", "--firewall", "azfw", "--protocol", "TCP", "--src", "10.4.1.4", "--dst", "10.5.1.4:443", "-o", "json"},
	} {
		lc, live, _ := runLive(s, append(args, "-t", "azure://"+liveSub)...)
		oc, off, offErr := runLive(s, append(args, "-t", dir)...)
		if lc != ExitOK || oc != ExitOK || live != off || live == "" {
			t.Errorf("%v: live (exit %d)\n%s\nreplay (exit %d)\n%s%s", args, lc, live, oc, off, offErr)
		}
	}
	if code, _, errOut := runLive(s, "topology", "export", "-t", "azure://"+liveSub, "--out", dir); code != ExitFailed || !strings.Contains(errOut, "is not empty") {
		t.Errorf("export into a full folder: exit %d %s", code, errOut)
	}
	if strings.Contains(out+errOut, azlivetest.Token) {
		t.Error("the token shows")
	}
}

// azureRoutes turns pathproof's routes answer (-o json) into the body
// Azure's effectiveRouteTable operation returns, keeping the routes keep
// accepts and adding extra ones.
func azureRoutes(t *testing.T, answer string, keep func(prefix string) bool, extra ...map[string]any) []byte {
	t.Helper()
	var ans struct {
		Routes []struct {
			Source, State, Prefix string
			NextHopType           string   `json:"next_hop_type"`
			NextHopIPs            []string `json:"next_hop_ips"`
		}
	}
	if err := json.Unmarshal([]byte(answer), &ans); err != nil || len(ans.Routes) == 0 {
		t.Fatalf("%v\n%s", err, answer)
	}
	value := []any{}
	for _, r := range ans.Routes {
		if keep(r.Prefix) {
			value = append(value, map[string]any{"source": r.Source, "state": r.State, "addressPrefix": []string{r.Prefix},
				"nextHopType": r.NextHopType, "nextHopIpAddress": append([]string{}, r.NextHopIPs...), "disableBgpRoutePropagation": false, "hasBgpOverride": false})
		}
	}
	for _, x := range extra {
		value = append(value, x)
	}
	b, err := json.Marshal(map[string]any{"value": value})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCompareEffective fetches a NIC's effective routes and rules from
// the loopback Azure (202, polled twice, then the body) and diffs them:
// Azure's answer written from pathproof's own routes agrees (exit 0); one
// route fewer and one more are two findings (exit 1); the recorded
// effective NSG of another network differs (exit 1). Only reads are sent.
func TestCompareEffective(t *testing.T) {
	s := liveServer(t)
	topo := "azure://" + liveSub
	nicPath := "/subscriptions/" + liveSub + "/resourceGroups/pathproof/providers/Microsoft.Network/networkInterfaces/web-nic"
	_, answer, _ := runLive(s, "routes", "-t", topo, "--nic", "web-nic", "-o", "json")

	s.LRO(nicPath+"/effectiveRouteTable", azureRoutes(t, answer, func(string) bool { return true }), 2)
	code, out, errOut := runLive(s, "routes", "-t", topo, "--compare-effective", "web-nic")
	if code != ExitOK || !strings.Contains(out, "agree, 0 differ") || s.Polls(nicPath+"/effectiveRouteTable") != 3 {
		t.Fatalf("agreeing: exit %d polls %d\n%s%s", code, s.Polls(nicPath+"/effectiveRouteTable"), out, errOut)
	}

	s.LRO(nicPath+"/effectiveRouteTable", azureRoutes(t, answer, func(p string) bool { return p != "10.0.0.0/16" },
		map[string]any{"source": "VirtualNetworkGateway", "state": "Active", "addressPrefix": []string{"192.168.10.0/24"}, "nextHopType": "VirtualNetworkGateway", "nextHopIpAddress": []string{"10.0.255.4"}}), 1)
	code, out, errOut = runLive(s, "routes", "-t", topo, "--compare-effective", "web-nic", "-o", "json")
	var res struct {
		Findings []struct{ Code, What string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s%s", err, out, errOut)
	}
	got := fmt.Sprint(res.Findings)
	if code != ExitFailed || len(res.Findings) != 2 || !strings.Contains(got, "{effective.route-extra Default 10.0.0.0/16}") ||
		!strings.Contains(got, "{effective.route-missing VirtualNetworkGateway 192.168.10.0/24}") {
		t.Errorf("differing: exit %d findings %s\n%s", code, got, errOut)
	}

	s.LRO(nicPath+"/effectiveNetworkSecurityGroups", readSharedFile(t, "arm/recorded/nic-effective-nsg.rest.json"), 1)
	code, out, errOut = runLive(s, "rules", "-t", topo, "--compare-effective", "web-nic")
	if code != ExitFailed || !strings.Contains(out, "effective.nsg-missing") {
		t.Errorf("rules: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := runLive(s, "rules", "-t", topo, "--compare-effective", "api-nic"); code != ExitFailed || !strings.Contains(errOut, "HTTP 404") {
		t.Errorf("no such operation: exit %d %s", code, errOut)
	}
	for _, q := range s.Requests() {
		p := strings.ToLower(q.Path)
		if !(q.Method == "GET" || q.Method == "POST" && (strings.HasSuffix(p, "/resources") || strings.HasSuffix(p, "/effectiveroutetable") || strings.HasSuffix(p, "/effectivenetworksecuritygroups"))) {
			t.Errorf("%s %s is not a read", q.Method, q.Path)
		}
	}
	if strings.Contains(out+errOut, azlivetest.Token) {
		t.Error("the token shows")
	}
}

func readSharedFile(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(testenv.Shared(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
