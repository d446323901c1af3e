// Command pathproof proves where a packet went in an Azure network and why it stopped.
package main

import (
	"os"

	"github.com/pathproof/pathproof/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
