package logs

import (
	"testing"
)

// The 30 verbatim legacy msg variants of docs/log-formats.md §4.3.1, with the
// fields the grammar of §4.3.2 must find. Unset ports are -1.
func TestParseFirewallMsgVariants(t *testing.T) {
	type M = FirewallMsg
	base := func(m M) M {
		if m.SrcPort == 0 {
			m.SrcPort = -1
		}
		if m.DstPort == 0 {
			m.DstPort = -1
		}
		if m.NATPort == 0 {
			m.NATPort = -1
		}
		return m
	}
	cases := []struct {
		n    int
		msg  string
		want M
	}{
		{1, "TCP request from 111.35.136.173:12518 to 13.78.143.217:2323. Action: Deny",
			M{Protocol: "TCP", SrcHost: "111.35.136.173", SrcPort: 12518, HasDst: true, DstHost: "13.78.143.217", DstPort: 2323, Action: "Deny"}},
		{2, "UDP request from 192.168.0.2:51106 to 89.160.20.156:53. Action: Allow. ",
			M{Protocol: "UDP", SrcHost: "192.168.0.2", SrcPort: 51106, HasDst: true, DstHost: "89.160.20.156", DstPort: 53, Action: "Allow"}},
		{3, "TCP request from 192.168.0.2:49680 to 89.160.20.156:1688. Action: Deny. ",
			M{Protocol: "TCP", SrcHost: "192.168.0.2", SrcPort: 49680, HasDst: true, DstHost: "89.160.20.156", DstPort: 1688, Action: "Deny"}},
		{4, "ICMP Type=8 request from 192.168.0.2 to 89.160.20.156. Action: Deny. ",
			M{Protocol: "ICMP Type=8", SrcHost: "192.168.0.2", HasDst: true, DstHost: "89.160.20.156", Action: "Deny"}},
		{5, "ICMP request from 10.0.2.4 to 10.0.3.4. Action: Allow",
			M{Protocol: "ICMP", SrcHost: "10.0.2.4", HasDst: true, DstHost: "10.0.3.4", Action: "Allow"}},
		{6, "TCP request from 192.168.0.2:49680 to 89.160.20.156:1688. Action: Allow. Policy: ABC-DEF-01. Rule Collection Group: DefaultNetworkRuleCollectionGroup. Rule Collection: NetworkRulesAllow. Rule: AllowInternetOut",
			M{Protocol: "TCP", SrcHost: "192.168.0.2", SrcPort: 49680, HasDst: true, DstHost: "89.160.20.156", DstPort: 1688, Action: "Allow", Policy: "ABC-DEF-01", RuleCollectionGroup: "DefaultNetworkRuleCollectionGroup", RuleCollection: "NetworkRulesAllow", Rule: "AllowInternetOut"}},
		{7, "TCP request from 10.0.4.4:44432 to 10.0.6.7:80. Action: Allow. Rule Collection: RevProxy. Rule: WebsiteRequest",
			M{Protocol: "TCP", SrcHost: "10.0.4.4", SrcPort: 44432, HasDst: true, DstHost: "10.0.6.7", DstPort: 80, Action: "Allow", RuleCollection: "RevProxy", Rule: "WebsiteRequest"}},
		{8, "TCP request from 192.168.0.2:50306 to 89.160.20.156:3389. Action: Allow.. Rule Collection: Permit_RFC1918. Rule: Permit_RFC1918",
			M{Protocol: "TCP", SrcHost: "192.168.0.2", SrcPort: 50306, HasDst: true, DstHost: "89.160.20.156", DstPort: 3389, Action: "Allow", RuleCollection: "Permit_RFC1918", Rule: "Permit_RFC1918"}},
		{9, "TCP request from 192.168.0.2:50306 to 89.160.20.156:3389 was DNAT'ed to 10.0.0.2:3389",
			M{Protocol: "TCP", SrcHost: "192.168.0.2", SrcPort: 50306, HasDst: true, DstHost: "89.160.20.156", DstPort: 3389, NATHost: "10.0.0.2", NATPort: 3389}},
		{10, "TCP request from 192.168.0.2:50306 to 89.160.20.156:3389 was DNAT'ed to 10.0.0.2:3389. Policy: policy-01. Rule Collection Group: DefaultDnatRuleCollectionGroup. Rule Collection: DNAT. Rule: rule",
			M{Protocol: "TCP", SrcHost: "192.168.0.2", SrcPort: 50306, HasDst: true, DstHost: "89.160.20.156", DstPort: 3389, NATHost: "10.0.0.2", NATPort: 3389, Policy: "policy-01", RuleCollectionGroup: "DefaultDnatRuleCollectionGroup", RuleCollection: "DNAT", Rule: "rule"}},
		{11, "TCP request from 192.168.0.2:50306 to 89.160.20.156:3388 was DNAT'ed to 10.0.0.2:3388. Rule Collection: DNAT. Rule: rule",
			M{Protocol: "TCP", SrcHost: "192.168.0.2", SrcPort: 50306, HasDst: true, DstHost: "89.160.20.156", DstPort: 3388, NATHost: "10.0.0.2", NATPort: 3388, RuleCollection: "DNAT", Rule: "rule"}},
		{12, "TCP request from 192.168.0.2:51890 to 175.16.199.1:443. Action: drop. Signature: 2028816. IDS: JA3 Hash - [Abuse.ch] Possible Tofsee. Priority: 3. Classification: Unknown Traffic",
			M{Protocol: "TCP", SrcHost: "192.168.0.2", SrcPort: 51890, HasDst: true, DstHost: "175.16.199.1", DstPort: 443, Action: "drop", Signature: "2028816", IDS: "JA3 Hash - [Abuse.ch] Possible Tofsee", Priority: "3", Classification: "Unknown Traffic"}},
		{13, "TCP request from 192.168.0.2:54854 to 175.16.199.1:1521. Action: alert. Signature: 2102649. IDS: SQL service_name buffer overflow attempt. Priority: 1. Classification: Attempted User Privilege Gain",
			M{Protocol: "TCP", SrcHost: "192.168.0.2", SrcPort: 54854, HasDst: true, DstHost: "175.16.199.1", DstPort: 1521, Action: "alert", Signature: "2102649", IDS: "SQL service_name buffer overflow attempt", Priority: "1", Classification: "Attempted User Privilege Gain"}},
		{14, "ICMP request from 192.168.0.2: to 175.16.199.1:. Action: alert. Signature: 2100366. IDS: ICMP_INFO PING *NIX. Priority: 3. Classification: Misc activity",
			M{Protocol: "ICMP", SrcHost: "192.168.0.2", HasDst: true, DstHost: "175.16.199.1", Action: "alert", Signature: "2100366", IDS: "ICMP_INFO PING *NIX", Priority: "3", Classification: "Misc activity"}},
		{15, "TCP request from 10.0.100.5:16036 to 10.0.20.10:80. Action: Alert. Rule: 2032081. IDS: USER_AGENTS Suspicious User Agent (HaxerMen). Priority: 1. Classification: A Network Trojan was detected",
			M{Protocol: "TCP", SrcHost: "10.0.100.5", SrcPort: 16036, HasDst: true, DstHost: "10.0.20.10", DstPort: 80, Action: "Alert", Signature: "2032081", IDS: "USER_AGENTS Suspicious User Agent (HaxerMen)", Priority: "1", Classification: "A Network Trojan was detected"}},
		{16, "HTTP request from 10.0.0.5:54074 to somemaliciousdomain.com:80. Action: Alert. ThreatIntel: Bot Networks",
			M{Protocol: "HTTP", SrcHost: "10.0.0.5", SrcPort: 54074, HasDst: true, DstHost: "somemaliciousdomain.com", DstPort: 80, Action: "Alert", ThreatIntel: "Bot Networks"}},
		{17, "HTTP request from 192.168.0.2:54314 to ocsp.sca1b.amazontrust.com:80. Url: ocsp.sca1b.amazontrust.com. Action: Deny. ThreatIntel: Bot Networks",
			M{Protocol: "HTTP", SrcHost: "192.168.0.2", SrcPort: 54314, HasDst: true, DstHost: "ocsp.sca1b.amazontrust.com", DstPort: 80, URL: "ocsp.sca1b.amazontrust.com", Action: "Deny", ThreatIntel: "Bot Networks"}},
		{18, "HTTPS request from 10.1.0.5:55640 to mydestination.com:443. Action: Allow. Rule Collection: collection1000. Rule: rule1002",
			M{Protocol: "HTTPS", SrcHost: "10.1.0.5", SrcPort: 55640, HasDst: true, DstHost: "mydestination.com", DstPort: 443, Action: "Allow", RuleCollection: "collection1000", Rule: "rule1002"}},
		{19, "HTTPS request from 10.11.2.4:53344 to www.bing.com:443. Action: Allow. Rule Collection: ExampleRuleCollection. Rule: ExampleRule. Web Category: SearchEnginesAndPortals",
			M{Protocol: "HTTPS", SrcHost: "10.11.2.4", SrcPort: 53344, HasDst: true, DstHost: "www.bing.com", DstPort: 443, Action: "Allow", RuleCollection: "ExampleRuleCollection", Rule: "ExampleRule", WebCategory: "SearchEnginesAndPortals"}},
		{20, "HTTPS request from 10.0.0.1:49553 to guestconfiguration.azure.com:443. Action: Allow. Policy: azfwpolicy-nbfw-prd-weeu-01. Rule Collection Group: DefaultApplicationRuleCollectionGroup. Rule Collection: enablement-genericwebcategory-prd-allow-200. Rule: Allowed Business-Use Webcategories. Web Category: ComputersAndTechnology",
			M{Protocol: "HTTPS", SrcHost: "10.0.0.1", SrcPort: 49553, HasDst: true, DstHost: "guestconfiguration.azure.com", DstPort: 443, Action: "Allow", Policy: "azfwpolicy-nbfw-prd-weeu-01", RuleCollectionGroup: "DefaultApplicationRuleCollectionGroup", RuleCollection: "enablement-genericwebcategory-prd-allow-200", Rule: "Allowed Business-Use Webcategories", WebCategory: "ComputersAndTechnology"}},
		{21, "HTTP  request from 10.0.0.1:50776 to ocsp.msocsp.com:80. Url: ocsp.msocsp.com/MFQ=. Action: Allow. Policy: azfwpolicy-nbfw-prd-weeu-01. Rule Collection Group: DefaultApplicationRuleCollectionGroup. Rule Collection: generic-allow-500. Rule: Azure-to-AllowedServices, HTTP",
			M{Protocol: "HTTP", SrcHost: "10.0.0.1", SrcPort: 50776, HasDst: true, DstHost: "ocsp.msocsp.com", DstPort: 80, URL: "ocsp.msocsp.com/MFQ=", Action: "Allow", Policy: "azfwpolicy-nbfw-prd-weeu-01", RuleCollectionGroup: "DefaultApplicationRuleCollectionGroup", RuleCollection: "generic-allow-500", Rule: "Azure-to-AllowedServices, HTTP"}},
		{22, "HTTPS request from 10.0.2.4:56029 to md-qp4jv5snxgk5.z13.blob.storage.azure.net:443. Action: Deny. No rule matched. Proceeding with default action",
			M{Protocol: "HTTPS", SrcHost: "10.0.2.4", SrcPort: 56029, HasDst: true, DstHost: "md-qp4jv5snxgk5.z13.blob.storage.azure.net", DstPort: 443, Action: "Deny", Default: true}},
		{23, "HTTP  request from 10.0.2.4:60301 to au.download.windowsupdate.com:80. Url: au.download.windowsupdate.com/d/msdownload/update/software/updt/2022/04/windows10.0-kb5013890-x64-ndp48_f6451ab37c049183e0226d836b0aae8097b70472.cab. Action: Deny. No rule matched. Proceeding with default action",
			M{Protocol: "HTTP", SrcHost: "10.0.2.4", SrcPort: 60301, HasDst: true, DstHost: "au.download.windowsupdate.com", DstPort: 80, URL: "au.download.windowsupdate.com/d/msdownload/update/software/updt/2022/04/windows10.0-kb5013890-x64-ndp48_f6451ab37c049183e0226d836b0aae8097b70472.cab", Action: "Deny", Default: true}},
		{24, "HTTPS request from 10.0.0.1:59060 to instance01.westeurope.datafactory.azure.net:443. Action: Deny. Failed to resolve address adf-rt-prd-weeu-01.westeurope.datafactory.azure.net:443: lookup adf-rt-prd-weeu-01.westeurope.datafactory.azure.net on 10.0.0.53:53: no such host",
			M{Protocol: "HTTPS", SrcHost: "10.0.0.1", SrcPort: 59060, HasDst: true, DstHost: "instance01.westeurope.datafactory.azure.net", DstPort: 443, Action: "Deny", Reason: "Failed to resolve address adf-rt-prd-weeu-01.westeurope.datafactory.azure.net:443: lookup adf-rt-prd-weeu-01.westeurope.datafactory.azure.net on 10.0.0.53:53: no such host"}},
		{25, "HTTPS request from 10.0.0.1:6065. Action: Deny. Reason: SNI TLS extension was missing.",
			M{Protocol: "HTTPS", SrcHost: "10.0.0.1", SrcPort: 6065, Action: "Deny", Reason: "SNI TLS extension was missing"}},
		{26, "HTTPS request from 10.0.0.1:12345 to example.com:443. Action: Deny. Rule Collection: test. Rule: block",
			M{Protocol: "HTTPS", SrcHost: "10.0.0.1", SrcPort: 12345, HasDst: true, DstHost: "example.com", DstPort: 443, Action: "Deny", RuleCollection: "test", Rule: "block"}},
	}
	if len(cases) != 26 {
		t.Fatalf("table has %d rule variants, want 26", len(cases))
	}
	for _, c := range cases {
		got, err := ParseFirewallMsg(c.msg)
		if err != nil {
			t.Errorf("variant %d: %v", c.n, err)
			continue
		}
		if want := base(c.want); got != want {
			t.Errorf("variant %d:\n got %+v\nwant %+v", c.n, got, want)
		}
	}
}

func TestParseDNSProxyMsgVariants(t *testing.T) {
	cases := []struct {
		n    int
		msg  string
		want DNSProxyMsg
	}{
		{27, "DNS Request: 10.0.2.4:61248 - 6513 A IN wpad.example.com. udp 43 false 512 NXDOMAIN qr,rd,ra 145 0.002846368s",
			DNSProxyMsg{ClientHost: "10.0.2.4", ClientPort: 61248, QueryID: "6513", QueryType: "A", QueryClass: "IN", QueryName: "wpad.example.com.", Protocol: "udp", RequestSize: "43", DNSSECOK: "false", EDNSBuffer: "512", ResponseCode: "NXDOMAIN", Flags: "qr,rd,ra", ResponseSize: "145", Duration: "0.002846368", UpstreamPort: -1}},
		{28, "DNS Request: 10.0.2.4:61248 - 31105 A IN blob.storage.example.net. udp 60 false 512 NOERROR qr,rd,ra 216 0.003410663s",
			DNSProxyMsg{ClientHost: "10.0.2.4", ClientPort: 61248, QueryID: "31105", QueryType: "A", QueryClass: "IN", QueryName: "blob.storage.example.net.", Protocol: "udp", RequestSize: "60", DNSSECOK: "false", EDNSBuffer: "512", ResponseCode: "NOERROR", Flags: "qr,rd,ra", ResponseSize: "216", Duration: "0.003410663", UpstreamPort: -1}},
		{29, "DNS Request: 11.5.0.7:48197 – 15676 AAA IN md-l1l1pg5lcmkq.blob.core.windows.net. udp 55 false 512 NOERROR - 0 2.000301956s",
			DNSProxyMsg{ClientHost: "11.5.0.7", ClientPort: 48197, QueryID: "15676", QueryType: "AAA", QueryClass: "IN", QueryName: "md-l1l1pg5lcmkq.blob.core.windows.net.", Protocol: "udp", RequestSize: "55", DNSSECOK: "false", EDNSBuffer: "512", ResponseCode: "NOERROR", Flags: "", ResponseSize: "0", Duration: "2.000301956", UpstreamPort: -1}},
		{30, " Error: 2 time.windows.com.reddog.microsoft.com. A: read udp 10.0.1.5:49126->168.63.129.160:53: i/o timeout",
			DNSProxyMsg{Error: "2 time.windows.com.reddog.microsoft.com. A: read udp 10.0.1.5:49126->168.63.129.160:53: i/o timeout", QueryName: "time.windows.com.reddog.microsoft.com.", QueryType: "A", Protocol: "udp", ClientHost: "10.0.1.5", ClientPort: 49126, UpstreamHost: "168.63.129.160", UpstreamPort: 53}},
	}
	for _, c := range cases {
		got, err := ParseDNSProxyMsg(c.msg)
		if err != nil {
			t.Errorf("variant %d: %v", c.n, err)
			continue
		}
		if got != c.want {
			t.Errorf("variant %d:\n got %+v\nwant %+v", c.n, got, c.want)
		}
	}
}

func TestParseFirewallMsgErrors(t *testing.T) {
	for _, msg := range []string{
		"",
		"garbage",
		"TCP request from ",
		"TCP request from 10.0.0.1:99999 to 10.0.0.2:80. Action: Allow",
		"TCP request from 10.0.0.1:1 to 10.0.0.2:80. Policy: x",
		"TCP request from 10.0.0.1:1 to 10.0.0.2:80. Url: x",
		"TCP request from 10.0.0.1:1 to 10.0.0.2:80 was DNAT'ed to :5",
	} {
		if m, err := ParseFirewallMsg(msg); err == nil {
			t.Errorf("ParseFirewallMsg(%q) = %+v, want an error", msg, m)
		}
	}
	for _, msg := range []string{"", "DNS Request: 1.2.3.4:5 - x", "DNS Request: 10.0.2.4:61248 + 6513 A IN a. udp 43 false 512 NXDOMAIN qr 145 0.1s"} {
		if m, err := ParseDNSProxyMsg(msg); err == nil {
			t.Errorf("ParseDNSProxyMsg(%q) = %+v, want an error", msg, m)
		}
	}
}
