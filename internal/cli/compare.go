package cli

import (
	"fmt"

	"github.com/pathproof/pathproof/internal/azlive"
	"github.com/pathproof/pathproof/internal/azure"
	"github.com/pathproof/pathproof/internal/effective"
	"github.com/pathproof/pathproof/internal/render"
	"github.com/pathproof/pathproof/internal/render/nwrender"
	"github.com/pathproof/pathproof/internal/topology/arm"
)

// compareHelp is the --compare-effective flag's help.
const compareHelp = "NIC name or ARM id: fetch its effective %s from Azure (Network Watcher; the NIC's VM must run) and compare them with pathproof's; differences are findings and exit 1"

// compareEffective fetches Azure's effective routes or rules of the NIC
// ref names in e's network, compares them with pathproof's and prints
// the comparison; exit 1 when they differ.
func compareEffective(tf *topoFlags, env *Env, e *azure.Engine, ref, kind, format string) error {
	nic := e.Net.NIC(ref)
	if nic == nil {
		return Usagef("--compare-effective %q: no such NIC in the topology", ref)
	}
	id := nic.ID
	if arm.ParseID(id).Subscription == "" {
		return Usagef("--compare-effective %s: the NIC has no Azure resource id in this topology (load it with --topology azure://... or from an Azure export)", ref)
	}
	fetch, compare := azlive.EffectiveRoutes, effective.Routes
	if kind == "rules" {
		fetch, compare = azlive.EffectiveRules, effective.Rules
	}
	body, err := fetch(tf.context(), env.Azure, id)
	if err != nil {
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("effective %s of %s from Azure: %s", kind, render.Escape(id), render.Escape(err.Error()))}
	}
	res, err := compare(e, nic, body)
	if err != nil {
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("effective %s of %s: %s", kind, render.Escape(id), render.Escape(err.Error()))}
	}
	if err := nwrender.Comparison(env.Stdout, format, res); err != nil {
		return err
	}
	if res.Differ() {
		return Failed()
	}
	return nil
}
