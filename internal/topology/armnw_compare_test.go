package topology_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/testenv"
	"github.com/pathproof/pathproof/internal/topology"
)

// TestEffectiveRoutesMatchAzure rebuilds the network behind two effective
// route tables Azure returned (the REST specification example and a real
// az CLI test recording) and compares pathproof's effective routes with
// Azure's, route by route.
func TestEffectiveRoutesMatchAzure(t *testing.T) {
	cases := []struct {
		file, profile, design string
		// datedList: the recording is one dated sample of the platform
		// None routes, which change over time and by region (semantics
		// §2.2); extra None routes of the observed profile are reported,
		// not failed.
		datedList bool
	}{
		// A NIC in 172.20.2.0/24 (NetworkInterfaceGet's subnet), documented None routes.
		{"arm/rest-examples/NetworkInterfaceEffectiveRouteTableList.json", azure.ProfileDocumented, `vnets:
  - {name: v, address_space: [172.20.2.0/24], subnets: [{name: s, prefix: 172.20.2.0/24}]}
nics:
  - {name: nic1, subnet: v/s, ip: 172.20.2.4}
`, false},
		// az vm create's default network (10.0.0.0/16), recorded in 2021 with
		// the extra None routes Azure really returns.
		{"arm/recorded/nic-effective-route-table.rest.json", azure.ProfileObserved, `vnets:
  - {name: v, address_space: [10.0.0.0/16], subnets: [{name: s, prefix: 10.0.0.0/24}]}
nics:
  - {name: nic1, subnet: v/s, ip: 10.0.0.4}
`, true},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(testenv.Shared(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := topology.DecodeAzureJSON(data)
			if err != nil || doc.Watcher == nil || doc.Watcher.Kind != "effective-routes" {
				t.Fatalf("not read as effective routes: %v %+v", err, doc)
			}
			var want []string
			for _, r := range doc.Watcher.Routes {
				want = append(want, routeKey(r.Source, r.State, strings.Join(r.AddressPrefixes, ","), r.NextHopType))
			}
			n, err := topology.ParseDesign("design.yaml", []byte(c.design))
			if err != nil {
				t.Fatal(err)
			}
			var d topology.Diagnostics
			n.Finish(&d)
			e := azure.New(n, azure.Options{Profile: c.profile})
			var got []string
			dated := map[string]bool{}
			for _, r := range e.RoutesOfNIC(n.NIC("nic1")).Routes {
				k := routeKey(r.Source, r.State, r.PrefixString(), r.NextHopType)
				got = append(got, k)
				if c.datedList && r.NextHopType == "None" && slices.Contains(azure.ObservedNoneRoutes, r.Prefix) {
					dated[k] = true
				}
			}
			slices.Sort(want)
			slices.Sort(got)
			for _, w := range want {
				if !slices.Contains(got, w) {
					t.Errorf("Azure lists %s; pathproof does not", w)
				}
			}
			for _, g := range got {
				switch {
				case slices.Contains(want, g):
				case dated[g]:
					t.Logf("pathproof lists %s (observed profile); this dated recording does not", g)
				default:
					t.Errorf("pathproof lists %s; Azure does not", g)
				}
			}
		})
	}
}

func routeKey(source, state, prefix, hop string) string {
	return source + " " + state + " " + prefix + " " + hop
}
