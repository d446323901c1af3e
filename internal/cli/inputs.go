package cli

import "os"

// checkInput returns a usage error (exit 2) when an input file or folder
// named on the command line cannot be found or read: a missing input is a
// wrong command line, and nothing ran. what names the flag or argument.
func checkInput(what, path string) error {
	if _, err := os.Stat(path); err != nil {
		return Usagef("%s %s: %v", what, path, lgNoPath(err))
	}
	return nil
}
