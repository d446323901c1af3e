package explain

import "fmt"

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
