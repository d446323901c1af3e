package logs

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/pathproof/pathproof/internal/redact"
)

// sniffHead is how many bytes sniffers see.
const sniffHead = 4096

// runText handles an input that does not start with JSON: a registered
// sniffer's format, else a Log Analytics CSV export, else unknown.
func (rd *reader) runText(s *scanner) error {
	for s.end-s.pos < sniffHead && !s.eof {
		if _, ok := s.fill(s.pos); !ok {
			break
		}
	}
	head := s.buf[s.pos:s.end]
	if len(head) > sniffHead {
		head = head[:sniffHead]
	}
	rest := io.MultiReader(bytes.NewReader(s.buf[s.pos:s.end]), s.r)
	if s.eof {
		rest = bytes.NewReader(s.buf[s.pos:s.end])
	}
	for _, f := range sniffers {
		if f.Match(rd.out.in.Key, head) {
			rd.out.events = 0
			err := f.Read(rd.ctx, rest, &rd.out)
			if se, ok := asSkip(err); ok {
				rd.out.Skip(-1, se.Code, se.Reason)
				return nil
			}
			return err
		}
	}
	line := head
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	if bytes.Count(line, []byte(",")) >= 1 && csvHeaderLooksRight(line) {
		return rd.runCSV(rest)
	}
	rd.out.Skip(-1, CodeUnknownFormat, "not JSON, not a Log Analytics CSV export and no known text format")
	return nil
}

// csvHeaderLooksRight accepts a header that names a time or a category
// column, as every Log Analytics export does.
func csvHeaderLooksRight(line []byte) bool {
	l := strings.ToLower(string(line))
	return strings.Contains(l, "timegenerated") || strings.Contains(l, "category") || strings.Contains(l, "type")
}

// csvColumn normalises a CSV header cell: lower case, without the portal's
// " [UTC]" unit suffix, BOM and quotes.
func csvColumn(h string) string {
	h = strings.TrimPrefix(h, "\ufeff")
	h = strings.TrimSpace(h)
	if i := strings.Index(h, " ["); i > 0 && strings.HasSuffix(h, "]") {
		h = h[:i]
	}
	return strings.ToLower(h)
}

// runCSV reads a Log Analytics CSV export: a header row, then one record per
// row.
func (rd *reader) runCSV(r io.Reader) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		rd.out.Skip(-1, CodeBadCSV, "cannot read the CSV header: "+err.Error())
		return nil
	}
	for i := range header {
		header[i] = csvColumn(header[i])
	}
	for idx := 0; ; idx++ {
		if idx&63 == 0 {
			if err := rd.ctx.Err(); err != nil {
				return err
			}
		}
		row, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				rd.out.Skip(idx, CodeBadCSV, pe.Err.Error())
				continue
			}
			rd.out.Skip(idx, CodeUnreadable, "read error: "+redact.String(err.Error()))
			return nil
		}
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		rec := newCSVRecord(rd.out.in.Name, idx, header, row)
		if err := rd.dispatch(rec); err != nil {
			return err
		}
	}
}
