// Command flowgen writes VNet flow logs of the "many flow-log resources,
// busy NICs" shape for bench/oneshot.sh: R flow-log resources (one VNet
// each) × N NICs × H hourly PT1H.json blobs, one record a minute, each
// record holding between -min and -max tuples (uniform) spread over four
// rule groups. It prints, as one JSON line, the totals and the question
// the benchmark asks (a NIC's address, a busy destination it calls on 443).
//
//	go run ./bench/flowgen -out DIR -resources 24 -nics 3 -hours 2 -min 150 -max 450
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

type options struct {
	out                    string
	resources, nics, hours int
	minTuples, maxTuples   int
	seed                   uint64
	start                  time.Time
	peers, popularPerMille int
}

func main() {
	var o options
	flag.StringVar(&o.out, "out", "", "output folder (storage-account layout below it)")
	flag.IntVar(&o.resources, "resources", 24, "flow-log resources (VNets)")
	flag.IntVar(&o.nics, "nics", 3, "NICs per flow-log resource")
	flag.IntVar(&o.hours, "hours", 2, "hourly blobs per NIC")
	flag.IntVar(&o.minTuples, "min", 150, "fewest tuples in a minute record")
	flag.IntVar(&o.maxTuples, "max", 450, "most tuples in a minute record")
	flag.IntVar(&o.peers, "peers", 400, "distinct outbound destinations")
	flag.IntVar(&o.popularPerMille, "popular", 20, "per mille of outbound tuples that go to the question's destination")
	flag.Uint64Var(&o.seed, "seed", 7, "random seed")
	flag.Parse()
	o.start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if o.out == "" || o.resources < 1 || o.nics < 1 || o.hours < 1 || o.minTuples < 1 || o.maxTuples < o.minTuples {
		fmt.Fprintln(os.Stderr, "flowgen: -out is required; counts must be positive and -max >= -min")
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "flowgen:", err)
		os.Exit(1)
	}
}

// group indexes: one rule group of a record each.
const (
	gWebOut = iota
	gInternetOut
	gVnetIn
	gDenyIn
	nGroups
)

var rules = [nGroups]string{"UserRule_AllowWebOut", "DefaultRule_AllowInternetOutBound", "UserRule_AllowVnetApps", "DefaultRule_DenyAllInBound"}

type nic struct {
	mac string
	ip  netip.Addr
}

func run(o options) error {
	rng := rand.New(rand.NewPCG(o.seed, 99))
	peers := make([]netip.Addr, o.peers)
	for i := range peers {
		peers[i] = netip.AddrFrom4([4]byte{20, byte(40 + i/250), byte(i % 250), byte(10 + rng.IntN(200))})
	}
	popular := peers[0]
	nics := make([][]nic, o.resources)
	for r := range nics {
		for n := 0; n < o.nics; n++ {
			nics[r] = append(nics[r], nic{
				mac: fmt.Sprintf("00224%X%06X", r%16, r<<12|n),
				ip:  netip.AddrFrom4([4]byte{10, byte(r), byte(n / 200), byte(4 + n%200)}),
			})
		}
	}
	var tuples, bytes int64
	var groups [nGroups][]string
	var buf []byte
	for r := 0; r < o.resources; r++ {
		sub := fmt.Sprintf("%08x-0000-4000-8000-%012x", r+1, r+1)
		vnet := fmt.Sprintf("vnet-app%02d", r)
		fl := strings.ToUpper("/SUBSCRIPTIONS/" + sub + "/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NETWORKWATCHER_WESTEUROPE/FLOWLOGS/" + vnet + "-FLOWLOG")
		target := "/subscriptions/" + sub + "/resourceGroups/rg-app/providers/Microsoft.Network/virtualNetworks/" + vnet
		dir := filepath.Join(o.out, "insights-logs-flowlogflowevent", "flowLogResourceID=", strings.ToUpper(sub)+"_NETWORKWATCHERRG", "NETWORKWATCHER_WESTEUROPE_"+strings.ToUpper(vnet)+"-FLOWLOG")
		guid := fmt.Sprintf("%08x-1111-4222-8333-%012x", rng.Uint32(), rng.Uint64()>>16)
		acl := fmt.Sprintf("%08x-aaaa-4bbb-8ccc-%012x", rng.Uint32(), rng.Uint64()>>16)
		for h := 0; h < o.hours; h++ {
			hour := o.start.Add(time.Duration(h) * time.Hour)
			for ni, me := range nics[r] {
				p := filepath.Join(dir, fmt.Sprintf("y=%04d/m=%02d/d=%02d/h=%02d/m=00", hour.Year(), int(hour.Month()), hour.Day(), hour.Hour()), "macAddress="+me.mac, "PT1H.json")
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					return err
				}
				f, err := os.Create(p)
				if err != nil {
					return err
				}
				w := bufio.NewWriterSize(f, 1<<20)
				w.WriteString(`{"records":[`)
				for m := 0; m < 60; m++ {
					minute := hour.Add(time.Duration(m) * time.Minute)
					k := o.minTuples + rng.IntN(o.maxTuples-o.minTuples+1)
					for g := range groups {
						groups[g] = groups[g][:0]
					}
					base := minute.UnixMilli()
					for i := 0; i < k; i++ {
						buf = buf[:0]
						ts := base + int64(rng.IntN(60000))
						var src, dst netip.Addr
						var sport, dport, proto int
						dir, state := byte('O'), byte('C')
						g := gWebOut
						switch x := rng.IntN(100); {
						case x < 55: // outbound to a service, 443 mostly
							dst = peers[rng.IntN(len(peers))]
							if rng.IntN(1000) < o.popularPerMille {
								dst = popular
							}
							src, sport, dport, proto = me.ip, 1024+rng.IntN(64000), 443, 6
							if rng.IntN(8) == 0 {
								dport, g = 80, gInternetOut
							}
						case x < 70: // to another NIC of the VNet (SQL)
							peer := nics[r][(ni+1)%len(nics[r])]
							src, dst, sport, dport, proto = me.ip, peer.ip, 1024+rng.IntN(64000), 1433, 6
							g = gInternetOut
						case x < 80: // from another NIC, allowed
							peer := nics[r][(ni+len(nics[r])-1)%len(nics[r])]
							src, dst, sport, dport, proto, dir = peer.ip, me.ip, 1024+rng.IntN(64000), 8080, 6, 'I'
							g = gVnetIn
						case x < 85: // DNS to the platform resolver
							src, dst, sport, dport, proto = me.ip, netip.AddrFrom4([4]byte{168, 63, 129, 16}), 1024+rng.IntN(64000), 53, 17
							g = gInternetOut
						default: // scans from the internet, denied
							src = netip.AddrFrom4([4]byte{byte(45 + rng.IntN(150)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(1 + rng.IntN(254))})
							dst, sport, dport, proto, dir, state = me.ip, 1024+rng.IntN(64000), [...]int{22, 3389, 445, 23, 8443}[rng.IntN(5)], 6, 'I', 'D'
							g = gDenyIn
						}
						if state != 'D' {
							state = "BCCE"[rng.IntN(4)]
						}
						buf = strconv.AppendInt(buf, ts, 10)
						buf = append(buf, ',')
						buf = src.AppendTo(buf)
						buf = append(buf, ',')
						buf = dst.AppendTo(buf)
						buf = append(buf, ',')
						buf = strconv.AppendInt(buf, int64(sport), 10)
						buf = append(buf, ',')
						buf = strconv.AppendInt(buf, int64(dport), 10)
						buf = append(buf, ',')
						buf = strconv.AppendInt(buf, int64(proto), 10)
						buf = append(buf, ',', dir, ',', state, ',')
						buf = append(buf, "NX"...)
						if state == 'B' || state == 'D' {
							buf = append(buf, ",,,,"...)
						} else {
							ps, pr := 1+rng.IntN(50), 1+rng.IntN(80)
							for _, c := range [4]int{ps, ps * (60 + rng.IntN(1400)), pr, pr * (60 + rng.IntN(1400))} {
								buf = append(buf, ',')
								buf = strconv.AppendInt(buf, int64(c), 10)
							}
						}
						groups[g] = append(groups[g], string(buf))
					}
					tuples += int64(k)
					if m > 0 {
						w.WriteByte(',')
					}
					rec := minute.Add(58 * time.Second).Format("2006-01-02T15:04:05.0000000Z")
					fmt.Fprintf(w, `{"time":"%s","flowLogVersion":4,"flowLogGUID":"%s","macAddress":"%s","category":"FlowLogFlowEvent","flowLogResourceID":"%s","targetResourceID":"%s","operationName":"FlowLogFlowEvent","flowRecords":{"flows":[{"aclID":"%s","flowGroups":[`,
						rec, guid, me.mac, fl, target, acl)
					first := true
					for g, ts := range groups {
						if len(ts) == 0 {
							continue
						}
						if !first {
							w.WriteByte(',')
						}
						first = false
						fmt.Fprintf(w, `{"rule":"%s","flowTuples":["%s"]}`, rules[g], strings.Join(ts, `","`))
					}
					w.WriteString(`]}]}}`)
				}
				w.WriteString("]}")
				if err := w.Flush(); err != nil {
					return err
				}
				st, _ := f.Stat()
				bytes += st.Size()
				if err := f.Close(); err != nil {
					return err
				}
			}
		}
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"blobs": o.resources * o.nics * o.hours, "tuples": tuples, "bytes": bytes,
		"src": nics[0][0].ip.String(), "dst": popular.String(), "port": 443, "proto": "tcp",
	})
}
