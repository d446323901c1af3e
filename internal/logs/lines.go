package logs

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// readLines reads a line format, one record per non-blank line (a trailing
// CR dropped, lines up to 1 MiB): parse turns a line into an event, or says
// why not and with which skip code. The records are counted as src's
// category cat. When RawRecords reads again, the lines are taken as they
// are and not parsed.
func readLines(ctx context.Context, r io.Reader, o *Output, src event.Source, cat string, parse func(line string) (*event.Event, string, error)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	idx := -1
	var records int64
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		line := string(bytes.TrimRight(sc.Bytes(), "\r"))
		if strings.TrimSpace(line) == "" {
			continue
		}
		idx++
		o.At(idx)
		if skip, stop := o.takeLine(idx, []byte(line)); stop {
			return errRawFound
		} else if skip {
			continue
		}
		records++
		e, code, err := parse(line)
		if err != nil {
			o.Skip(idx, code, err.Error())
			continue
		}
		if err := o.Emit(e); err != nil {
			return err
		}
	}
	o.Count(src, cat, records)
	if err := sc.Err(); err != nil {
		o.Skip(idx+1, CodeUnreadable, err.Error())
	}
	return nil
}
