package load

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pathproof/pathproof/internal/topology/topotest"
)

// TestAdminRulesFromAVNM reads security admin rules in the ARM shape
// (rule → rule collection → network group → static members) from two
// files, the rule's network group listing a VNet by its upper-cased id.
func TestAdminRulesFromAVNM(t *testing.T) {
	nm := idp + "networkManagers/nm1"
	files := map[string]string{
		"avnm.json": `{"value":[
  {"id":"` + nm + `","name":"nm1","type":"Microsoft.Network/networkManagers","properties":{"networkManagerScopes":{"subscriptions":["/subscriptions/s"]}}},
  {"id":"` + nm + `/networkGroups/ng1","name":"ng1","type":"Microsoft.Network/networkManagers/networkGroups","properties":{"memberType":"VirtualNetwork"}},
  {"id":"` + nm + `/networkGroups/ng1/staticMembers/sm1","name":"sm1","type":"Microsoft.Network/networkManagers/networkGroups/staticMembers","properties":{"resourceId":"` + strings.ToUpper(idp) + `VIRTUALNETWORKS/V"}},
  {"id":"` + nm + `/securityAdminConfigurations/GlobalRules","name":"GlobalRules","type":"Microsoft.Network/networkManagers/securityAdminConfigurations","properties":{}},
  {"id":"` + nm + `/securityAdminConfigurations/GlobalRules/ruleCollections/rc1","name":"rc1","type":"Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections","properties":{"appliesToGroups":[{"networkGroupId":"` + nm + `/networkGroups/ng1"}]}},
  {"id":"` + nm + `/securityAdminConfigurations/GlobalRules/ruleCollections/rc1/rules/DenySSH","name":"DenySSH","type":"Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules","kind":"Custom",
   "properties":{"priority":5,"direction":"Inbound","access":"Deny","protocol":"Tcp","sources":[{"addressPrefix":"Internet","addressPrefixType":"ServiceTag"},{"addressPrefix":"` + nm + `/networkGroups/ng2","addressPrefixType":"NetworkGroup"}],
   "destinations":[{"addressPrefix":"10.0.1.0/24","addressPrefixType":"IPPrefix"}],"sourcePortRanges":[],"destinationPortRanges":["22"]}}]}`,
		"vnet.json": `[{"id":"` + idp + `virtualNetworks/v","name":"v","type":"Microsoft.Network/virtualNetworks","addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"subnets":[{"id":"` + idp + `virtualNetworks/v/subnets/s","name":"s","addressPrefix":"10.0.1.0/24"}]}]`,
	}
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	n, d, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0].Message, "network group address prefixes are not modelled") {
		t.Errorf("warnings:\n%s", topotest.DiagLines(d.Warnings))
	}
	if len(n.AdminRules) != 1 {
		t.Fatalf("%d admin rules, want 1", len(n.AdminRules))
	}
	a := n.AdminRules[0]
	got := strings.Join([]string{a.Name, a.Configuration, strings.Join(a.AppliesToVNets, ","), strconv.Itoa(a.Priority), a.Direction, a.Action, a.Protocol,
		strings.Join(a.Source, ","), strings.Join(a.Destination, ","), strings.Join(a.DestinationPorts, ",")}, " ")
	want := "DenySSH GlobalRules v 5 Inbound Deny Tcp Internet 10.0.1.0/24 22"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
