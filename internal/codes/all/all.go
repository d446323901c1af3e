// Package all imports every package that registers codes, so the docs
// generator, the docs test and `pathproof codes` see the whole registry.
// Add a blank import here when a new package registers codes.
package all

import (
	_ "github.com/pathproof/pathproof/internal/azlive"    // live Azure reads
	_ "github.com/pathproof/pathproof/internal/azure"     // model: unknown tags, assumptions
	_ "github.com/pathproof/pathproof/internal/effective" // live Azure: effective routes and rules compared
	_ "github.com/pathproof/pathproof/internal/explain"   // explain verdicts and findings
	_ "github.com/pathproof/pathproof/internal/follow"    // blob follower: reads that failed, rewritten blobs
	_ "github.com/pathproof/pathproof/internal/kql"       // push-down partial results
	_ "github.com/pathproof/pathproof/internal/logs"
	_ "github.com/pathproof/pathproof/internal/pcap"     // capture diagnosis findings
	_ "github.com/pathproof/pathproof/internal/probe"    // probe failure classes
	_ "github.com/pathproof/pathproof/internal/scenario" // model: check verdicts
	_ "github.com/pathproof/pathproof/internal/topology" // model: topology input problems
	_ "github.com/pathproof/pathproof/internal/trace"    // path trace results, drop reasons, findings
)
