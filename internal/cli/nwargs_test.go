package cli

import "testing"

// TestNSGDiagUsageErrors: each bad argument of nsg-diag is a usage error
// with its message byte for byte; when two are wrong, the first in the
// order direction, protocol, port, source/destination is the one named.
func TestNSGDiagUsageErrors(t *testing.T) {
	topo := demoTopo(t)
	cases := []struct {
		set  map[string]string
		want string
	}{
		{map[string]string{"--direction": "Sideways"}, "--direction must be Inbound or Outbound"},
		{map[string]string{"--protocol": "SCTP"}, "--protocol must be TCP, UDP, ICMP or Any"},
		{map[string]string{"--port": "70000"}, `--port "70000" is not a port or *`},
		{map[string]string{"--port": "ssh"}, `--port "ssh" is not a port or *`},
		{map[string]string{"--source": ""}, "--source and --destination are required"},
		{map[string]string{"--destination": ""}, "--source and --destination are required"},
		{map[string]string{"--destination": "web"}, `destination "web" is not an IP address`},
		{map[string]string{"--direction": "out", "--source": "10.11.1.0/24"}, "outbound: source must be the NIC's IP address"},
		{map[string]string{"--direction": "Sideways", "--source": ""}, "--direction must be Inbound or Outbound"},
		{map[string]string{"--protocol": "SCTP", "--port": "x"}, "--protocol must be TCP, UDP, ICMP or Any"},
		{map[string]string{"--port": "x", "--destination": ""}, `--port "x" is not a port or *`},
	}
	for _, c := range cases {
		args := flagArgs([]string{"nsg-diag", "-t", topo}, c.set, "--direction", "Inbound", "--protocol", "tcp", "--source", "10.11.1.4", "--destination", "10.12.1.4", "--port", "22")
		code, out, errs := run(args...)
		if want := "pathproof: " + c.want + "\n"; code != ExitUsage || out != "" || errs != want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.set, code, out, errs, want)
		}
	}
}

// TestFirewallUsageErrors: each bad argument of firewall is a usage error
// with its message byte for byte, the first wrong one in flag order named.
func TestFirewallUsageErrors(t *testing.T) {
	topo := demoTopo(t)
	cases := []struct {
		set  map[string]string
		want string
	}{
		{map[string]string{"--firewall": ""}, "give --firewall (or --policy)"},
		{map[string]string{"--protocol": "FTP"}, "--protocol must be TCP, UDP, ICMP, HTTP, HTTPS or MSSQL"},
		{map[string]string{"--protocol": ""}, "--protocol must be TCP, UDP, ICMP, HTTP, HTTPS or MSSQL"},
		{map[string]string{"--arrived-on": "Public"}, "--arrived-on must be internal or public"},
		{map[string]string{"--fqdn": "a.example:443"}, "give exactly one of --dst IP:PORT and --fqdn NAME:PORT"},
		{map[string]string{"--dst": ""}, "give exactly one of --dst IP:PORT and --fqdn NAME:PORT"},
		{map[string]string{"--src": "vm1"}, `--src "vm1" is not IP:PORT`},
		{map[string]string{"--dst": "10.12.1.4"}, `--dst "10.12.1.4" is not IP:PORT`},
		{map[string]string{"--dst": "", "--fqdn": "a.example"}, `--fqdn "a.example" is not NAME:PORT`},
		{map[string]string{"--dst": "", "--fqdn": "a.example:https"}, `--fqdn "a.example:https": bad port`},
		{map[string]string{"--firewall": "", "--protocol": "FTP"}, "give --firewall (or --policy)"},
		{map[string]string{"--protocol": "FTP", "--arrived-on": "x"}, "--protocol must be TCP, UDP, ICMP, HTTP, HTTPS or MSSQL"},
		{map[string]string{"--arrived-on": "x", "--fqdn": "a:1"}, "--arrived-on must be internal or public"},
		{map[string]string{"--fqdn": "a:1", "--src": "x"}, "give exactly one of --dst IP:PORT and --fqdn NAME:PORT"},
		{map[string]string{"--src": "x", "--dst": "y"}, `--src "x" is not IP:PORT`},
	}
	for _, c := range cases {
		args := flagArgs([]string{"firewall", "-t", topo}, c.set, "--firewall", "fw-hub", "--protocol", "tcp", "--src", "10.11.1.4", "--dst", "10.12.1.4:22", "--fqdn", "", "--arrived-on", "internal")
		code, out, errs := run(args...)
		if want := "pathproof: " + c.want + "\n"; code != ExitUsage || out != "" || errs != want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.set, code, out, errs, want)
		}
	}
}

// TestNextHopUsageErrors: next-hop's message, byte for byte, whichever
// end is not an IP address.
func TestNextHopUsageErrors(t *testing.T) {
	topo := demoTopo(t)
	for _, set := range []map[string]string{{"--from": "web1"}, {"--to": ""}, {"--from": "10.11.1.0/24"}} {
		code, out, errs := run(flagArgs([]string{"next-hop", "-t", topo}, set, "--from", "10.11.1.4", "--to", "10.12.1.4")...)
		if want := "pathproof: --from and --to must be IP addresses\n"; code != ExitUsage || out != "" || errs != want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", set, code, out, errs, want)
		}
	}
}

// flagArgs appends the flag/value pairs of defaults to args, each value
// replaced by set's when set has the flag.
func flagArgs(args []string, set map[string]string, defaults ...string) []string {
	for i := 0; i+1 < len(defaults); i += 2 {
		f, v := defaults[i], defaults[i+1]
		if s, ok := set[f]; ok {
			v = s
		}
		args = append(args, f+"="+v)
	}
	return args
}

// TestRoutesUsageErrors: routes' argument messages, byte for byte: exactly
// one question, the hub's own flags only with --hub, and --ip an address.
func TestRoutesUsageErrors(t *testing.T) {
	topo := demoTopo(t)
	one := "give exactly one of --nic, --subnet, --ip, --compare-effective, --hub"
	cases := []struct {
		set  map[string]string
		want string
	}{
		{map[string]string{}, one},
		{map[string]string{"--nic": "web-nic", "--subnet": "spoke/web"}, one},
		{map[string]string{"--ip": "10.11.1.4", "--hub": "hub1"}, one},
		{map[string]string{"--nic": "web-nic", "--compare-effective": "web-nic"}, one},
		{map[string]string{"--ip": "web1", "--subnet": "spoke/web"}, one},
		{map[string]string{"--nic": "web-nic", "--route-table": "RT"}, "--route-table and --connection need --hub"},
		{map[string]string{"--nic": "web-nic", "--connection": "c1"}, "--route-table and --connection need --hub"},
		{map[string]string{"--hub": "hub1", "--route-table": "RT", "--connection": "c1"}, "give --route-table or --connection, not both"},
		{map[string]string{"--ip": "web1", "--route-table": "RT"}, "--route-table and --connection need --hub"},
		{map[string]string{"--ip": "web1"}, `--ip "web1" is not an IP address`},
		{map[string]string{"--ip": "10.11.1.0/24"}, `--ip "10.11.1.0/24" is not an IP address`},
	}
	for _, c := range cases {
		args := flagArgs([]string{"routes", "-t", topo}, c.set, "--nic", "", "--subnet", "", "--ip", "", "--compare-effective", "", "--hub", "", "--route-table", "", "--connection", "")
		code, out, errs := run(args...)
		if want := "pathproof: " + c.want + "\n"; code != ExitUsage || out != "" || errs != want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.set, code, out, errs, want)
		}
	}
}
