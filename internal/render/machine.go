package render

import "io"

// Machine writes list as one JSON array (format "json") or as JSON Lines,
// one element a line (format "jsonl"). It reports whether format was one
// of the two, so the caller writes its table otherwise.
func Machine[T any](w io.Writer, format string, list []T) (bool, error) {
	switch format {
	case "json":
		return true, JSON(w, list)
	case "jsonl":
		jl := NewJSONLines(w)
		for _, v := range list {
			if err := jl.Write(v); err != nil {
				return true, err
			}
		}
		return true, nil
	}
	return false, nil
}
