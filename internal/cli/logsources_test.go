package cli

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/sas"

	"github.com/pathproof/pathproof/internal/loggen"
	"github.com/pathproof/pathproof/internal/testenv"
)

// uploadTree copies a storage-account layout to the emulator.
func uploadTree(t *testing.T, conn, dir string) *azblob.Client {
	t.Helper()
	cl, err := azblob.NewClientFromConnectionString(conn, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	made := map[string]bool{}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		cont, name, _ := strings.Cut(filepath.ToSlash(rel), "/")
		if !made[cont] {
			if _, err := cl.CreateContainer(ctx, cont, nil); err != nil {
				return err
			}
			made[cont] = true
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = cl.UploadBuffer(ctx, cont, name, data, nil)
		return err
	})
	if err != nil {
		t.Fatal("upload failed")
	}
	return cl
}

func TestLogsFromBlobStorage(t *testing.T) {
	az := testenv.StartAzurite(t)
	dir := t.TempDir()
	start := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	if _, err := loggen.PaaS(loggen.PaaSOptions{Out: dir, Seed: 11, Start: start, Hours: 2, KeyVault: 30, Storage: 10}); err != nil {
		t.Fatal(err)
	}
	if _, err := loggen.Generate(loggen.Options{Out: dir, Seed: 11, Start: start, Hours: 2, NICs: 2, Tuples: 200}); err != nil {
		t.Fatal(err)
	}
	cl := uploadTree(t, az.ConnectionString, dir)
	contSAS, err := cl.ServiceClient().NewContainerClient("insights-logs-auditevent").GetSASURL(
		sas.ContainerPermissions{Read: true, List: true}, time.Now().Add(time.Hour), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, query, _ := strings.Cut(contSAS, "?")
	sig := ""
	for _, kv := range strings.Split(query, "&") {
		if strings.HasPrefix(kv, "sig=") {
			sig = strings.TrimPrefix(kv, "sig=")
		}
	}
	if sig == "" {
		t.Fatal("no sig in the SAS")
	}
	secrets := []string{sig, az.Key, strings.ReplaceAll(sig, "%2B", "+"), strings.ReplaceAll(strings.ReplaceAll(sig, "%2F", "/"), "%3D", "=")}
	leak := func(t *testing.T, out, errOut string) {
		t.Helper()
		for _, s := range secrets {
			if s != "" && (strings.Contains(out, s) || strings.Contains(errOut, s)) {
				t.Fatalf("output holds a secret")
			}
		}
	}
	localKV := filepath.Join(dir, "insights-logs-auditevent")
	code, want, stderr := run("events", "--logs", localKV, "--source", "keyvault", "-o", "json", "--limit", "0")
	if code != 0 || !strings.Contains(want, `"denial_layer": "vault-firewall"`) {
		t.Fatalf("local: exit %d\n%s\n%s", code, stderr, want)
	}

	t.Run("SAS URL", func(t *testing.T) {
		code, out, errOut := run("events", "--logs", az.BlobEndpoint+"/insights-logs-auditevent?"+query, "--source", "keyvault", "-o", "json", "--limit", "0")
		leak(t, out, errOut)
		if code != 0 || out != want {
			t.Fatalf("exit %d, same output %v\n%s", code, out == want, errOut)
		}
	})
	t.Run("azblob:// with a connection string", func(t *testing.T) {
		t.Setenv(connStringEnv, az.ConnectionString)
		code, out, errOut := run("events", "--logs", "azblob://", "--source", "keyvault", "-o", "json", "--limit", "0")
		leak(t, out, errOut)
		if code != 0 || out != want {
			t.Fatalf("exit %d, same output %v\n%s", code, out == want, errOut)
		}
		// The folder and the blobs together: nothing doubles.
		code, out, errOut = run("events", "--logs", "azblob://insights-logs-auditevent", "--logs", localKV, "--source", "keyvault", "-o", "json", "--limit", "0")
		if code != 0 || out != want {
			t.Fatalf("folder + blobs: exit %d, same output %v\n%s", code, out == want, errOut)
		}
	})
	t.Run("separates denial layers", func(t *testing.T) {
		t.Setenv(connStringEnv, az.ConnectionString)
		for _, layer := range []string{"vault-firewall", "rbac", "access-policy"} {
			code, out, errOut := run("events", "--logs", "azblob://insights-logs-auditevent", "--source", "keyvault", "--verdict", "deny", "--reason", layer)
			leak(t, out, errOut)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if code != 0 || len(lines) < 2 {
				t.Fatalf("--reason %s: exit %d\n%s%s", layer, code, out, errOut)
			}
			for _, l := range lines[1:] {
				if !strings.Contains(l, "deny 403") || !strings.Contains(l, layer) {
					t.Errorf("--reason %s row: %s", layer, l)
				}
			}
		}
	})
	t.Run("usage errors with mistyped locations", func(t *testing.T) {
		checkUsageHidesSecrets(t)
	})
	t.Run("follow: stdout, stderr, checkpoint and errors", func(t *testing.T) {
		checkFollowHidesSecrets(t, az.BlobEndpoint+"/insights-logs-auditevent?"+query, want, leak)
	})
	t.Run("wrong SAS and bad key are reported without secrets", func(t *testing.T) {
		code, out, errOut := run("events", "--logs", az.BlobEndpoint+"/insights-logs-auditevent?sv=2020-02-10&sp=rl&sig=NotTheRightSig", "--source", "keyvault")
		if code != ExitPartial || strings.Contains(out+errOut, "NotTheRightSig") {
			t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
		}
		badKey := strings.Replace(az.ConnectionString, az.Key, "AAAA"+az.Key[4:], 1)
		t.Setenv(connStringEnv, badKey)
		code, out, errOut = run("events", "--logs", "azblob://insights-logs-auditevent")
		if code != ExitPartial || strings.Contains(out+errOut, az.Key[4:]) {
			t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
		}
	})
}

// TestUsageErrorsHideSecrets: locations that are not recognised as blob
// URLs (or not valid ones) were echoed verbatim in usage errors, SAS token
// and password included (issue #18).
func TestUsageErrorsHideSecrets(t *testing.T) { checkUsageHidesSecrets(t) }

func checkUsageHidesSecrets(t *testing.T) {
	t.Helper()
	const secret = "SeCrEtVaLuE"
	for _, args := range [][]string{
		{"events", "--logs", "abfss://c@acct.dfs.core.windows.net/x?sv=1&sig=" + secret},
		{"events", "--logs", "wasbs://c@acct.blob.core.windows.net/x?sv=1&token=" + secret},
		{"events", "--logs", "ftp://acct/x?sv=1&sig=" + secret},
		{"events", "--logs", "https:/acct.blob.core.windows.net/c?sv=1&skt=" + secret},
		{"events", "--logs", " https://acct.blob.core.windows.net/c?sv=1&sig=" + secret},
		{"events", "--logs", "https://acct.blob.core.windows.net/container;sig=" + secret},
		{"events", "--logs", "http://user:" + secret + "@127.0.0.1:1/acct/c"},
		{"events", "--logs", "x?sv=2020&st=" + secret},
		{"events", "--db", "x?sig=" + secret},
		{"events", "--db=x?st=" + secret},
		{"pcap", "capture.pcap?st=" + secret},
		{"routes", "--topology", "abfss://c@acct/x?st=" + secret, "--nic", "n"},
		{"events", "--adx", "https://user:" + secret + "@c.westeurope.kusto.windows.net/db"},
		{"events", "--adx", "https://c.westeurope.kusto.windows.net/db?sig=" + secret},
		{"flows", "--workspace", "ws?sig=" + secret},
		{"explain", "--from", "10.0.0.4", "--to", "10.0.0.5:443", "--workspace", "ws?sig=" + secret},
	} {
		code, out, errOut := run(args...)
		if strings.Contains(out+errOut, secret) {
			t.Errorf("%q: output holds the secret:\n%s%s", args, out, errOut)
		}
		if code == ExitOK || !strings.Contains(errOut, "REDACTED") {
			t.Errorf("%q: exit %d, want an error naming the location with its secret redacted:\n%s", args, code, errOut)
		}
	}
}

func TestBlobSourceUsage(t *testing.T) {
	t.Setenv(connStringEnv, "")
	for _, args := range [][]string{
		{"events", "--logs", "azblob://insights-logs-auditevent"},
		{"events", "--logs", "azblob://Not_A_Container"},
		{"events", "--logs", "http://127.0.0.1:1/"},
	} {
		if code, _, errOut := run(args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want 2\n%s", args, code, errOut)
		}
	}
}

// TestProbeRefusesZero: --timeout 0s, -c 0 and --interval 0s silently
// became the defaults (issue #18); they are usage errors.
func TestProbeRefusesZero(t *testing.T) {
	for _, args := range [][]string{
		{"probe", "http://127.0.0.1:1", "--timeout", "0s"},
		{"probe", "http://127.0.0.1:1", "--timeout=0"},
		{"probe", "http://127.0.0.1:1", "-c", "0"},
		{"probe", "http://127.0.0.1:1", "--interval", "0s"},
	} {
		code, _, errOut := run(args...)
		if code != ExitUsage || !strings.Contains(errOut, "must be more than zero") {
			t.Errorf("%q: exit %d, want 2 and a message\n%s", args, code, errOut)
		}
	}
}

// TestWarningsHideSecrets: the skip summary on stderr names each file
// read; a location given with a SAS-like query was printed verbatim there,
// since only errors went through the redactor (issue #18). All of stderr
// now does.
func TestWarningsHideSecrets(t *testing.T) {
	const secret = "SeCrEtVaLuE"
	dir := filepath.Join(t.TempDir(), "logs?sig="+secret)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.json"), []byte("{not json\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run("events", "--logs", dir)
	if code != ExitPartial {
		t.Fatalf("exit %d, want 4 (a record skipped)\n%s%s", code, out, errOut)
	}
	if strings.Contains(out+errOut, secret) {
		t.Errorf("output holds the secret:\n%s%s", out, errOut)
	}
	if !strings.Contains(errOut, "bad.json") || !strings.Contains(errOut, "REDACTED") {
		t.Errorf("stderr should name the skipped file with its location redacted:\n%s", errOut)
	}
}
