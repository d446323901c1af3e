package probe

import (
	"math"
	"sort"
	"time"
)

// summarize computes loss and RTT statistics over sent attempts, of which
// rtts are the successful ones. Jitter is the mean absolute difference
// between consecutive RTTs (RFC 3550's idea without smoothing).
func summarize(sent int, rtts []time.Duration) Stats {
	s := Stats{Sent: sent, Received: len(rtts)}
	if sent > 0 {
		s.LossPercent = roundMS(float64(sent-len(rtts)) * 100 / float64(sent))
	}
	if len(rtts) == 0 {
		return s
	}
	var sum, jit float64
	sorted := make([]float64, len(rtts))
	for i, r := range rtts {
		v := ms(r)
		sorted[i] = v
		sum += v
		if i > 0 {
			jit += math.Abs(v - ms(rtts[i-1]))
		}
	}
	sort.Float64s(sorted)
	s.MinMS, s.MaxMS = sorted[0], sorted[len(sorted)-1]
	s.AvgMS = roundMS(sum / float64(len(sorted)))
	// Nearest-rank 95th percentile.
	s.P95MS = sorted[int(math.Ceil(0.95*float64(len(sorted))))-1]
	if len(rtts) > 1 {
		s.JitterMS = roundMS(jit / float64(len(rtts)-1))
	}
	return s
}
