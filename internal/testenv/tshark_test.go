package testenv

import "testing"

func TestWithoutRootWarning(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Running as user \"root\" and group \"root\". This could be dangerous.\n", ""},
		{"Running as user \"root\" and group \"root\". This could be dangerous.\ntshark: The file \"x\" doesn't exist.\n", "tshark: The file \"x\" doesn't exist."},
		{"", ""},
	} {
		if got := withoutRootWarning(tc.in); got != tc.want {
			t.Errorf("withoutRootWarning(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
