package ingest

import "github.com/pathproof/pathproof/internal/redact"

// Args repeats the sources as pathproof flags, for the drill-down command
// lines front ends print (`pathproof events --db FILE ...`): --db when
// there is one (it holds everything loaded), else one --logs per source,
// secrets replaced by redact.Marker.
func (s Sources) Args() []string {
	if s.DB != "" {
		return []string{"--db", s.DB}
	}
	var out []string
	for _, p := range s.Logs {
		out = append(out, "--logs", redact.String(p))
	}
	if s.Workspace != "" {
		out = append(out, "--workspace", redact.String(s.Workspace))
	}
	if s.ADX != "" {
		out = append(out, "--adx", redact.String(s.ADX))
	}
	return out
}
