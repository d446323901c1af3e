package cli

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/blob"
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
