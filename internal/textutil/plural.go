package textutil

import "strconv"

// Plural writes a count with its noun in agreement: Plural(1, "check",
// "checks") is "1 check", Plural(3, ...) "3 checks", Plural(0, ...) "0
// checks".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
