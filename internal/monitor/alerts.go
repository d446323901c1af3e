package monitor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/pathproof/pathproof/internal/probe"
)

// Alert is the JSON body POSTed to the webhook when a test's state
// changes (after damping).
type Alert struct {
	SchemaVersion       int            `json:"schema_version"`
	Kind                string         `json:"kind"`
	Time                time.Time      `json:"time"`
	Test                string         `json:"test"`
	TestGroup           string         `json:"test_group"`
	Destination         string         `json:"destination"`
	TestConfiguration   string         `json:"test_configuration"`
	Target              string         `json:"target"`
	From                State          `json:"from"`
	To                  State          `json:"to"`
	Consecutive         int            `json:"consecutive"`
	Reason              string         `json:"reason"`
	FailureClass        string         `json:"failure_class,omitempty"`
	Failure             *probe.Failure `json:"failure,omitempty"`
	ChecksFailedPercent float64        `json:"checks_failed_percent"`
	RoundTripTimeMS     *float64       `json:"round_trip_time_ms"`
}

// webhook posts alerts.
type webhook struct {
	url     string
	headers map[string]string
	client  *http.Client
}

// send posts a; the error never contains the URL or headers, which may
// carry secrets.
func (w *webhook) send(ctx context.Context, a *Alert) error {
	body, err := json.Marshal(a)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return errors.New("webhook: cannot build the request")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "pathproof-monitor")
	for k, v := range w.headers {
		req.Header.Set(k, v)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("webhook to host %s: %w", hostOf(w.url), err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook to host %s: HTTP %d", hostOf(w.url), resp.StatusCode)
	}
	return nil
}

// hostOf is the only part of the webhook URL ever printed.
func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(invalid)"
	}
	return p.Hostname()
}
