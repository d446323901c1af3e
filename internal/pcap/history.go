package pcap

import "unicode"

// HistoryStep is one letter of a connection's history read out: which side
// sent it and what happened.
type HistoryStep struct {
	// Side is "client" (the originator, upper-case letters) or "server".
	Side string `json:"side"`
	// What says what the letter records.
	What string `json:"what"`
}

// historyWords are the meanings of the history letters pathproof writes
// (Zeek's, see Connection.History).
var historyWords = map[rune]string{
	'^':     "connection direction flipped (the first packet seen was not the SYN)",
	'c':     "bad checksum",
	'i':     "inconsistent packet (SYN and RST together)",
	'q':     "multi-flag packet",
	hSYN:    "SYN",
	hSYNACK: "SYN-ACK",
	hACK:    "pure ACK",
	hData:   "first data",
	hFIN:    "FIN",
	hRST:    "RST",
	hRetx:   "retransmitted data (1st, 10th, 100th …)",
	hGap:    "content gap: data missing from the capture (1st, 10th, 100th …)",
	hZeroW:  "zero window (1st, 10th, 100th …)",
}

// HistorySteps reads a history string out in order: a timeline of the
// first time each thing happened in each direction. Letters it does not
// know are reported as such.
func HistorySteps(history string) []HistoryStep {
	out := make([]HistoryStep, 0, len(history))
	for _, r := range history {
		side := "server"
		if unicode.IsUpper(r) {
			side = "client"
		}
		w, ok := historyWords[unicode.ToLower(r)]
		if !ok {
			w = "history letter " + string(r)
		}
		if r == '^' {
			side = "client"
		}
		out = append(out, HistoryStep{Side: side, What: w})
	}
	return out
}
