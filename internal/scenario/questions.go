package scenario

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/pathproof/pathproof/internal/azure"
)

// ArgError is one argument of a question that a front end passed on
// wrong. Field names it as the question does (direction, protocol, local,
// remote), so the CLI prints it as its flag (--local) and the MCP server
// as its field (local); Error is the field's name and Msg.
type ArgError struct {
	Field string
	// Msg is what is wrong, after the field's name: `"x" is not IP:PORT`.
	Msg string
}

func (e *ArgError) Error() string { return e.Field + " " + e.Msg }

// IPFlowQuery is an IP flow verify question as `pathproof ip-flow` and the
// ip_flow_verify tool take it: the direction relative to the NIC (Inbound,
// Outbound), the protocol (TCP or UDP, the only two IP flow verify
// supports) and both ends as IP:PORT.
type IPFlowQuery struct {
	Direction, Protocol, Local, Remote string
}

// Flow checks q and returns it as the engine's flow; the first wrong
// argument is an *ArgError.
func (q IPFlowQuery) Flow() (azure.Flow, error) {
	d, ok := azure.ParseDirection(q.Direction)
	if !ok {
		return azure.Flow{}, &ArgError{"direction", "must be Inbound or Outbound"}
	}
	if !strings.EqualFold(q.Protocol, "TCP") && !strings.EqualFold(q.Protocol, "UDP") {
		return azure.Flow{}, &ArgError{"protocol", "must be TCP or UDP (IP flow verify supports only those)"}
	}
	local, err := netip.ParseAddrPort(q.Local)
	if err != nil {
		return azure.Flow{}, &ArgError{"local", fmt.Sprintf("%q is not IP:PORT", q.Local)}
	}
	remote, err := netip.ParseAddrPort(q.Remote)
	if err != nil {
		return azure.Flow{}, &ArgError{"remote", fmt.Sprintf("%q is not IP:PORT", q.Remote)}
	}
	return azure.Flow{Direction: d, Protocol: strings.ToUpper(q.Protocol),
		LocalIP: local.Addr(), LocalPort: int(local.Port()), RemoteIP: remote.Addr(), RemotePort: int(remote.Port())}, nil
}
