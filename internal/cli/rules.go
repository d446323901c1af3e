package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/render"
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
		if out.String() == "json" {
			return render.JSON(env.Stdout, res)
		}
		if len(res.Groups) == 0 {
			fmt.Fprintf(env.Stdout, "No NSG or admin rule applies to %s: all traffic is allowed.\n", render.Escape(res.NIC))
			return nil
		}
		tb := render.Table{Header: []string{"SCOPE", "NSG", "RULE", "PRIORITY", "DIR", "ACCESS", "PROTO", "SOURCE", "SRC PORTS", "DESTINATION", "DST PORTS"}}
		for _, g := range res.Groups {
			for _, r := range g.Rules {
				tb.Add(g.Scope, g.Name, r.Name, strconv.Itoa(r.Priority), r.Direction, r.Access, r.Protocol,
					short(r.ExpandedSource), strings.Join(r.SourcePorts, ","), short(r.ExpandedDestination), strings.Join(r.DestinationPorts, ","))
			}
		}
		if err := tb.Write(env.Stdout); err != nil {
			return err
		}
		printNotes(env, nil, res.UnknownTags())
		return nil
	}
	return cmd
}

// short shows up to three expanded prefixes and a count of the rest.
func short(list []string) string {
	if len(list) <= 3 {
		return strings.Join(list, ",")
	}
	return strings.Join(list[:3], ",") + fmt.Sprintf(",…(+%d)", len(list)-3)
}
