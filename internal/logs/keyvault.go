package logs

import (
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// Key Vault AuditEvent (docs/log-formats.md §5): raw storage / event-hub JSON,
// the AzureDiagnostics export and the resource-specific AZKVAuditLogs table.
// resultType says Success on a 403, so the outcome is httpStatusCode (or
// resultSignature, an HTTP reason phrase), never resultType.

// Key Vault denial layers (event Detail "denial_layer"; also the start of
// Rule.Reason, so `--reason firewall` finds them).
const (
	KVLayerFirewall       = "vault-firewall"
	KVLayerPrivateLink    = "private-link-only"
	KVLayerRBAC           = "rbac"
	KVLayerAccessPolicy   = "access-policy"
	KVLayerAuthentication = "authentication"
	KVLayerUnknown        = "unknown"
)

func parseKeyVault(r *Record, o *Output) error {
	t, err := r.Time()
	if err != nil {
		return Skipf(CodeBadTime, "%v", err)
	}
	id := r.ResourceID()
	vault := strings.ToLower(lastIDSegment(id, "vaults"))
	if vault == "" {
		vault = strings.ToLower(r.S("Resource"))
	}
	e := event.Event{
		Time: t, Source: event.SourceKeyVault, Category: "AuditEvent",
		Emitter: vault, EmitterID: strings.ToLower(id),
		Protocol: "https", DstPort: 443, Direction: event.DirIn,
	}
	if tbl := r.Table(); strings.EqualFold(tbl, "AZKVAuditLogs") {
		e.Category = "AZKVAuditLogs"
	}
	caller := firstS(r, "callerIpAddress", "CallerIPAddress")
	if caller != "" {
		ip, port, ok := callerAddr(caller)
		if !ok {
			return Skipf(CodeBadRecord, "callerIpAddress %q is not an address", truncate(caller, 80))
		}
		e.SrcIP, e.SrcPort = ip, port
	}
	uri := firstS(r, "requestUri", "RequestUri")
	e.URL = uri
	e.FQDN = hostOf(uri)
	if e.FQDN == "" && vault != "" {
		e.FQDN = vault + ".vault.azure.net"
	}
	status, ok := r.Int("httpStatusCode")
	sig := firstS(r, "resultSignature")
	if !ok {
		if s, known := reasonPhrases[strings.ToLower(sig)]; known {
			status, ok = int64(s), true
		}
	}
	d := map[string]string{}
	e.HTTPStatus, e.Verdict = httpOutcome(status, ok)
	desc := firstS(r, "resultDescription")
	if e.Verdict == event.VerdictDeny {
		denied(&e, d, kvDenialLayer(r, e.HTTPStatus, desc), firstLine(desc, 160))
	} else if l := firstLine(desc, 160); l != "" {
		e.Rule.Reason = l
	}
	e.Caller = kvCaller(r)
	setDetail(d, "operation", r.Operation())
	setDetail(d, "result_signature", sig)
	setDetail(d, "caller_address_kind", addressKind(e.SrcIP))
	setDetail(d, "addr_auth_type", firstS(r, "addrAuthType", "AddressAuthorizationType"))
	setBoolDetail(r, d, "is_address_authorized", "isAddressAuthorized", "IsAddressAuthorized")
	setBoolDetail(r, d, "is_rbac_authorized", "isRbacAuthorized", "IsRbacAuthorized")
	setBoolDetail(r, d, "is_access_policy_match", "isAccessPolicyMatch", "IsAccessPolicyMatch")
	setDetail(d, "subnet_id", strings.ToLower(firstS(r, "subnetId", "SubnetId")))
	setDetail(d, "private_endpoint_id", strings.ToLower(firstS(r, "privateEndpointId", "PrivateEndpointId")))
	setDetail(d, "trusted_service", firstS(r, "trustedService", "TrustedService"))
	setDetail(d, "tls_version", firstS(r, "tlsVersion", "Tlsversion"))
	setDetail(d, "correlation_id", firstS(r, "correlationId"))
	setDetail(d, "object_id", firstS(r, "id"))
	if len(d) > 0 {
		e.Detail = d
	}
	return o.Emit(&e)
}

// kvDenialLayer classifies a refused Key Vault request (§5.2): the
// network layers first (they are evaluated before authorization), from the
// description text, then the flags.
func kvDenialLayer(r *Record, status int, desc string) string {
	l := strings.ToLower(desc)
	switch {
	case strings.Contains(l, "forbiddenbyconnection"),
		strings.Contains(l, "public network access is disabled"),
		strings.Contains(l, "private link"):
		return KVLayerPrivateLink
	case strings.Contains(l, "forbiddenbyfirewall"),
		strings.Contains(l, "client address is not authorized"):
		return KVLayerFirewall
	case strings.Contains(l, "caller is not authorized to perform action"),
		strings.Contains(l, "forbiddenbyrbac"):
		return KVLayerRBAC
	case strings.Contains(l, "does not have") && strings.Contains(l, "permission"),
		strings.Contains(l, "forbiddenbypolicy"), strings.Contains(l, "access policy"):
		return KVLayerAccessPolicy
	}
	if b, ok := r.Bool("isAddressAuthorized"); ok && !b {
		return KVLayerFirewall
	}
	if b, ok := r.Bool("isRbacAuthorized"); ok && !b && status == 403 {
		return KVLayerRBAC
	}
	if b, ok := r.Bool("isAccessPolicyMatch"); ok && !b && status == 403 {
		return KVLayerAccessPolicy
	}
	if status == 401 {
		return KVLayerAuthentication
	}
	if strings.EqualFold(firstS(r, "addrAuthType", "AddressAuthorizationType"), "PublicIP") && status == 403 {
		return KVLayerFirewall
	}
	return KVLayerUnknown
}

// kvCaller returns the identity that made the request: UPN, else app id,
// else object id, in either claim spelling (short names or claim URIs).
func kvCaller(r *Record) string {
	claims := map[string]string{}
	collect := func(raw []byte) {
		m, err := lowerKeys(raw)
		if err != nil {
			return
		}
		for k, v := range m {
			s, _ := jsonText(v)
			claims[k] = strings.TrimSpace(s)
		}
	}
	if raw, ok := r.JSON("identity.claim"); ok {
		collect(raw)
	} else if raw, ok := r.JSON("Identity"); ok {
		// AZKVAuditLogs: a dynamic column (a JSON string in CSV exports).
		if rec, err := newJSONRecord("", 0, raw); err == nil {
			if c, ok := rec.JSON("claim"); ok {
				collect(c)
			}
		}
	}
	pick := func(names ...string) string {
		for _, n := range names {
			if v := claims[n]; v != "" {
				return v
			}
			// AzureDiagnostics flattens the claim into a column.
			if v := strings.TrimSpace(r.S("identity_claim_" + flattenClaim(n))); v != "" {
				return v
			}
		}
		return ""
	}
	return pick("upn", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
		"appid", "oid", "http://schemas.microsoft.com/identity/claims/objectidentifier")
}

// flattenClaim spells a claim name as a Log Analytics column part: every
// character that is not a letter or digit becomes "_".
func flattenClaim(n string) string {
	b := []byte(n)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			b[i] = '_'
		}
	}
	return string(b)
}
