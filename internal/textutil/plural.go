package textutil

import (
	"fmt"
	"strconv"
)

// Plural writes a count with its noun in agreement: Plural(1, "check",
// "checks") is "1 check", Plural(3, ...) "3 checks", Plural(0, ...) "0
// checks".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Size writes a byte count in the units ls -lh and du -h readers compare
// with: bytes, then kB and MB (decimal) with one decimal.
func Size(n int64) string {
	switch {
	case n < 1000:
		return Plural(int(n), "byte", "bytes")
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
}
