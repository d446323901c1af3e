// Package blob reads Azure diagnostic logs straight from Azure Blob Storage.
//
// A log source is a URL in one of three forms:
//
//	https://ACCOUNT.blob.core.windows.net/CONTAINER[/PREFIX][?SAS]
//	http(s)://HOST:PORT/ACCOUNT/CONTAINER[/PREFIX][?SAS]    (path style: emulators)
//	azblob://[CONTAINER[/PREFIX]]                           (account from the environment)
//
// An azblob:// source takes its account from AZURE_STORAGE_CONNECTION_STRING
// or, with --storage-account NAME, signs in with azidentity's default
// credential chain. A source without a container reads every
// "insights-logs-*" container of the account.
//
// Listing walks the storage-account layout one path level at a time and
// prunes the y=/m=/d=/h= levels against the time window before it lists any
// blob, so a two-hour window lists and reads two or three hours of blobs,
// not the account. Each blob becomes a logs.Input whose Open streams the
// download (with retries) into the parsers and whose Key is
// "<container>/<blob name>": the same origin key logs.KeyFor gives the local
// copy of the blob in the storage-account layout, so loading a blob twice,
// or a blob and its downloaded copy, does not duplicate events.
//
// Secrets never leave this package: every error it returns has SAS query
// strings, sig= values, account keys and connection-string secrets removed
// (redact.String), and SDK errors are not wrapped (their text can echo request
// URLs).
package blob
