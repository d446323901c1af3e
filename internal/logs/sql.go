package logs

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/pathproof/pathproof/internal/event"
)

// Azure SQL auditing (docs/log-formats.md §6): category SQLSecurityAuditEvents
// in storage / event-hub JSON (snake_case fields under properties), the
// SQLSecurityAuditEvents table (PascalCase) and AzureDiagnostics rows
// (client_ip_s, ...). A refused login is told apart by its error number:
// 40615 the server firewall, 40914 a VNet rule, 47073 public network access
// disabled, 18456 a failed login (authentication), 229/230/262/300 a denied
// permission (authorization).

// SQL denial layers (Detail "denial_layer", start of Rule.Reason).
const (
	SQLLayerFirewall       = "sql-firewall"
	SQLLayerVNetRule       = "vnet-rule"
	SQLLayerPrivateOnly    = "public-network-disabled"
	SQLLayerAuthentication = "authentication"
	SQLLayerAuthorization  = "authorization"
	SQLLayerUnknown        = "unknown"
)

var sqlErrorNumber = regexp.MustCompile(`(?i)(?:<error_code>|error(?:_code)?[ :=]*|Msg |\b)(40615|40914|47073|18456|229|230|262|300)\b`)

func parseSQL(r *Record, o *Output) error {
	t, err := ParseTime(firstS(r, "event_time", "EventTime"))
	if err != nil {
		if t, err = r.Time(); err != nil {
			return Skipf(CodeBadTime, "%v", err)
		}
	}
	id := r.ResourceID()
	server := strings.ToLower(firstS(r, "server_instance_name", "LogicalServerName", "ServerInstanceName"))
	if server == "" {
		server = strings.ToLower(lastIDSegment(id, "servers"))
	}
	e := event.Event{
		Time: t, Source: event.SourceSQL, Category: "SQLSecurityAuditEvents",
		Emitter: server, EmitterID: strings.ToLower(id),
		Protocol: "mssql", DstPort: 1433, Direction: event.DirIn,
	}
	if server != "" && !strings.Contains(server, ".") {
		e.FQDN = server + ".database.windows.net"
	}
	if c := firstS(r, "client_ip", "ClientIp", "callerIpAddress"); c != "" && !strings.EqualFold(c, "local machine") {
		ip, port, ok := callerAddr(c)
		if !ok {
			return Skipf(CodeBadRecord, "client_ip %q is not an address", truncate(c, 80))
		}
		e.SrcIP, e.SrcPort = ip, port
	}
	action := firstS(r, "action_name", "ActionName")
	info := firstS(r, "additional_information", "AdditionalInformation")
	stmt := firstS(r, "statement", "Statement")
	d := map[string]string{}
	succeeded, ok := sqlBool(firstS(r, "succeeded", "Succeeded"))
	switch {
	case !ok:
		e.Verdict = event.VerdictInfo
	case succeeded:
		e.Verdict = event.VerdictAllow
	default:
		e.Verdict = event.VerdictDeny
		layer, code := sqlDenialLayer(action, info+" "+stmt)
		denied(&e, d, layer, action)
		setDetail(d, "sql_error", code)
	}
	e.Caller = firstS(r, "server_principal_name", "ServerPrincipalName")
	setDetail(d, "action", action)
	setDetail(d, "database", firstS(r, "database_name", "DatabaseName"))
	setDetail(d, "application", firstS(r, "application_name", "ApplicationName"))
	setDetail(d, "caller_address_kind", addressKind(e.SrcIP))
	if len(d) > 0 {
		e.Detail = d
	}
	return o.Emit(&e)
}

// sqlBool reads succeeded: true/false, 1/0.
func sqlBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	b, err := strconv.ParseBool(s)
	return b, err == nil
}

// sqlDenialLayer classifies a failed SQL action from its error number or
// text.
func sqlDenialLayer(action, text string) (string, string) {
	code := ""
	if m := sqlErrorNumber.FindStringSubmatch(text); m != nil {
		code = m[1]
	}
	l := strings.ToLower(text)
	switch {
	case code == "40615", strings.Contains(l, "is not allowed to access the server") && !strings.Contains(l, "virtual network"):
		return SQLLayerFirewall, code
	case code == "40914", strings.Contains(l, "virtual network"):
		return SQLLayerVNetRule, code
	case code == "47073", strings.Contains(l, "deny public network access"):
		return SQLLayerPrivateOnly, code
	case code == "18456", strings.Contains(strings.ToLower(action), "authentication failed"), strings.Contains(l, "login failed"):
		return SQLLayerAuthentication, code
	case code == "229" || code == "230" || code == "262" || code == "300", strings.Contains(l, "permission was denied"):
		return SQLLayerAuthorization, code
	}
	return SQLLayerUnknown, code
}
