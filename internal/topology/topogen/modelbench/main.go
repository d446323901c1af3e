// Command modelbench measures the offline Network Watcher on a generated
// hub-and-spoke topology: load of the design YAML, every subnet's
// effective routes, then next-hop and IP flow verify queries. bench/model.sh
// runs it; figures are compared with the targets of issue 3.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/topology/load"
	"github.com/pathproof/pathproof/internal/topology/topogen"
)

func main() {
	spec := topogen.Default
	flag.IntVar(&spec.Spokes, "spokes", spec.Spokes, "number of spokes")
	flag.IntVar(&spec.SubnetsPerSpoke, "subnets", spec.SubnetsPerSpoke, "subnets per spoke")
	flag.IntVar(&spec.NICsPerSubnet, "nics", spec.NICsPerSubnet, "NICs per subnet")
	flag.BoolVar(&spec.ILBPerSpoke, "ilb", false, "an internal load balancer per spoke (the ILB-per-spoke variant)")
	flag.BoolVar(&spec.VWAN, "vwan", false, "a Virtual WAN of two secured hubs with routing intent instead of the hub VNet (the Virtual WAN variant)")
	queries := flag.Int("queries", 10000, "next-hop and ip-flow queries each")
	flag.Parse()
	if err := run(spec, *queries); err != nil {
		fmt.Fprintln(os.Stderr, "modelbench:", err)
		os.Exit(1)
	}
}

func run(spec topogen.Spec, queries int) error {
	gen, err := topogen.Generate(spec)
	if err != nil {
		return err
	}
	data, err := topogen.JSON(gen)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "modelbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "hub-spoke.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return err
	}
	subnets := 0
	for _, v := range gen.VNets {
		subnets += len(v.Subnets)
	}
	fmt.Printf("topology: %d spokes, %d subnets, %d NICs, design JSON %.1f MB\n", spec.Spokes, subnets, len(gen.NICs), float64(len(data))/1e6)
	gen, data = nil, nil
	runtime.GC()

	t0 := time.Now()
	n, _, err := load.Load(path)
	if err != nil {
		return err
	}
	load := time.Since(t0)
	t1 := time.Now()
	e := azure.New(n, azure.Options{})
	routes := time.Since(t1)
	total := 0
	for _, v := range n.VNets {
		for _, s := range v.Subnets {
			total += len(e.Routes(s).Routes)
		}
	}
	hubRoutes := 0
	for _, h := range n.VirtualHubs {
		for _, t := range h.AllRouteTables() {
			hubRoutes += len(e.HubRoutes(t).Routes)
		}
		for _, c := range h.Connections {
			hubRoutes += len(e.HubConnectionRoutes(c).Routes)
		}
	}
	fmt.Printf("load (parse+index+validate):  %8.3f s\n", load.Seconds())
	fmt.Printf("effective routes, all subnets: %8.3f s  (%d routes; hub tables and connections: %d routes)\n", routes.Seconds(), total, hubRoutes)
	fmt.Printf("load + routes:                 %8.3f s  target < 2 s  %s\n", (load + routes).Seconds(), verdict(load+routes < 2*time.Second))

	rng := rand.New(rand.NewPCG(1, 2))
	nics := n.NICs
	dsts := make([]netip.Addr, queries)
	srcs := make([]netip.Addr, queries)
	for i := range queries {
		srcs[i] = nics[rng.IntN(len(nics))].IP
		switch i % 4 {
		case 0:
			dsts[i] = netip.MustParseAddr("8.8.8.8")
		case 1:
			dsts[i] = netip.MustParseAddr("192.168.10.7")
		default:
			dsts[i] = nics[rng.IntN(len(nics))].IP
		}
	}
	t2 := time.Now()
	for i := range queries {
		if _, err := e.NextHop(srcs[i], dsts[i]); err != nil {
			return err
		}
	}
	nh := time.Since(t2)
	t3 := time.Now()
	for i := range queries {
		o, _ := n.Owner(dsts[i])
		nic := o.NIC
		if nic == nil {
			nic = nics[i%len(nics)]
		}
		port := 443
		if i%3 == 0 {
			port = 22
		}
		if _, err := e.IPFlowVerify(nic, azure.Flow{Direction: azure.Inbound, Protocol: "TCP", LocalIP: nic.IP, LocalPort: port, RemoteIP: srcs[i], RemotePort: 50000}); err != nil {
			return err
		}
	}
	ipf := time.Since(t3)
	per := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(queries) }
	fmt.Printf("next-hop: %d queries %8.3f s  %8.0f/s  %6.2f µs/query  target < 50 µs  %s\n", queries, nh.Seconds(), float64(queries)/nh.Seconds(), per(nh), verdict(per(nh) < 50))
	fmt.Printf("ip-flow:  %d queries %8.3f s  %8.0f/s  %6.2f µs/query  target < 50 µs  %s\n", queries, ipf.Seconds(), float64(queries)/ipf.Seconds(), per(ipf), verdict(per(ipf) < 50))
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("Go runtime: heap in use %.0f MB, obtained from OS %.0f MB\n", float64(ms.HeapInuse)/1e6, float64(ms.Sys)/1e6)
	return nil
}

func verdict(ok bool) string {
	if ok {
		return "OK"
	}
	return "MISSED"
}
