package pcap

import "testing"

func TestHistorySteps(t *testing.T) {
	cases := []struct {
		in   string
		want []HistoryStep
	}{
		{"ShADadFf", []HistoryStep{{"client", "SYN"}, {"server", "SYN-ACK"}, {"client", "pure ACK"}, {"client", "first data"}, {"server", "pure ACK"},
			{"server", "first data"}, {"client", "FIN"}, {"server", "FIN"}}},
		{"Sr", []HistoryStep{{"client", "SYN"}, {"server", "RST"}}},
		{"", []HistoryStep{}},
		{"Sx", []HistoryStep{{"client", "SYN"}, {"server", "history letter x"}}},
	}
	for _, c := range cases {
		got := HistorySteps(c.in)
		if len(got) != len(c.want) {
			t.Fatalf("%q: %v, want %v", c.in, got, c.want)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%q step %d: %v, want %v", c.in, i, got[i], c.want[i])
			}
		}
	}
}
