package load

import (
	"bytes"
	"path/filepath"
)

// ManifestName is the file name of the manifest pathproof topology export
// writes beside the documents it fetched, and ManifestKind the value of
// its "kind" member. A load passes over that file.
const (
	ManifestName = "manifest.json"
	ManifestKind = "pathproof-topology-export"
)

// IsManifest reports whether a file is an export's manifest: named
// ManifestName and holding ManifestKind.
func IsManifest(path string, data []byte) bool {
	return filepath.Base(path) == ManifestName && bytes.Contains(data, []byte(`"`+ManifestKind+`"`))
}
