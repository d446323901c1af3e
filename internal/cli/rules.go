package cli

import (
	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/render/nwrender"
	"github.com/pathproof/pathproof/internal/scenario"
)

func init() { register("rules", newRulesCmd) }

func newRulesCmd(env *Env) *cobra.Command {
	var nicName string
	cmd := &cobra.Command{
		Use:   "rules --topology T --nic NAME",
		Short: "Effective security rules of a NIC: admin rules, subnet and NIC NSGs, tags and ASGs expanded",
		Example: `  pathproof rules -t hub.yaml --nic vm1-nic
  pathproof rules -t export/ --nic vm1-nic -o json | jq '.groups[].rules[].expanded_source'`,
		Args: cobra.NoArgs,
	}
	tf := addTopoFlags(cmd, true)
	out := addOutputFlag(cmd, "json")
	cmd.Flags().StringVar(&nicName, "nic", "", "NIC name or id")
	cmd.RunE = func(_ *cobra.Command, _ []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		if err := tf.validate(); err != nil {
			return err
		}
		if nicName == "" {
			return Usagef("--nic is required")
		}
		e, err := tf.engine(env)
		if err != nil {
			return err
		}
		res, err := scenario.EffectiveRules(e, nicName)
		if err != nil {
			return err
		}
		return nwrender.Rules(env.Stdout, out.String(), res)
	}
	return cmd
}
