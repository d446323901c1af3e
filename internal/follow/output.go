package follow

import (
	"fmt"
	"os"
	"syscall"
)

// output is the regular file events are written to, when they are: its
// length goes into every checkpoint, and a restart cuts the file back to
// the length the checkpoint recorded (events written after it are written
// again).
type output struct {
	f *os.File
}

// newOutput returns the output for f, or nil when f is not a regular file
// (a pipe or a terminal: events written after the last checkpoint are then
// written again after a restart; each carries its origin to drop repeats).
func newOutput(f *os.File) *output {
	if f == nil {
		return nil
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	return &output{f: f}
}

// mark syncs the file and returns its identity and length.
func (o *output) mark() (*outputMark, error) {
	if err := o.f.Sync(); err != nil {
		return nil, fmt.Errorf("syncing the output: %w", err)
	}
	fi, err := o.f.Stat()
	if err != nil {
		return nil, fmt.Errorf("the output: %w", err)
	}
	m := &outputMark{Size: fi.Size()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		m.Dev, m.Ino = uint64(st.Dev), uint64(st.Ino)
	}
	return m, nil
}

// rewind cuts the file back to the checkpoint's length when it is the same
// file and longer: what follows was written after the checkpoint, and is
// written again. It returns the bytes cut.
func (o *output) rewind(m *outputMark) (int64, error) {
	if m == nil {
		return 0, nil
	}
	now, err := o.mark()
	if err != nil {
		return 0, err
	}
	if now.Dev != m.Dev || now.Ino != m.Ino || now.Size <= m.Size {
		return 0, nil
	}
	if err := o.f.Truncate(m.Size); err != nil {
		return 0, fmt.Errorf("cutting the output back to the checkpoint's %d bytes: %w", m.Size, err)
	}
	if _, err := o.f.Seek(m.Size, 0); err != nil {
		return 0, fmt.Errorf("cutting the output back to the checkpoint's %d bytes: %w", m.Size, err)
	}
	return now.Size - m.Size, o.f.Sync()
}
