package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/pathproof/pathproof/internal/loggen"
)

var keyVaultDemo = Demo{
	Name:    "keyvault-denied",
	Summary: "a Key Vault 403: the client skipped the private endpoint (DNS), the vault firewall refused its public address",
	Run:     runKeyVault,
}

// runKeyVault generates the VNet flow logs of two clients and the vault's
// audit log (loggen.KeyVaultDenied), then asks pathproof who was refused,
// by which layer, and what the refused client's NIC logged.
func runKeyVault(ctx context.Context, env *Env) error {
	logsDir, err := env.File("storage")
	if err != nil {
		return err
	}
	db, err := freshDB(env)
	if err != nil {
		return err
	}
	sc, err := loggen.KeyVaultDenied(logsDir, time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, `Generated %d blobs in Azure's storage-account layout under %s: VNet flow logs
of two client NICs (%s "vm-app", %s "vm-batch") and the AuditEvent log of
Key Vault %s, which has a private endpoint at %s.

`, len(sc.Files), logsDir, sc.App, sc.Batch, sc.Vault, sc.PrivateEndpoint)
	if err := env.Step(ctx, "Which Key Vault requests were refused, and by which layer? (loads the logs into a DuckDB file)",
		"events", "--logs", logsDir, "--db", db, "--source", "keyvault", "--verdict", "deny"); err != nil {
		return err
	}
	if err := env.Step(ctx, "Every caller of the vault: address kind, denial layer, outcome",
		"sql", "--db", db, `SELECT src_ip AS caller, detail->>'caller_address_kind' AS address_kind, detail->>'denial_layer' AS layer, verdict, count(*) AS requests FROM events WHERE source = 'keyvault' GROUP BY ALL ORDER BY caller`); err != nil {
		return err
	}
	if err := env.Step(ctx, "What did the clients' NICs log, next to the vault's answers?",
		"flows", "--db", db, "--ip", sc.App.String(), "--ip", sc.Batch.String(), "--ip", sc.NAT.String()); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, `What the evidence says:
  - vm-app (%[1]s) opened its connections to %[2]s:443, the vault's PUBLIC address,
    not to the private endpoint %[3]s: its DNS does not resolve %[4]s
    through privatelink.vaultcore.azure.net.
  - The vault saw those requests from %[5]s (public: the VNet's outbound NAT
    address) and its firewall answered 403 (denial layer vault-firewall).
  - vm-batch (%[6]s) reached the private endpoint and was served (200).
  Fix: link the privatelink.vaultcore.azure.net private DNS zone to vm-app's VNet
  (or its DNS forwarder), then check with new logs; on these:
  %[7]s
`, sc.App, sc.VaultPublic, sc.PrivateEndpoint, sc.VaultFQDN, sc.NAT, sc.Batch,
		CommandLine([]string{"events", "--db", db, "--source", "keyvault", "--ip", sc.NAT.String()}))
	return nil
}
