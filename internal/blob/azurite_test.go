package blob

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/sas"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/loggen"
	"github.com/pathproof/pathproof/internal/logs"
	"github.com/pathproof/pathproof/internal/redact"
	"github.com/pathproof/pathproof/internal/testenv"
)

// genTree writes a storage-account layout with the project's generator:
// VNet flow logs, firewall logs, Key Vault and Storage logs over hours.
func genTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	start := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	if _, err := loggen.Generate(loggen.Options{Out: dir, Seed: 3, Start: start, Hours: 3, NICs: 2, Tuples: 600, Firewall: 60}); err != nil {
		t.Fatal(err)
	}
	if _, err := loggen.PaaS(loggen.PaaSOptions{Out: dir, Seed: 3, Start: start, Hours: 3, KeyVault: 45, Storage: 30}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// upload copies every file under dir to the emulator: the first path
// segment is the container, the rest the blob name.
func upload(t *testing.T, az *testenv.Azurite, dir string) *azblob.Client {
	t.Helper()
	ctx := context.Background()
	cl, err := azblob.NewClientFromConnectionString(az.ConnectionString, nil)
	if err != nil {
		t.Fatal(err)
	}
	made := map[string]bool{}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		cont, name, _ := strings.Cut(filepath.ToSlash(rel), "/")
		if !made[cont] {
			if _, err := cl.CreateContainer(ctx, cont, nil); err != nil {
				return fmt.Errorf("create container %s: %v", cont, redact.String(err.Error()))
			}
			made[cont] = true
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if _, err := cl.UploadBuffer(ctx, cont, name, data, nil); err != nil {
			return fmt.Errorf("upload %s: %v", rel, redact.String(err.Error()))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

// collect reads inputs and returns each event as JSON, sorted, plus the report.
func collect(t *testing.T, ins []logs.Input) ([]string, *logs.Report) {
	t.Helper()
	var out []string
	rep := &logs.Report{}
	err := logs.ReadAll(context.Background(), ins, logs.Options{Workers: 4}, rep, func(evs []event.Event) error {
		for i := range evs {
			b, err := json.Marshal(&evs[i])
			if err != nil {
				return err
			}
			out = append(out, string(b))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out, rep
}

func sameLists(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d events, the local folder gives %d", what, len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%s: event %d differs:\n got %s\nwant %s", what, i, got[i], want[i])
		}
	}
}

func TestAzuriteURLForms(t *testing.T) {
	az := testenv.StartAzurite(t)
	dir := genTree(t)
	cl := upload(t, az, dir)
	ctx := context.Background()

	local, errs := logs.Expand([]string{dir}, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want, rep := collect(t, local)
	if rep.Skipped() != 0 || len(want) < 700 {
		t.Fatalf("local read: %d events, skips %v", len(want), rep.Skips())
	}

	// A read-only, list-only account SAS and a container SAS.
	accSAS, err := cl.ServiceClient().GetSASURL(sas.AccountResourceTypes{Service: true, Container: true, Object: true},
		sas.AccountPermissions{Read: true, List: true}, time.Now().Add(time.Hour), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, accQuery, _ := strings.Cut(accSAS, "?")
	contSAS, err := cl.ServiceClient().NewContainerClient("insights-logs-auditevent").GetSASURL(
		sas.ContainerPermissions{Read: true, List: true}, time.Now().Add(time.Hour), nil)
	if err != nil {
		t.Fatal(err)
	}

	all := func(t *testing.T, srcs []string, opt Options) []logs.Input {
		var ins []logs.Input
		for _, s := range srcs {
			got, err := Expand(ctx, s, opt)
			if err != nil {
				t.Fatalf("Expand(%s): %v", redact.String(s), err)
			}
			ins = append(ins, got...)
		}
		return ins
	}
	var containers []string
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		containers = append(containers, e.Name())
	}
	t.Run("azblob:// with a connection string, every insights-logs container", func(t *testing.T) {
		ins := all(t, []string{"azblob://"}, Options{ConnectionString: az.ConnectionString})
		for _, in := range ins {
			if k := logs.KeyFor(filepath.Join(dir, filepath.FromSlash(in.Key))); k != in.Key {
				t.Fatalf("blob key %s, local key %s", in.Key, k)
			}
		}
		got, rep := collect(t, ins)
		if rep.Skipped() != 0 {
			t.Fatal(rep.Skips())
		}
		sameLists(t, "azblob://", got, want)
	})
	t.Run("path-style URL with an account SAS, per container", func(t *testing.T) {
		var srcs []string
		for _, c := range containers {
			srcs = append(srcs, az.BlobEndpoint+"/"+c+"?"+accQuery)
		}
		got, _ := collect(t, all(t, srcs, Options{}))
		sameLists(t, "SAS URL", got, want)
	})
	t.Run("path-style account URL with SAS and no container", func(t *testing.T) {
		got, _ := collect(t, all(t, []string{az.BlobEndpoint + "/?" + accQuery}, Options{}))
		sameLists(t, "account SAS URL", got, want)
	})
	t.Run("container SAS with a prefix", func(t *testing.T) {
		base, q, _ := strings.Cut(contSAS, "?")
		ins := all(t, []string{base + "/resourceId=/SUBSCRIPTIONS?" + q}, Options{})
		if len(ins) != 3 {
			t.Fatalf("%d blobs, want 3 hourly Key Vault blobs", len(ins))
		}
		for _, in := range ins {
			if strings.Contains(in.Name, "sig=") || strings.Contains(in.Name, "?") {
				t.Errorf("input name leaks the SAS: %s", in.Name)
			}
		}
	})
	t.Run("path-style URL, key from the connection string", func(t *testing.T) {
		var srcs []string
		for _, c := range containers {
			srcs = append(srcs, az.BlobEndpoint+"/"+c)
		}
		got, _ := collect(t, all(t, srcs, Options{ConnectionString: az.ConnectionString}))
		sameLists(t, "shared key", got, want)
	})
	t.Run("time window lists only the hours needed", func(t *testing.T) {
		ins := all(t, []string{"azblob://insights-logs-auditevent"}, Options{ConnectionString: az.ConnectionString, Window: Window{SinceAgo: 30 * time.Minute}})
		// Newest hour 10:00; 30 minutes before it is 09:30: hours 09 and 10.
		if len(ins) != 2 {
			var names []string
			for _, in := range ins {
				names = append(names, in.Key)
			}
			t.Fatalf("%d blobs for a 30-minute window: %v", len(ins), names)
		}
	})
	t.Run("wrong SAS: redacted error", func(t *testing.T) {
		_, err := Expand(ctx, az.BlobEndpoint+"/insights-logs-auditevent?sv=2020-02-10&sp=rl&sig=WrongSecretSig", Options{})
		if err == nil {
			t.Fatal("a bad SAS listed blobs")
		}
		if strings.Contains(err.Error(), "WrongSecretSig") || strings.Contains(err.Error(), az.Key) {
			t.Fatalf("error leaks a secret: %v", err)
		}
	})
}

func TestAzuriteBadBlobs(t *testing.T) {
	az := testenv.StartAzurite(t)
	dir := t.TempDir()
	if _, err := loggen.PaaS(loggen.PaaSOptions{Out: dir, Seed: 1, KeyVault: 10}); err != nil {
		t.Fatal(err)
	}
	var blobFile string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			blobFile = p
		}
		return nil
	})
	data, _ := os.ReadFile(blobFile)
	// A copy cut in the middle of the last record, and a blob that is not JSON.
	cut := filepath.Join(dir, "insights-logs-auditevent", "cut", "PT1H.json")
	os.MkdirAll(filepath.Dir(cut), 0o755)
	os.WriteFile(cut, data[:len(data)-40], 0o644)
	junk := filepath.Join(dir, "insights-logs-auditevent", "junk", "PT1H.json")
	os.MkdirAll(filepath.Dir(junk), 0o755)
	os.WriteFile(junk, []byte("this is not a log\n"), 0o644)
	upload(t, az, dir)
	ins, err := Expand(context.Background(), "azblob://insights-logs-auditevent", Options{ConnectionString: az.ConnectionString})
	if err != nil {
		t.Fatal(err)
	}
	got, rep := collect(t, ins)
	if len(got) != 19 {
		t.Errorf("kept %d events, want 10 + 9 complete records of the cut copy", len(got))
	}
	by := rep.SkipsByCode()
	if by[logs.CodeTruncated] != 1 || by[logs.CodeUnknownFormat] != 1 {
		t.Errorf("skips %v", rep.Skips())
	}
	for _, s := range rep.Skips() {
		if !strings.HasPrefix(s.Name, az.BlobEndpoint+"/insights-logs-auditevent/") {
			t.Errorf("skip does not name the blob: %s", s.Name)
		}
	}
}
