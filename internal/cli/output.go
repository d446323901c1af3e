package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

// outputFlag is the --output flag every reporting command carries. The
// default is the human table; the other values are the machine formats the
// command supports.
type outputFlag struct {
	value   string
	allowed []string
}

// addOutputFlag registers -o/--output on cmd, accepting "table" plus allowed.
func addOutputFlag(cmd *cobra.Command, allowed ...string) *outputFlag {
	o := &outputFlag{value: "table", allowed: append([]string{"table"}, allowed...)}
	cmd.Flags().StringVarP(&o.value, "output", "o", "table", "output format: "+strings.Join(o.allowed, "|"))
	return o
}

// validate rejects a format the command does not support (exit 2).
func (o *outputFlag) validate() error {
	if !slices.Contains(o.allowed, o.value) {
		return Usagef("--output %q is not one of %s", o.value, strings.Join(o.allowed, ", "))
	}
	return nil
}

// String returns the chosen format.
func (o *outputFlag) String() string { return o.value }
