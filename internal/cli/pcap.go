package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/filter"
	"github.com/pathproof/pathproof/internal/pcap"
	"github.com/pathproof/pathproof/internal/render/pcaprender"
)

func init() { register("pcap", newPcapCmd) }

// pcapFilters are the filter flags that apply to a capture's connections
// (a capture has no verdict, rule or reason).
var pcapFilters = []string{"ip", "src", "dst", "port", "src-port", "proto"}

func newPcapCmd(env *Env) *cobra.Command {
	var spec filter.Spec
	var all bool
	cmd := &cobra.Command{
		Use:   "pcap FILE",
		Short: "Explain every connection in a packet capture (pcap or pcapng)",
		Long: `Read a pcap or pcapng file (Network Watcher packet capture, VPN or firewall
gateway capture, tcpdump, Wireshark; FILE - reads stdin) and explain every
TCP, UDP and ICMP connection in it: Zeek's conn_state and history, handshake
RTT, retransmissions, zero windows, MSS, fragments, ICMP errors, the TLS
handshake and certificate chain, DNS answers and HTTP statuses, and findings
with stable codes (pathproof codes --domain pcap), worst first.

Exit status: 0 when the whole capture was read, 4 when reading stopped early
(truncated or corrupt file) or frames could not be decoded: the results
cover what was read and stderr says where and why reading stopped; 2 for a
bad command line.

` + filter.HelpFor(pcapFilters...),
		Example: `  pathproof pcap capture.cap
  pathproof pcap --port 443 --output json gateway.pcapng
  pathproof pcap -o jsonl capture.cap | jq -c 'select(.findings != null)' 
  tcpdump -w - -i eth0 port 53 | pathproof pcap -`,
		Args: cobra.ExactArgs(1),
	}
	out := addOutputFlag(cmd, "json", "jsonl")
	filter.AddFlags(cmd.Flags(), &spec, pcapFilters...)
	cmd.Flags().BoolVar(&all, "all", false, fmt.Sprintf("list every connection (the human report shows the %d worst in detail and %d in its table)", pcaprender.DetailLimit, pcaprender.TableLimit))
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		f, err := filter.Parse(spec)
		if err != nil {
			return Usagef("%v", err)
		}
		name := args[0]
		var r io.Reader
		if name == "-" {
			r = env.Stdin
		} else {
			fh, err := os.Open(name)
			if err != nil {
				return Usagef("%s: %v", name, lgNoPath(err))
			}
			defer fh.Close()
			r = bufio.NewReaderSize(fh, 1<<20)
		}
		opts := pcap.Options{File: name}
		clearProgress := func(*pcap.Report) {}
		if isTerminal(env.Stderr) {
			opts.Progress, clearProgress = pcaprender.Progress(env.Stderr, name)
		}
		// The summary keeps what the report prints, bounded whatever the
		// capture's length; -o json, -o jsonl and --all keep every
		// connection in temporary files.
		keepAll := out.String() != "table" || all
		sum := pcap.NewSummary(pcap.SummaryOptions{
			Keep:  func(c *pcap.Connection) bool { return f.MatchEndpoints(c.Protocol, c.Client, c.Server) },
			Table: pcaprender.TableLimit, Detail: pcaprender.DetailLimit,
			All: keepAll,
		})
		if keepAll && os.Getenv("GOGC") == "" { // a GOGC the user set is theirs
			// Keeping every connection holds sorted runs besides the live
			// connections, and the collector's default lets the heap grow
			// to twice that: as the JSON path got faster (#16) its peak
			// RSS rose 7-10 MB (270 k connections: 85 to 94 MB). Collecting at
			// half the default brings it back for 3-5 % more time
			// (docs/PERFORMANCE.md, "Captures of many short connections").
			defer debug.SetGCPercent(debug.SetGCPercent(50))
		}
		defer sum.Close()
		rep, err := pcap.Stream(r, opts, sum.Add)
		clearProgress(rep)
		if err != nil {
			return fmt.Errorf("pcap: %s: %w", name, err)
		}
		if err := sum.Err(); err != nil {
			return fmt.Errorf("pcap: %w", err)
		}
		switch out.String() {
		case "json":
			err = pcaprender.JSON(env.Stdout, rep, sum)
		case "jsonl":
			err = pcaprender.JSONLines(env.Stdout, sum)
		default:
			err = pcaprender.Human(env.Stdout, rep, sum)
		}
		if err != nil {
			return err
		}
		pcaprender.Problems(env.Stderr, rep)
		if rep.Partial() {
			return Partial()
		}
		return nil
	}
	return cmd
}
