package logs

import (
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
	"github.com/pathproof/pathproof/internal/redact"
)

// Azure Storage resource logs (docs/log-formats.md §6): categories StorageRead,
// StorageWrite and StorageDelete in storage or event-hub JSON, and the Log
// Analytics tables StorageBlobLogs, StorageFileLogs, StorageQueueLogs and
// StorageTableLogs. callerIpAddress carries the client port.

// Storage denial layers (Detail "denial_layer", start of Rule.Reason).
const (
	StorageLayerFirewall       = "storage-firewall"
	StorageLayerRBAC           = "rbac"
	StorageLayerAuthorization  = "authorization"
	StorageLayerAuthentication = "authentication"
	StorageLayerUnknown        = "unknown"
)

func parseStorage(r *Record, o *Output) error {
	t, err := r.Time()
	if err != nil {
		return Skipf(CodeBadTime, "%v", err)
	}
	id := r.ResourceID()
	acct := strings.ToLower(firstS(r, "accountName", "AccountName"))
	if acct == "" {
		acct = strings.ToLower(lastIDSegment(id, "storageAccounts"))
	}
	cat := r.Category()
	if tbl := r.Table(); strings.HasPrefix(strings.ToLower(tbl), "storage") && strings.HasSuffix(strings.ToLower(tbl), "logs") {
		cat = tbl
	}
	e := event.Event{
		Time: t, Source: event.SourceStorage, Category: cat,
		Emitter: acct, EmitterID: strings.ToLower(id), Direction: event.DirIn,
	}
	if c := firstS(r, "callerIpAddress"); c != "" {
		ip, port, ok := callerAddr(c)
		if ok {
			e.SrcIP, e.SrcPort = ip, port
		} else if !strings.EqualFold(c, "unknown") {
			return Skipf(CodeBadRecord, "callerIpAddress %q is not an address", truncate(c, 80))
		}
	}
	uri := redact.Signatures(firstS(r, "uri", "Uri"))
	e.URL = uri
	e.FQDN = hostOf(uri)
	proto := strings.ToLower(firstS(r, "protocol", "Protocol"))
	switch {
	case proto == "https" || strings.HasPrefix(strings.ToLower(uri), "https://"):
		e.Protocol, e.DstPort = "https", 443
	case proto == "http" || strings.HasPrefix(strings.ToLower(uri), "http://"):
		e.Protocol, e.DstPort = "http", 80
	case proto == "smb":
		e.Protocol, e.DstPort = "tcp", 445
	case proto == "nfs":
		e.Protocol, e.DstPort = "tcp", 2049
	}
	statusText := firstS(r, "statusText", "StatusText")
	d := map[string]string{}
	e.HTTPStatus, e.Verdict = httpOutcome(r.Int("statusCode"))
	if e.Verdict == event.VerdictDeny {
		denied(&e, d, storageDenialLayer(statusText), statusText)
	} else {
		e.Rule.Reason = statusText
	}
	authType := firstS(r, "identity.type", "AuthenticationType")
	e.Caller = firstS(r, "identity.requester.upn", "RequesterUpn", "identity.requester.objectId", "RequesterObjectId", "identity.requester.appId", "RequesterAppId")
	setDetail(d, "operation", r.Operation())
	setDetail(d, "status_text", statusText)
	setDetail(d, "auth_type", authType)
	setDetail(d, "service", strings.ToLower(firstS(r, "serviceType", "ServiceType")))
	setDetail(d, "object_key", firstS(r, "objectKey", "ObjectKey"))
	setDetail(d, "caller_address_kind", addressKind(e.SrcIP))
	setDetail(d, "correlation_id", firstS(r, "correlationId"))
	if len(d) > 0 {
		e.Detail = d
	}
	return o.Emit(&e)
}

// storageDenialLayer reads the layer from the Storage Analytics status
// text: ...IpAuthorizationError is the storage firewall (network rules),
// AuthorizationPermissionMismatch RBAC, other AuthorizationError an
// authorization refusal (SAS permissions, ACLs), AuthenticationError a bad
// signature or token.
func storageDenialLayer(statusText string) string {
	l := strings.ToLower(statusText)
	switch {
	case strings.Contains(l, "ipauthorizationerror"), strings.Contains(l, "networkauthorization"),
		strings.Contains(l, "authorizationfailure"):
		return StorageLayerFirewall
	case strings.Contains(l, "permissionmismatch"):
		return StorageLayerRBAC
	case strings.Contains(l, "authenticationerror"), strings.Contains(l, "authenticationfailed"):
		return StorageLayerAuthentication
	case strings.Contains(l, "authorization"):
		return StorageLayerAuthorization
	}
	return StorageLayerUnknown
}

// storageStatus returns the HTTP status from a status field (int or text).
func storageStatus(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}
