package logs

import (
	"context"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/redact"
)

// Classic Storage Analytics logs (the $logs container): one request per
// line, fields separated by ';', fields that may hold ';' or '"' quoted and
// HTML-encoded. Version 1.0 has 30 fields, 2.0 adds OAuth fields.
// Reference: learn.microsoft.com/rest/api/storageservices/storage-analytics-log-format.

// Field positions (0-based) of the version 1.0 layout.
const (
	saVersion     = 0
	saStart       = 1
	saOperation   = 2
	saStatus      = 3
	saHTTPStatus  = 4
	saAuthType    = 7
	saOwner       = 9
	saService     = 10
	saURL         = 11
	saObjectKey   = 12
	saRequesterIP = 15
	saMinFields   = 30
	saUserUPN     = 35 // version 2.0
)

var saLine = regexp.MustCompile(`^[12]\.0;\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d`)

// splitSA splits one classic line on ';' outside double quotes.
func splitSA(line string) ([]string, error) {
	var out []string
	var b strings.Builder
	quoted := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '"':
			quoted = !quoted
		case c == ';' && !quoted:
			out = append(out, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	if quoted {
		return nil, fmt.Errorf("unbalanced quote")
	}
	out = append(out, b.String())
	for i := range out {
		out[i] = html.UnescapeString(out[i])
	}
	return out, nil
}

func readStorageAnalytics(ctx context.Context, r io.Reader, o *Output) error {
	return readLines(ctx, r, o, event.SourceStorage, "StorageAnalytics", func(line string) (*event.Event, string, error) {
		e, err := parseSALine(line)
		return e, CodeBadRecord, err
	})
}

// parseSALine parses one classic Storage Analytics line.
func parseSALine(line string) (*event.Event, error) {
	f, err := splitSA(line)
	if err != nil {
		return nil, err
	}
	if len(f) < saMinFields {
		return nil, fmt.Errorf("%d fields, a version %s line has at least %d", len(f), truncate(f[0], 8), saMinFields)
	}
	if f[saVersion] != "1.0" && f[saVersion] != "2.0" {
		return nil, fmt.Errorf("unknown log version %q", truncate(f[saVersion], 8))
	}
	t, err := ParseTime(f[saStart])
	if err != nil {
		return nil, err
	}
	e := &event.Event{Time: t, Source: event.SourceStorage, Category: "StorageAnalytics",
		Emitter: strings.ToLower(f[saOwner]), Direction: event.DirIn}
	if ip := f[saRequesterIP]; ip != "" {
		a, port, ok := callerAddr(ip)
		if !ok {
			return nil, fmt.Errorf("requester-ip-address %q is not an address", truncate(ip, 60))
		}
		e.SrcIP, e.SrcPort = a, port
	}
	e.URL = redact.Signatures(f[saURL])
	e.FQDN = hostOf(e.URL)
	if strings.HasPrefix(strings.ToLower(e.URL), "https://") {
		e.Protocol, e.DstPort = "https", 443
	} else if strings.HasPrefix(strings.ToLower(e.URL), "http://") {
		e.Protocol, e.DstPort = "http", 80
	}
	status, ok := storageStatus(f[saHTTPStatus])
	if !ok {
		return nil, fmt.Errorf("http-status-code %q is not a number", truncate(f[saHTTPStatus], 20))
	}
	e.HTTPStatus = status
	e.Verdict = httpVerdict(status)
	d := map[string]string{"operation": f[saOperation], "status_text": f[saStatus]}
	setDetail(d, "auth_type", f[saAuthType])
	setDetail(d, "service", f[saService])
	setDetail(d, "object_key", f[saObjectKey])
	setDetail(d, "caller_address_kind", addressKind(e.SrcIP))
	if e.Verdict == event.VerdictDeny {
		layer := storageDenialLayer(f[saStatus])
		d["denial_layer"] = layer
		e.Rule.Reason = layer + ": " + f[saStatus]
	} else {
		e.Rule.Reason = f[saStatus]
	}
	if len(f) > saUserUPN {
		e.Caller = f[saUserUPN]
	}
	e.Detail = d
	return e, nil
}
