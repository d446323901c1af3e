package explain

import (
	"fmt"

	logsrc "github.com/pathproof/pathproof/internal/logs"
	"github.com/pathproof/pathproof/internal/pcap"
)

// SetInputs records what the explanation read; when some input was
// skipped it adds the input-skipped finding (the verdict stands on the
// rest). Every front end calls it, so the Result says the same everywhere.
func (r *Result) SetInputs(in Inputs) {
	r.Inputs = in
	if in.SkippedTotal > 0 {
		r.Findings = append(r.Findings, Finding{Code: FindInputSkipped, Severity: "warning",
			Message: fmt.Sprintf("%d input record(s) could not be read; the verdict stands on the rest.", in.SkippedTotal),
			Fix:     "Read the SKIPPED list (file, record and reason) and fix or remove the damaged input."})
	}
}

// AddLogSkips records the log records the reader skipped: skips as
// logs.Report.Skips lists them (maybe only the first few) and total, all
// of them.
func (in *Inputs) AddLogSkips(skips []logsrc.Skip, total int) {
	for _, s := range skips {
		in.Skipped = append(in.Skipped, Skipped{Origin: s.Name, Record: s.Record, Tuple: max(s.Tuple, 0), Code: s.Code, Reason: s.Reason})
	}
	in.SkippedTotal += int64(total)
}

// AddCapture records a capture of the flow, by the name the user gave it;
// a capture partly unreadable is a skipped input.
func (in *Inputs) AddCapture(name string, rep *pcap.Report) {
	in.Captures = append(in.Captures, name)
	if !rep.Partial() {
		return
	}
	reason := "capture partly unreadable"
	if rep.ReadError != nil {
		reason = rep.ReadError.Reason
	}
	in.Skipped = append(in.Skipped, Skipped{Origin: name, Record: -1, Code: pcap.CodePartial, Reason: reason})
	in.SkippedTotal++
}
