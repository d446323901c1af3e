package explain

// VerdictKey is what a change of verdict is, for a follower that prints
// each one: the verdict and where ("dropped at nic:api-nic").
func (r *Result) VerdictKey() string {
	if r.At == "" {
		return r.Verdict
	}
	return r.Verdict + " at " + r.At
}
