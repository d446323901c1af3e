package cli

import (
	"context"
	"os"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/blob"
	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/logs"
)

// Blob log sources: --logs also takes Azure Blob Storage URLs
// (https://ACCOUNT.blob.core.windows.net/CONTAINER[/PREFIX][?SAS], the
// path-style http(s)://HOST:PORT/ACCOUNT/CONTAINER[/PREFIX] of emulators, and
// azblob://[CONTAINER[/PREFIX]]). See internal/blob and docs/blob-storage.md.

// connStringEnv names the environment variable holding a storage
// connection string (the name az CLI and the SDKs use).
const connStringEnv = "AZURE_STORAGE_CONNECTION_STRING"

// blobFlags holds the blob-source options of a log command.
type blobFlags struct {
	account string
}

// add registers --storage-account on cmd.
func (b *blobFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&b.account, "storage-account", "", "storage account of azblob:// --logs sources, signed in with Azure's default credential chain (else "+connStringEnv+")")
}

// isBlobSource reports whether a --logs value is a blob URL.
func isBlobSource(p string) bool { return blob.IsURL(p) }

// check validates a blob source before any work (exit 2 when malformed or
// when azblob:// has no account to read).
func (b *blobFlags) check(p string) error {
	src, err := blob.ParseSource(p)
	if err != nil {
		return Usagef("--logs %v", err)
	}
	if src.Kind == "azblob" && b.account == "" && os.Getenv(connStringEnv) == "" {
		return Usagef("--logs %s: no storage account: set %s or pass --storage-account NAME", src, connStringEnv)
	}
	return nil
}

// expandSources turns the --logs values into inputs: blob URLs through
// internal/blob (listing only the hours the --since/--until window needs),
// everything else through logs.Expand. Sources that cannot be listed are
// returned as errors (reported as skips); their text never holds a secret.
func (lf *logFlags) expandSources(ctx context.Context, env *Env, f *filter.Filter) ([]logs.Input, []error) {
	var local []string
	var ins []logs.Input
	var errs []error
	opt := blob.Options{StorageAccount: lf.blob.account, ConnectionString: os.Getenv(connStringEnv), Window: blobWindow(f)}
	if isTerminal(env.Stderr) {
		opt.Progress = blob.NewProgress(env.Stderr)
	}
	for _, p := range lf.logs {
		if !isBlobSource(p) {
			local = append(local, p)
			continue
		}
		got, err := blob.Expand(ctx, p, opt)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ins = append(ins, got...)
	}
	if len(local) > 0 {
		li, lerrs := logs.Expand(local, env.Stdin)
		ins = append(li, ins...)
		errs = append(errs, lerrs...)
	}
	return ins, errs
}

// blobWindow turns the filter's --since/--until (f nil: none) into the
// window blob listing prunes by; a relative bound counts back from the
// newest hour folder.
func blobWindow(f *filter.Filter) blob.Window {
	if f == nil {
		return blob.Window{}
	}
	return blob.Window{Since: f.Since.At, Until: f.Until.At, SinceAgo: f.Since.Ago, UntilAgo: f.Until.Ago}
}

// blobWorkers is how many inputs are read at once when some are blobs:
// downloads wait on the network, so more than one per core pays.
const blobWorkers = 8

// readWorkers returns the reader's worker count for ins: blobWorkers when
// any input is a blob, else 0 (the reader's default, one per core).
func readWorkers(ins []logs.Input) int {
	for _, in := range ins {
		if isBlobSource(in.Name) {
			return blobWorkers
		}
	}
	return 0
}
