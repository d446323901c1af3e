package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/render/nwrender"
	"github.com/pathproof/pathproof/internal/scenario"
)

func init() { register("rules", newRulesCmd) }

func newRulesCmd(env *Env) *cobra.Command {
	var nicName, compare string
	cmd := &cobra.Command{
		Use:   "rules --topology T (--nic NAME | --compare-effective NIC)",
		Short: "Effective security rules of a NIC: admin rules, subnet and NIC NSGs, tags and ASGs expanded",
		Example: `  pathproof rules -t hub.yaml --nic vm1-nic
  pathproof rules -t export/ --nic vm1-nic -o json | jq '.groups[].rules[].expanded_source'
  pathproof rules -t azure://SUBSCRIPTION --compare-effective vm1-nic`,
		Args: cobra.NoArgs,
	}
	tf := addTopoFlags(cmd, true)
	out := addOutputFlag(cmd, "json")
	cmd.Flags().StringVar(&nicName, "nic", "", "NIC name or id")
	cmd.Flags().StringVar(&compare, "compare-effective", "", fmt.Sprintf(compareHelp, "security rules"))
	cmd.RunE = func(_ *cobra.Command, _ []string) error {
		if err := out.validate(); err != nil {
			return err
		}
		if err := tf.validate(); err != nil {
			return err
		}
		if countSet(nicName, compare) != 1 {
			return Usagef("give exactly one of --nic, --compare-effective")
		}
		e, err := tf.engine(env)
		if err != nil {
			return err
		}
		if compare != "" {
			return compareEffective(tf, env, e, compare, "rules", out.String())
		}
		res, err := scenario.EffectiveRules(e, nicName)
		if err != nil {
			return err
		}
		return nwrender.Rules(env.Stdout, out.String(), res)
	}
	return cmd
}

func countSet(vals ...string) int {
	n := 0
	for _, v := range vals {
		if v != "" {
			n++
		}
	}
	return n
}
