package web

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/pathproof/pathproof/internal/pcap"
)

// maxRows is how many connections the capture page lists.
const maxRows = 500

type fileLink struct {
	Name, Link string
}

type connRow struct {
	Index int
	Conn  *pcap.Connection
	RTT   string
	Link  string
}

type capturePage struct {
	page
	MaxUpload      string
	MaxUploadBytes int64
	Files          []fileLink
	Report         *pcap.Report
	Rows           []connRow
	More           int
}

func (s *server) capturePage() *capturePage {
	p := &capturePage{page: s.page("capture", "Capture"), MaxUpload: sizeText(s.o.MaxUpload), MaxUploadBytes: s.o.MaxUpload}
	for _, f := range s.ws.ListFiles(200, ".pcap", ".pcapng", ".cap") {
		name := s.relName(f)
		p.Files = append(p.Files, fileLink{Name: name, Link: "/capture?file=" + url.QueryEscape(name)})
	}
	return p
}

// capture lists a capture's connections: a file from the --files folders
// (?file=NAME) or an upload (?upload=ID).
func (s *server) capture(w http.ResponseWriter, r *http.Request) {
	p := s.capturePage()
	rep, key, err := s.captureOf(r.URL.Query())
	if err != nil {
		p.Error = err.Error()
		s.render(w, statusOf(err), "capture", p)
		return
	}
	if rep != nil {
		s.fill(p, rep, key)
	}
	s.render(w, http.StatusOK, "capture", p)
}

// report finds the capture a query names; nil without one.
func (s *server) captureOf(q url.Values) (*pcap.Report, url.Values, error) {
	if id := q.Get("upload"); id != "" {
		rep, ok := s.ws.Upload(id)
		if !ok {
			return nil, nil, &httpError{http.StatusNotFound, "this upload is no longer kept: upload the capture again"}
		}
		return rep, url.Values{"upload": {id}}, nil
	}
	if f := q.Get("file"); f != "" {
		rep, err := s.ws.Capture(f)
		if err != nil {
			return nil, nil, &httpError{http.StatusNotFound, err.Error()}
		}
		return rep, url.Values{"file": {f}}, nil
	}
	return nil, nil, nil
}

func (s *server) fill(p *capturePage, rep *pcap.Report, key url.Values) {
	p.Report = rep
	for i := range rep.Connections {
		if i == maxRows {
			p.More = len(rep.Connections) - maxRows
			break
		}
		k := cloneValues(key)
		k.Set("i", strconv.Itoa(i))
		p.Rows = append(p.Rows, connRow{Index: i, Conn: &rep.Connections[i], RTT: rttText(rep.Connections[i].RTTMs), Link: "/capture/conn?" + k.Encode()})
	}
}

// upload analyses a capture sent with the form, in memory, and shows it. A
// capture over the size limit or that is not a capture is refused with a
// message saying so.
func (s *server) upload(w http.ResponseWriter, r *http.Request) {
	p := s.capturePage()
	fail := func(status int, msg string) {
		p.Error = msg
		s.render(w, status, "capture", p)
	}
	slack := int64(1 << 20) // the form's own bytes on top of the file
	if r.ContentLength > s.o.MaxUpload+slack {
		w.Header().Set("Connection", "close") // the rest of the body is not read
		fail(http.StatusRequestEntityTooLarge, fmt.Sprintf("upload refused: the capture is larger than this server accepts (%s; start pathproof serve with a larger --max-upload)", sizeText(s.o.MaxUpload)))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.o.MaxUpload+slack)
	mr, err := r.MultipartReader()
	if err != nil {
		fail(http.StatusBadRequest, "upload refused: not a file upload form ("+err.Error()+")")
		return
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			fail(uploadStatus(err), uploadMessage(err, s.o.MaxUpload, "the form holds no capture file"))
			return
		}
		if part.FormName() != "pcap" {
			continue
		}
		name := part.FileName()
		if name == "" {
			name = "upload.pcap"
		}
		id := newID()
		lr := &limitedReader{r: part, left: s.o.MaxUpload}
		rep, err := s.ws.AnalyzeUpload(id, name+" (uploaded)", lr)
		if lr.over {
			fail(http.StatusRequestEntityTooLarge, fmt.Sprintf("upload refused: %s is larger than this server accepts (%s; start pathproof serve with a larger --max-upload)", name, sizeText(s.o.MaxUpload)))
			return
		}
		if err != nil {
			fail(uploadStatus(err), uploadMessage(err, s.o.MaxUpload, ""))
			return
		}
		_ = rep
		http.Redirect(w, r, "/capture?upload="+id, http.StatusSeeOther)
		return
	}
}

// limitedReader reads at most left bytes and notes when there was more.
type limitedReader struct {
	r    interface{ Read([]byte) (int, error) }
	left int64
	over bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			l.over = true
		}
		return 0, errTooLarge
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

var errTooLarge = errors.New("capture larger than the upload limit")

func uploadStatus(err error) int {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) || errors.Is(err, errTooLarge) {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}

func uploadMessage(err error, limit int64, fallback string) string {
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &mb), errors.Is(err, errTooLarge):
		return fmt.Sprintf("upload refused: the capture is larger than this server accepts (%s; start pathproof serve with a larger --max-upload)", sizeText(limit))
	case fallback != "" && err.Error() == "EOF":
		return "upload refused: " + fallback
	}
	return "upload refused: not a capture pathproof can read (" + err.Error() + ")"
}

func newID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func rttText(ms *float64) string {
	if ms == nil {
		return "–"
	}
	if *ms < 1 {
		return fmt.Sprintf("%.3f ms", *ms)
	}
	return fmt.Sprintf("%.1f ms", *ms)
}

type connectionPage struct {
	page
	Index     int
	Conn      *pcap.Connection
	Steps     []pcap.HistoryStep
	Exchanges []string
	RTT       string
	Back      string
	TLSJSON   string
}

// connection shows one connection: its findings, a timeline read from its
// history and its application exchanges, each direction's counters.
func (s *server) connection(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := &connectionPage{page: s.page("capture", "Connection")}
	rep, key, err := s.captureOf(q)
	if err == nil && rep == nil {
		err = badRequest("name a capture: ?file=NAME or ?upload=ID")
	}
	if err != nil {
		p.Error = err.Error()
		s.render(w, statusOf(err), "connection", p)
		return
	}
	i, err := strconv.Atoi(q.Get("i"))
	if err != nil || i < 0 || i >= len(rep.Connections) {
		p.Error = fmt.Sprintf("connection %q: the capture has %d connections (0 to %d)", q.Get("i"), len(rep.Connections), len(rep.Connections)-1)
		s.render(w, http.StatusNotFound, "connection", p)
		return
	}
	c := &rep.Connections[i]
	p.Index, p.Conn, p.Steps = i, c, pcap.HistorySteps(c.History)
	if c.RTTMs != nil {
		p.RTT = rttText(c.RTTMs)
	}
	p.Back = "/capture?" + key.Encode()
	p.Title = fmt.Sprintf("Connection %d: %s %s → %s", i, c.Protocol, c.Client, c.Server)
	for _, d := range c.DNS {
		x := "DNS " + d.Type + " " + d.Query
		if d.Rcode != "" {
			x += " → " + d.Rcode
		}
		for _, a := range d.Answers {
			x += " " + a
		}
		p.Exchanges = append(p.Exchanges, x)
	}
	for _, h := range c.HTTP {
		x := "HTTP " + h.Method + " " + h.Host + h.Path
		if h.Status != 0 {
			x += fmt.Sprintf(" → %d %s", h.Status, h.Reason)
		}
		p.Exchanges = append(p.Exchanges, x)
	}
	if c.TLS != nil {
		if b, err := json.MarshalIndent(c.TLS, "", "  "); err == nil {
			p.TLSJSON = string(b)
		}
	}
	s.render(w, http.StatusOK, "connection", p)
}
