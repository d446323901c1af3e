package loggen

import (
	"encoding/json"
	"net/netip"
	"strings"
	"time"

	"github.com/pathproof/pathproof/internal/event"
)

// KVRequest is one Key Vault request (a SecretGet) as its AuditEvent log
// records it (docs/log-formats.md §5): who called, from which address, and the
// answer.
type KVRequest struct {
	At      time.Time
	Caller  netip.Addr
	Outcome KVOutcome
}

// StorageRequest is one Blob Storage request (GetBlob, or PutBlob when
// Write) as StorageRead/StorageWrite records it (docs/log-formats.md §6).
type StorageRequest struct {
	At     time.Time
	Caller netip.AddrPort
	Write  bool
	// Denied makes the storage firewall refuse it (403 IpAuthorizationError).
	Denied bool
}

// VPNLog is one VPN gateway diagnostic record (docs/log-formats-more.md §2):
// Category (TunnelDiagnosticLog, RouteDiagnosticLog, GatewayDiagnosticLog,
// IKEDiagnosticLog), OperationName and the properties as Azure writes them.
type VPNLog struct {
	At                  time.Time
	Category, Operation string
	Properties          map[string]any
	// Peer is the far address the record names (the tunnel's remoteIP, the
	// BGP peer in a route event's message), when it names one.
	Peer netip.Addr
}

// TunnelLog is a TunnelDiagnosticLog record: the tunnel to the on-premises
// device at remote connected (or, when !up, disconnected for reason) on
// gateway instance instance.
func TunnelLog(at time.Time, up bool, instance string, remote netip.Addr, reason string) VPNLog {
	op, status := "TunnelConnected", "Connected"
	if !up {
		op, status = "TunnelDisconnected", "Disconnected"
	}
	return VPNLog{At: at, Category: "TunnelDiagnosticLog", Operation: op, Peer: remote, Properties: map[string]any{
		"instance": instance, "remoteIP": remote.String(), "status": status, "stateChangeReason": reason, "message": "Tunnel " + strings.ToLower(status)}}
}

// RouteLog is a RouteDiagnosticLog record (BgpConnectedEvent,
// BgpDisconnectedEvent, BgpRouteUpdate) whose message names the BGP peer.
func RouteLog(at time.Time, operation string, peer netip.Addr, message string) VPNLog {
	return VPNLog{At: at, Category: "RouteDiagnosticLog", Operation: operation, Peer: peer, Properties: map[string]any{"message": message}}
}

// KeyVault adds AuditEvent records of the vault named name.
func (s *Script) KeyVault(name string, reqs ...KVRequest) {
	s.kvs[name] = append(s.kvs[name], reqs...)
}

// Storage adds blob-service records of the storage account named account.
func (s *Script) Storage(account string, reqs ...StorageRequest) {
	s.sts[account] = append(s.sts[account], reqs...)
}

// VPNGateway adds diagnostic records of the virtual network gateway named name.
func (s *Script) VPNGateway(name string, recs ...VPNLog) {
	s.vpns[name] = append(s.vpns[name], recs...)
}

// lines writes items grouped per hour into blobs named by blobFor, one
// JSON line each, and reports each line's event.
func (s *Script) lines(n int, at func(i int) time.Time, blobFor func(hour time.Time) string, line func(i int) ([]byte, event.Event)) error {
	hours, by := hourly(n, at)
	for _, h := range hours {
		b, err := s.g.create(blobFor(h))
		if err != nil {
			return err
		}
		for r, i := range by[h] {
			l, e := line(i)
			b.write(l)
			s.g.res.Events++
			e.Origin = event.Origin{Key: b.key, Record: r}
			s.expect(&e)
		}
		if err := b.close(); err != nil {
			return err
		}
	}
	return nil
}

func (s *Script) writeKeyVaults() error {
	for _, name := range sortedKeys(s.kvs) {
		reqs := s.kvs[name]
		id := s.g.armID("Microsoft.KeyVault", "vaults", name)
		err := s.lines(len(reqs), func(i int) time.Time { return reqs[i].At },
			func(h time.Time) string { return resourceBlob("AuditEvent", id, h) },
			func(i int) ([]byte, event.Event) {
				return kvLine(reqs[i].At.Truncate(100*time.Nanosecond), id, name, reqs[i].Caller, reqs[i].Outcome, s.g.guid())
			})
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *Script) writeStorage() error {
	for _, acct := range sortedKeys(s.sts) {
		reqs := s.sts[acct]
		id := s.g.armID("Microsoft.Storage", "storageAccounts", acct) + "/BLOBSERVICES/DEFAULT"
		for _, cat := range []string{"StorageRead", "StorageWrite"} {
			var mine []StorageRequest
			for _, r := range reqs {
				if r.Write == (cat == "StorageWrite") {
					mine = append(mine, r)
				}
			}
			err := s.lines(len(mine), func(i int) time.Time { return mine[i].At },
				func(h time.Time) string { return resourceBlob(cat, id, h) },
				func(i int) ([]byte, event.Event) {
					kind := 0
					if mine[i].Denied {
						kind = 3
					}
					r := mine[i]
					return storageLine(r.At.Truncate(100*time.Nanosecond), id, strings.ToLower(acct), cat, r.Caller.Addr(), r.Caller.Port(), kind, s.g.guid())
				})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Script) writeVPN() error {
	for _, name := range sortedKeys(s.vpns) {
		recs := s.vpns[name]
		id := s.g.armID("Microsoft.Network", "virtualNetworkGateways", name)
		cats := map[string]bool{}
		var order []string
		for _, r := range recs {
			if !cats[r.Category] {
				cats[r.Category] = true
				order = append(order, r.Category)
			}
		}
		for _, cat := range order {
			var mine []VPNLog
			for _, r := range recs {
				if r.Category == cat {
					mine = append(mine, r)
				}
			}
			err := s.lines(len(mine), func(i int) time.Time { return mine[i].At },
				func(h time.Time) string { return resourceBlob(cat, id, h) },
				func(i int) ([]byte, event.Event) {
					r := mine[i]
					at := r.At.UTC().Truncate(100 * time.Nanosecond)
					line, _ := json.Marshal(vpnRecord{Time: at.Format(timeLayout), ResourceID: id, Category: cat, OperationName: r.Operation, Level: "Informational", Properties: r.Properties})
					e := event.Event{Time: at, Source: event.SourceVPNGateway, Category: cat, Emitter: strings.ToLower(name), EmitterID: strings.ToLower(id),
						Verdict: event.VerdictInfo, Detail: map[string]string{"operation": r.Operation}, DstIP: r.Peer}
					if cat == "TunnelDiagnosticLog" || cat == "IKEDiagnosticLog" {
						e.Protocol = "udp" // IPsec runs over UDP 500/4500
					}
					return append(line, '\n'), e
				})
			if err != nil {
				return err
			}
		}
	}
	return nil
}
