// Command gendocs writes docs/codes from the code registry.
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"

	_ "github.com/pathproof/pathproof/internal/codes/all"

	"github.com/pathproof/pathproof/internal/codes"
)

func main() {
	out := flag.String("out", "docs/codes", "folder to write")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	for name, body := range codes.Pages() {
		if err := os.WriteFile(filepath.Join(*out, name), []byte(body), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
