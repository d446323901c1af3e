package demo

import (
	"time"

	"github.com/pathproof/pathproof/internal/loggen"
)

// kvStart is the hour of the Key Vault story (loggen.KeyVaultDenied: vm-app
// tries at 10:05, 10:20 and 10:35, vm-batch 40 s after each).
var kvStart = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// keyVaultStory: vm-app's DNS does not use the privatelink zone, so it
// calls the vault's public address; the vault sees its public IP and the
// vault firewall, which admits only the private endpoint, answers 403.
// vm-batch, in the same subnet, reaches the endpoint and is served.
var keyVaultStory = Story{
	Name:         "keyvault-public-dns",
	Ticket:       "The payments app gets 403 Forbidden from Key Vault kv-payments; the batch job in the same subnet reads the same secret fine.",
	Proves:       "the vault answered 403 from its firewall to a public caller although it has a private endpoint: vm-app resolved the public name",
	Design:       "story/keyvault-dns.yaml",
	From:         "nic:app-nic",
	To:           "kv-payments.vault.azure.net:443",
	EvidenceFrom: "10.0.1.4",
	EvidenceTo:   "kv-payments.vault.azure.net:443",
	At:           kvStart.Add(20 * time.Minute),
	Want:         StoryWant{Verdict: "delivered-and-answered", At: "keyvault:kv-payments", EvidenceVerdict: "delivered-and-answered", EvidenceAt: "keyvault:kv-payments"},
	write: func(k *storyKit) error {
		_, err := loggen.KeyVaultDenied(k.data.Logs, kvStart)
		return err
	},
}
