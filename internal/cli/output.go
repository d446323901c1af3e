package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/render/eventrender"
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

// checkColumns validates --columns (ids among known) before any work: a
// usage error for an unknown column, or with a machine format, which
// prints every field.
func checkColumns(known, cols []string, format string) error {
	if len(cols) == 0 {
		return nil
	}
	if format != "table" {
		return Usagef("--columns chooses table columns; -o %s prints every field", format)
	}
	if err := eventrender.CheckColumns(known, cols); err != nil {
		return Usagef("--columns: %v", err)
	}
	return nil
}

// layout is how the event tables print on env's stdout: fitted to its
// width, with the chosen columns, cuts noted on stderr.
func layout(env *Env, columns []string) eventrender.Layout {
	return eventrender.Layout{Width: tableWidth(env.Stdout), Columns: columns, Notes: env.Stderr}
}
