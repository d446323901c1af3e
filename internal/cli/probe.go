package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/probe"
	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/render/proberender"
)

func init() { register("probe", newProbeCmd) }

func newProbeCmd(env *Env) *cobra.Command {
	var o probe.Options
	var v4, v6 bool
	cmd := &cobra.Command{
		Use:   "probe TARGET",
		Short: "Probe a target (DNS, TCP, TLS, HTTP, ICMP) and say why it fails",
		Long: `Resolve TARGET, connect, handshake TLS and send an HTTP request or an ICMP
echo, from wherever pathproof runs. A failure gets a stable class (see
'pathproof codes --domain probe'), the evidence and a hint; the TLS chain is
reported even when it does not verify. Timings are curl's --write-out times.

TARGET is a name, an IP, HOST:PORT or an http(s):// URL.

Exit status: 0 reachable, 1 failed, 2 usage error, 4 partly reachable (some
addresses or some attempts failed).`,
		Example: `  pathproof probe 10.1.0.4:443
  pathproof probe https://myvault.vault.azure.net/healthstatus --resolver 168.63.129.16
  pathproof probe mystorage.blob.core.windows.net --protocol dns --resolver 10.0.0.4
  pathproof probe app.internal --protocol tls --ca corp-root.pem --connect-to 10.2.0.10
  pathproof probe 10.1.0.4 --protocol icmp --count 20 --interval 200ms`,
		Args: cobra.ExactArgs(1),
	}
	f := cmd.Flags()
	f.IntVarP(&o.Port, "port", "p", 0, "port (default: 443 for tls/https, 80 for http; required for tcp)")
	f.StringVar(&o.Protocol, "protocol", "", "tcp|tls|https|http|dns|icmp (default: from the URL, else tcp)")
	f.IntVarP(&o.Count, "count", "c", 1, "attempts per address (loss, RTT statistics and jitter over them)")
	f.DurationVarP(&o.Interval, "interval", "i", time.Second, "pause between attempts")
	f.DurationVar(&o.Timeout, "timeout", 5*time.Second, "time limit of one attempt (and of the DNS lookup)")
	f.StringVar(&o.Resolver, "resolver", "", "ask this DNS server (IP[:PORT]) instead of the system resolver")
	f.StringVar(&o.AddressMode, "address-mode", "first", "first|each: probe the first resolved address or every one")
	f.BoolVarP(&v4, "ipv4", "4", false, "resolve and probe IPv4 addresses only")
	f.BoolVarP(&v6, "ipv6", "6", false, "resolve and probe IPv6 addresses only")
	f.StringVar(&o.SNI, "sni", "", "TLS server name to send and verify (default: the target name)")
	f.StringVar(&o.CAFile, "ca", "", "PEM file of trusted roots to judge the chain with, instead of the system store")
	f.StringVar(&o.ConnectTo, "connect-to", "", "connect to this IP instead of resolving; SNI and Host stay the target name")
	f.BoolVar(&o.FetchAIA, "fetch-aia", false, "download missing intermediates named in the certificate's AIA, as browsers do")
	f.StringVar(&o.Method, "method", "", "HTTP method (default GET)")
	f.StringVar(&o.Path, "path", "", "HTTP path (default / or the URL's)")
	f.StringVar(&o.Expect, "expect", "", "accepted HTTP statuses, e.g. 200-299,3xx (default "+probe.DefaultStatusRanges+")")
	out := addOutputFlag(cmd, "json")
	cmd.RunE = func(c *cobra.Command, args []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		// probe.Options reads a zero as "the default": a zero the user
		// typed is refused, not silently replaced.
		if err := refuseZero(c, "timeout", o.Timeout == 0, "5s"); err != nil {
			return err
		}
		if err := refuseZero(c, "interval", o.Interval == 0, "1s"); err != nil {
			return err
		}
		if err := refuseZero(c, "count", o.Count == 0, "1"); err != nil {
			return err
		}
		if v4 && v6 {
			return Usagef("-4 and -6 exclude each other")
		}
		if v4 {
			o.Family = "ip4"
		} else if v6 {
			o.Family = "ip6"
		}
		o.Target = args[0]
		plan, err := o.Plan()
		if err != nil {
			return probeUsage(err)
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if isTerminal(env.Stderr) {
			fmt.Fprintf(env.Stderr, "probing %s (%s) ...\n", render.Escape(plan.Target), plan.Protocol)
		}
		res, err := probe.Run(ctx, plan)
		if err != nil {
			return err
		}
		if out.String() == "json" {
			if err := render.JSON(env.Stdout, res); err != nil {
				return err
			}
		} else if err := proberender.Human(env.Stdout, res); err != nil {
			return err
		}
		return probeExit(res)
	}
	return cmd
}

// refuseZero is the usage error for a flag given explicitly as zero.
func refuseZero(c *cobra.Command, name string, zero bool, def string) error {
	if zero && c.Flags().Changed(name) {
		return Usagef("--%s %s: must be more than zero (the default is %s)", name, c.Flags().Lookup(name).Value, def)
	}
	return nil
}

// probeFlags names the probe.Options fields as the command's flags.
var probeFlags = map[string]string{
	"Target": "TARGET", "Port": "--port", "Protocol": "--protocol", "Count": "--count", "Interval": "--interval",
	"Timeout": "--timeout", "Resolver": "--resolver", "AddressMode": "--address-mode", "Family": "-4/-6", "SNI": "--sni",
	"CAFile": "--ca", "ConnectTo": "--connect-to", "Method": "--method", "Path": "--path", "Expect": "--expect",
	"FetchAIA": "--fetch-aia",
}

// probeUsage is the usage error for options probe.Options.Plan refused,
// naming the flag of each field at fault.
func probeUsage(err error) error {
	var pe probe.PlanError
	if !errors.As(err, &pe) {
		return Usagef("%v", err)
	}
	msgs := make([]string, len(pe))
	for i, fe := range pe {
		flag, ok := probeFlags[fe.Field]
		if !ok {
			flag = fe.Field
		}
		msgs[i] = flag + ": " + fe.Msg
	}
	return Usagef("%s", strings.Join(msgs, "; "))
}

// probeExit maps a verdict to the exit status.
func probeExit(res *probe.Result) error {
	switch res.Verdict {
	case probe.VerdictReachable:
		return nil
	case probe.VerdictPartial:
		return Partial()
	default:
		return Failed()
	}
}
