package loggen

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// PaaSOptions say what PaaS resource logs to write: Key Vault AuditEvent
// (container insights-logs-auditevent) and Storage StorageRead/StorageWrite
// (insights-logs-storageread, insights-logs-storagewrite), as JSON Lines
// PT1H.json blobs in the storage-account layout, one blob per resource per
// hour (docs/log-formats.md §1.2, §5, §6).
type PaaSOptions struct {
	// Out is the folder the insights-logs-* containers are written under.
	Out string
	// Seed makes the output reproducible.
	Seed uint64
	// Start is the first UTC hour; Hours how many hours (default 1).
	Start time.Time
	Hours int
	// KeyVault and Storage are the numbers of records in all.
	KeyVault, Storage int64
	// Subscription, ResourceGroup, Vault and StorageAccount name the
	// resources (defaults as Options, demo-kv, demostore01).
	Subscription, ResourceGroup, Vault, StorageAccount string
	// Clients are the caller addresses (default: four VNet addresses
	// 10.0.0.4-7, as Generate's NICs, and two public ones).
	Clients []netip.Addr
	// Expect, when set, receives every event the generator means to write.
	Expect func(*event.Event)
}

func (o *PaaSOptions) defaults() {
	base := Options{Start: o.Start, Subscription: o.Subscription, ResourceGroup: o.ResourceGroup, Hours: o.Hours}
	base.Defaults()
	o.Start, o.Subscription, o.ResourceGroup, o.Hours = base.Start, base.Subscription, base.ResourceGroup, base.Hours
	if o.Vault == "" {
		o.Vault = "demo-kv"
	}
	if o.StorageAccount == "" {
		o.StorageAccount = "demostore01"
	}
	if len(o.Clients) == 0 {
		for i := 0; i < 4; i++ {
			o.Clients = append(o.Clients, netip.AddrFrom4([4]byte{10, 0, 0, byte(4 + i)}))
		}
		o.Clients = append(o.Clients, netip.MustParseAddr("20.61.15.7"), netip.MustParseAddr("40.113.20.9"))
	}
}

// kvRecord is a raw Key Vault AuditEvent as Azure writes it to storage
// (field order as in docs/log-formats.md §5.1).
type kvRecord struct {
	Time              string       `json:"time"`
	Category          string       `json:"category"`
	OperationName     string       `json:"operationName"`
	ResultType        string       `json:"resultType"`
	ResultDescription string       `json:"resultDescription,omitempty"`
	CorrelationID     string       `json:"correlationId"`
	CallerIPAddress   string       `json:"callerIpAddress"`
	Identity          *kvIdentity  `json:"identity,omitempty"`
	Properties        kvProperties `json:"properties"`
	ResourceID        string       `json:"resourceId"`
	OperationVersion  string       `json:"operationVersion"`
	ResultSignature   string       `json:"resultSignature"`
	DurationMs        string       `json:"durationMs"`
}

type kvIdentity struct {
	Claim map[string]any `json:"claim"`
}

type kvProperties struct {
	ID                  string `json:"id"`
	ClientInfo          string `json:"clientInfo"`
	HTTPStatusCode      int    `json:"httpStatusCode"`
	RequestURI          string `json:"requestUri"`
	IsAccessPolicyMatch *bool  `json:"isAccessPolicyMatch,omitempty"`
	IsRbacAuthorized    *bool  `json:"isRbacAuthorized,omitempty"`
	IsAddressAuthorized *bool  `json:"isAddressAuthorized,omitempty"`
	AddrAuthType        string `json:"addrAuthType,omitempty"`
	TLSVersion          string `json:"tlsVersion"`
}

// KVOutcome is one kind of Key Vault answer the generator writes.
type KVOutcome int

// Key Vault outcomes, cycled through by PaaS and chosen by scenarios.
const (
	KVServed KVOutcome = iota
	KVFirewallDenied
	KVRBACDenied
	KVPolicyDenied
	KVNotFound
	KVChallenge
)

// kvAnswer fills the outcome-specific fields of a Key Vault record.
func kvAnswer(rec *kvRecord, out KVOutcome, vault, caller string) (status int, layer string) {
	f, t := false, true
	switch out {
	case KVServed:
		rec.ResultSignature, status = "OK", 200
		rec.Properties.IsAddressAuthorized = &t
	case KVFirewallDenied:
		rec.ResultSignature, status, layer = "Forbidden", 403, "vault-firewall"
		rec.ResultDescription = "Client address is not authorized and caller is not a trusted service.\r\nClient address: " + caller + "\r\nCaller: appid=00000000-0000-0000-0000-00000000c11e;oid=00000000-0000-0000-0000-0000000000a1\r\nVault: " + vault + ";location=eastus"
		rec.Properties.IsAddressAuthorized = &f
		rec.Properties.AddrAuthType = "PublicIP"
	case KVRBACDenied:
		rec.ResultSignature, status, layer = "Forbidden", 403, "rbac"
		rec.ResultDescription = "Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time."
		rec.Properties.IsRbacAuthorized = &f
	case KVPolicyDenied:
		rec.ResultSignature, status, layer = "Forbidden", 403, "access-policy"
		rec.ResultDescription = "The user, group or application 'appid=00000000-0000-0000-0000-00000000c11e;oid=00000000-0000-0000-0000-0000000000a1' does not have secrets get permission on key vault '" + vault + ";location=eastus'."
		rec.Properties.IsAccessPolicyMatch = &f
	case KVNotFound:
		rec.ResultSignature, status = "Not Found", 404
		rec.ResultDescription = "A secret with (name/id) db-password was not found in this key vault."
	case KVChallenge:
		rec.ResultSignature, status, layer = "Unauthorized", 401, "authentication"
	}
	rec.Properties.HTTPStatusCode = status
	return status, layer
}

// kvLine builds one Key Vault record and its expected event.
func kvLine(t time.Time, id, vault string, caller netip.Addr, out KVOutcome, corr string) ([]byte, event.Event) {
	host := vault + ".vault.azure.net"
	uri := "https://" + host + "/secrets/db-password?api-version=7.4"
	rec := kvRecord{
		Time: t.UTC().Format(timeLayout), Category: "AuditEvent",
		OperationName: "SecretGet", ResultType: "Success", CorrelationID: corr,
		CallerIPAddress: caller.String(),
		Identity:        &kvIdentity{Claim: map[string]any{"oid": "00000000-0000-0000-0000-0000000000a1", "appid": "00000000-0000-0000-0000-00000000c11e", "ipaddr": caller.String()}},
		Properties:      kvProperties{ID: "https://" + host + "/secrets/db-password", ClientInfo: "azsdk-go-azsecrets/v1.3.0", RequestURI: uri, TLSVersion: "TLS1_2"},
		ResourceID:      id, OperationVersion: "7.4", DurationMs: "12",
	}
	status, layer := kvAnswer(&rec, out, vault, caller.String())
	line, _ := json.Marshal(rec)
	e := event.Event{
		Time: t.UTC(), Source: event.SourceKeyVault, Category: "AuditEvent",
		Emitter: vault, EmitterID: strings.ToLower(id), Protocol: "https",
		SrcIP: caller, DstPort: 443, Direction: event.DirIn, FQDN: host, URL: uri,
		HTTPStatus: status, Caller: "00000000-0000-0000-0000-00000000c11e",
	}
	switch {
	case status < 400:
		e.Verdict = event.VerdictAllow
	case status == 401 || status == 403:
		e.Verdict = event.VerdictDeny
	default:
		e.Verdict = event.VerdictError
	}
	kind := "public"
	if caller.IsPrivate() {
		kind = "private"
	}
	e.Detail = map[string]string{"caller_address_kind": kind, "operation": "SecretGet", "result_signature": rec.ResultSignature}
	if layer != "" {
		e.Detail["denial_layer"] = layer
	}
	return append(line, '\n'), e
}

// PaaS writes Key Vault and Storage resource logs.
func PaaS(opt PaaSOptions) (Result, error) {
	opt.defaults()
	if opt.Out == "" {
		return Result{}, fmt.Errorf("loggen: no output folder")
	}
	g := &gen{opt: Options{Out: opt.Out, Seed: opt.Seed, Subscription: opt.Subscription, ResourceGroup: opt.ResourceGroup},
		rng: rand.New(rand.NewPCG(opt.Seed, 0x5a5a5a5a))}
	if opt.KeyVault > 0 {
		id := g.armID("Microsoft.KeyVault", "vaults", opt.Vault)
		outcomes := []KVOutcome{KVServed, KVServed, KVServed, KVServed, KVFirewallDenied, KVRBACDenied, KVPolicyDenied, KVNotFound, KVServed, KVChallenge}
		err := g.hourly(opt.Start, opt.Hours, opt.KeyVault, "insights-logs-auditevent/resourceId="+id, opt.Expect, func(t time.Time, i int64) ([]byte, event.Event) {
			caller := opt.Clients[g.rng.IntN(len(opt.Clients))]
			out := outcomes[i%int64(len(outcomes))]
			if out == KVFirewallDenied && caller.IsPrivate() {
				caller = opt.Clients[len(opt.Clients)-1]
			}
			return kvLine(t, id, strings.ToLower(opt.Vault), caller, out, g.guid())
		})
		if err != nil {
			return g.res, err
		}
	}
	if opt.Storage > 0 {
		id := g.armID("Microsoft.Storage", "storageAccounts", opt.StorageAccount) + "/BLOBSERVICES/DEFAULT"
		for _, cat := range []string{"StorageRead", "StorageWrite"} {
			n := opt.Storage / 2
			if cat == "StorageRead" {
				n = opt.Storage - n
			}
			err := g.hourly(opt.Start, opt.Hours, n, "insights-logs-"+strings.ToLower(cat)+"/resourceId="+id, opt.Expect, func(t time.Time, i int64) ([]byte, event.Event) {
				caller := opt.Clients[g.rng.IntN(len(opt.Clients))]
				return storageLine(t, id, strings.ToLower(opt.StorageAccount), cat, caller, uint16(49152+g.rng.IntN(16000)), int(i%5), g.guid())
			})
			if err != nil {
				return g.res, err
			}
		}
	}
	return g.res, nil
}

// hourly spreads n records over the hours' blobs under dir (a container and
// resourceId= prefix), in time order: line builds record i (a line and its
// intended event), hourly writes it and, when expect is set, hands expect the
// event cited at its blob and record.
func (g *gen) hourly(start time.Time, hours int, n int64, dir string, expect func(*event.Event), line func(t time.Time, i int64) ([]byte, event.Event)) error {
	var i int64
	for h := 0; h < hours; h++ {
		hour := start.Add(time.Duration(h) * time.Hour)
		k := split(n, hours, h)
		if k == 0 {
			continue
		}
		b, err := g.create(dir + "/" + hourPath(hour) + "/PT1H.json")
		if err != nil {
			return err
		}
		step := time.Hour / time.Duration(k+1)
		for r := int64(0); r < k; r++ {
			// Azure writes 7 fraction digits: keep the time at 100 ns.
			t := hour.Add(step*time.Duration(r+1) + time.Duration(g.rng.IntN(1e6))*time.Microsecond/1000).Truncate(100 * time.Nanosecond)
			l, e := line(t, i)
			b.write(l)
			if expect != nil {
				e.Origin = event.Origin{Key: b.key, Record: int(r)}
				expect(&e)
			}
			i++
			g.res.Events++
		}
		if err := b.close(); err != nil {
			return err
		}
	}
	return nil
}

// storageLine builds one StorageBlobLogs record (raw storage form) and its
// expected event. kind cycles: 0-2 served, 3 storage firewall, 4 RBAC.
func storageLine(t time.Time, id, acct, cat string, caller netip.Addr, port uint16, kind int, corr string) ([]byte, event.Event) {
	op, status, text, layer := "GetBlob", 200, "Success", ""
	if cat == "StorageWrite" {
		op, status = "PutBlob", 201
	}
	switch kind {
	case 3:
		status, text, layer = 403, "IpAuthorizationError", "storage-firewall"
	case 4:
		status, text, layer = 403, "AuthorizationPermissionMismatch", "rbac"
	}
	host := acct + ".blob.core.windows.net"
	uri := "https://" + host + "/data/report.csv"
	rec := map[string]any{
		"time": t.UTC().Format(timeLayout), "resourceId": id, "category": cat,
		"operationName": op, "operationVersion": "2023-11-03", "schemaVersion": "1.0",
		"statusCode": status, "statusText": text, "durationMs": 4,
		"callerIpAddress": netip.AddrPortFrom(caller, port).String(), "correlationId": corr,
		"identity":   map[string]any{"type": "OAuth", "tokenHash": "key1(0000)"},
		"location":   "eastus",
		"properties": map[string]any{"accountName": acct, "userAgentHeader": "azsdk-go-azblob/v1.8.3", "serviceType": "blob", "objectKey": "/" + acct + "/data/report.csv"},
		"uri":        uri, "protocol": "HTTPS", "resourceType": "Microsoft.Storage/storageAccounts/blobServices",
	}
	line, _ := json.Marshal(rec)
	e := event.Event{
		Time: t.UTC(), Source: event.SourceStorage, Category: cat, Emitter: acct, EmitterID: strings.ToLower(id),
		SrcIP: caller, SrcPort: port, DstPort: 443, Protocol: "https", Direction: event.DirIn,
		FQDN: host, URL: uri, HTTPStatus: status, Verdict: event.VerdictAllow,
	}
	if status == 403 {
		e.Verdict = event.VerdictDeny
	}
	e.Detail = map[string]string{"status_text": text}
	if layer != "" {
		e.Detail["denial_layer"] = layer
	}
	return append(line, '\n'), e
}
