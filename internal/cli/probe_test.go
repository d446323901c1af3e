package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/probe/lab"
)

// TestProbeCommand runs `pathproof probe` against the lab servers and
// checks exit codes and the JSON envelope.
func TestProbeCommand(t *testing.T) {
	l, err := lab.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	hp := func(p int) string { return "127.0.0.1:" + strconv.Itoa(p) }
	cases := []struct {
		args  []string
		code  int
		class string
	}{
		{[]string{"probe", hp(l.OpenPort), "-o", "json"}, ExitOK, ""},
		{[]string{"probe", hp(l.ResetPort), "-o", "json"}, ExitFailed, "tcp.refused"},
		{[]string{"probe", "http://" + hp(l.HTTP503Port) + "/", "-o", "json"}, ExitFailed, "http.status"},
		{[]string{"probe", hp(l.LeafOnlyPort), "--protocol", "https", "--ca", l.CAFile, "-o", "json"}, ExitFailed, "tls.incomplete-chain"},
		{[]string{"probe", lab.PrivateLinkName, "--protocol", "dns", "--resolver", l.Resolver, "-o", "json"}, ExitFailed, "dns.private-link-public-answer"},
		{[]string{"probe", "nope.invalid", "--port", "80", "--resolver", l.Resolver, "-o", "json"}, ExitFailed, "dns.nxdomain"},
	}
	for _, c := range cases {
		code, out, errs := run(c.args...)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d (stderr %q)", c.args, code, c.code, errs)
			continue
		}
		var env map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &env); err != nil {
			t.Errorf("%v: not JSON: %v", c.args, err)
			continue
		}
		for _, k := range []string{"schema_version", "target", "verdict", "addresses", "timings"} {
			if _, ok := env[k]; !ok {
				t.Errorf("%v: envelope lacks %q", c.args, k)
			}
		}
		var f struct {
			Failure *struct{ Class, Message, Evidence, Hint string } `json:"failure"`
		}
		_ = json.Unmarshal([]byte(out), &f)
		got := ""
		if f.Failure != nil {
			got = f.Failure.Class
			if f.Failure.Hint == "" || f.Failure.Message == "" {
				t.Errorf("%v: failure without message or hint", c.args)
			}
		}
		if got != c.class {
			t.Errorf("%v: class %q, want %q", c.args, got, c.class)
		}
	}
	// Human output names the class and prints the chain even though it
	// does not verify.
	code, out, _ := run("probe", hp(l.LeafOnlyPort), "--protocol", "tls", "--ca", l.CAFile)
	if code != ExitFailed || !strings.Contains(out, "tls.incomplete-chain") || !strings.Contains(out, "CN=pathproof demo intermediate") || !strings.Contains(out, "NOT VERIFIED") {
		t.Errorf("human TLS report:\n%s", out)
	}
}

func TestProbeUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string // in the error: the flag at fault and why
	}{
		{[]string{"probe"}, ""},
		{[]string{"probe", "example.com"}, "--port: protocol tcp needs a port"},
		{[]string{"probe", "example.com", "--port", "80", "--sni", "x"}, "--sni: needs protocol tls or https"},
		{[]string{"probe", "example.com", "--port", "80", "-o", "yaml"}, ""},
		{[]string{"probe", "example.com", "--port", "80", "-4", "-6"}, ""},
		{[]string{"probe", "https://example.com", "--ca", "/nonexistent.pem"}, "--ca: open /nonexistent.pem"},
		{[]string{"probe", "example.com", "--protocol", "icmp", "--port", "1"}, "--port: protocol icmp takes no port"},
		{[]string{"probe", "example.com", "--port", "99999", "--resolver", "x"}, `--port: 99999 is outside 1-65535; --resolver: "x" is not IP or IP:PORT`},
		{[]string{"probe", "example.com", "--bogus"}, ""},
	} {
		code, _, errs := run(c.args...)
		if code != ExitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, want 2 naming %q (%s)", c.args, code, c.want, errs)
		}
	}
}

// TestProbePartial: of two addresses one answers, the other refuses:
// the verdict is partial and the exit status 4.
func TestProbePartial(t *testing.T) {
	l, err := lab.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	code, out, _ := run("probe", lab.MultiName, "--port", strconv.Itoa(l.OpenPort), "--resolver", l.Resolver, "--address-mode", "each", "-o", "json")
	if code != ExitPartial || !strings.Contains(out, `"verdict": "partial"`) {
		t.Fatalf("exit %d\n%s", code, out)
	}
}

func TestMonitorCommand(t *testing.T) {
	l, err := lab.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "m.yaml")
	write := func(s string) {
		if err := os.WriteFile(cfg, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("test_groups:\n  - name: g\n    destinations: [{address: 127.0.0.1}]\n    test_configurations: [{name: open, protocol: tcp, port: " + strconv.Itoa(l.OpenPort) + ", frequency: 30s, checks: 1}]\n")
	code, out, errs := run("monitor", "--config", cfg, "--once", "--results-dir", filepath.Join(dir, "r"), "-o", "json")
	if code != ExitOK || !strings.Contains(out, `"state":"Pass"`) {
		t.Errorf("pass: exit %d\n%s\n%s", code, out, errs)
	}
	write("test_groups:\n  - name: g\n    destinations: [{address: 127.0.0.1}]\n    test_configurations: [{name: rst, protocol: tcp, port: " + strconv.Itoa(l.ResetPort) + ", frequency: 30s, checks: 1}]\n")
	if code, out, _ := run("monitor", "--config", cfg, "--once", "--results-dir", filepath.Join(dir, "r")); code != ExitFailed || !strings.Contains(out, "Fail") || !strings.Contains(out, "tcp.refused") {
		t.Errorf("fail: exit %d\n%s", code, out)
	}
	write("test_groups:\n  - name: g\n    destinatons: []\n    test_configurations: [{name: x, protocol: tcp, frequency: 1s}]\n")
	code, _, errs = run("monitor", "--config", cfg, "--once")
	if code != ExitUsage || !strings.Contains(errs, "m.yaml:3: unknown key") || !strings.Contains(errs, "m.yaml:4: frequency 1s") {
		t.Errorf("invalid config: exit %d\n%s", code, errs)
	}
	if code, _, _ := run("monitor"); code != ExitUsage {
		t.Errorf("no --config: exit %d", code)
	}
}
