package logs

import "github.com/pathproof/pathproof/internal/codes"

// Denial layers of PaaS request logs (Key Vault, Storage, SQL) and IKE
// failure classes of VPN gateway logs: the values of event Detail
// "denial_layer" / "ike_failure" and the first word of Rule.Reason, so
// `--reason vault-firewall` selects them and `pathproof codes` explains them.
func init() {
	const d = "logs"
	layer := func(id, meaning, next string) codes.Code {
		return codes.Code{ID: id, Domain: d, Kind: "drop-reason", Severity: "error", Meaning: meaning, Next: next}
	}
	codes.Register(
		layer(KVLayerFirewall,
			"Key Vault refused the request (403) at its network firewall: the caller's address is not in the vault's IP rules or allowed subnets and the caller is not a trusted service (ForbiddenByFirewall, isAddressAuthorized false).",
			"Look at the caller address and Detail caller_address_kind: a public address for a vault with a private endpoint means the client resolved the vault's public name (link the privatelink.vaultcore.azure.net zone to its VNet); otherwise add the address or subnet to the vault's network rules."),
		layer(KVLayerPrivateLink,
			"Key Vault refused the request (403) because public network access is disabled and the request did not arrive through an approved private endpoint (ForbiddenByConnection).",
			"Check that the client resolves the vault to its private endpoint address and that the private endpoint connection is approved."),
		layer(KVLayerRBAC,
			"The service refused the request (403) after authentication: the identity has no role assignment allowing the operation (Key Vault 'Caller is not authorized', Storage AuthorizationPermissionMismatch).",
			"Check the role assignments of the caller (Detail and caller column) on the vault or storage account; new assignments take minutes to apply."),
		layer(KVLayerAccessPolicy,
			"Key Vault refused the request (403): the vault uses access policies and none grants the caller this permission ('does not have ... permission on key vault').",
			"Add the permission to an access policy for the caller, or move the vault to RBAC."),
		layer(KVLayerAuthentication,
			"The request was not authenticated (401, a bad SAS signature or token). A few 401s when a client starts are the normal bearer challenge.",
			"Only persistent 401s matter: check the caller's credentials, token audience or SAS."),
		layer(KVLayerUnknown,
			"The request was refused (401/403) but the record does not say which layer refused it.",
			"Read the record's resultDescription / statusText (cited by origin) and the service's network and access settings."),
		layer(StorageLayerFirewall,
			"Azure Storage refused the request (403) at its network rules: IpAuthorizationError (SAS/OAuth variants) or AuthorizationFailure, the caller's address or subnet is not allowed.",
			"Check the storage account's firewall and virtual network rules, and whether the client reaches the account through its private endpoint."),
		layer(StorageLayerAuthorization,
			"The service refused the request for lack of permission: a Storage SAS or ACL that does not grant the operation, or an Azure SQL permission error (229, 230, 262, 300).",
			"Check the SAS permissions, expiry and scope or the path's ACLs; for SQL, grant the permission to the database user or role."),
		layer(SQLLayerFirewall,
			"Azure SQL refused the login at its server firewall (error 40615: client with IP address ... is not allowed to access the server).",
			"Add a server firewall rule for the client address, or connect through the private endpoint."),
		layer(SQLLayerVNetRule,
			"Azure SQL refused the login because the client's subnet is not in the server's virtual network rules (error 40914).",
			"Add a virtual network rule for the client's subnet (with the Microsoft.Sql service endpoint)."),
		layer(SQLLayerPrivateOnly,
			"Azure SQL refused the login because public network access is denied and the connection did not come through a private endpoint (error 47073).",
			"Connect through the private endpoint (check the client's DNS for privatelink.database.windows.net)."),
	)
	fail := func(id, meaning, next string) codes.Code {
		return codes.Code{ID: id, Domain: d, Kind: "failure", Severity: "error", Meaning: meaning, Next: next}
	}
	codes.Register(
		fail(IKEPSKMismatch, "IKE authentication failed between the VPN gateway and its peer (Windows error 13801 / 0x35E9, 13826): almost always a pre-shared key mismatch.",
			"Set the same shared key on the connection and the on-premises device."),
		fail(IKEPolicyMismatch, "The IKE or IPsec proposals of the peer match none of the gateway's (policy match error 13868, no policy 13825, Policy Mismatch notify).",
			"Compare the IKE/IPsec policy (encryption, integrity, DH group, PFS, lifetimes) on both sides."),
		fail(IKETimeout, "IKE negotiation timed out (13805): the peer stopped answering, or a phase-2 traffic selector mismatch.",
			"Check that UDP 500/4500 reach both ends and compare the traffic selectors."),
		fail(IKESelectorMismatch, "The peer's traffic selectors (proxy IDs) were refused (13999).",
			"Align the local and remote prefixes, or enable policy-based traffic selectors on the connection."),
		fail(IKEUnsupported, "The peer sent an IKE message the gateway does not accept (invalid header, payload or cookie, or the other IKE version).",
			"Check the peer's IKE version and that the device is on Azure's validated list."),
		fail(IKEDHFailure, "The Diffie-Hellman computation failed (13822): the DH groups differ.",
			"Set the same DH group on both sides."),
		fail(IKERefused, "The remote side refused the connection (1225): the connection may be set to initiator-only or responder-only.",
			"Check the connection mode on the gateway and the device."),
		fail(IKEOtherFailure, "An IKE negotiation failed for a reason the line does not name precisely.",
			"Read the surrounding IKEDiagnosticLog lines of the same SESSION_ID."),
	)
}
