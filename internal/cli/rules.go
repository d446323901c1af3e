package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pathproof/pathproof/internal/render"
)

func init() { register("rules", newRulesCmd) }

// effRuleJSON is one rule of `rules --output json`.
type effRuleJSON struct {
	Name                string   `json:"name"`
	Priority            int      `json:"priority"`
	Direction           string   `json:"direction"`
	Access              string   `json:"access"`
	Protocol            string   `json:"protocol"`
	Source              []string `json:"source"`
	SourcePorts         []string `json:"source_ports"`
	Destination         []string `json:"destination"`
	DestinationPorts    []string `json:"destination_ports"`
	ExpandedSource      []string `json:"expanded_source"`
	ExpandedDestination []string `json:"expanded_destination"`
}

type effGroupJSON struct {
	Scope string        `json:"scope"`
	Name  string        `json:"name"`
	Rules []effRuleJSON `json:"rules"`
}

type effRulesJSON struct {
	NIC    string         `json:"nic"`
	Groups []effGroupJSON `json:"groups"`
}

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
		nic := e.Net.NIC(nicName)
		if nic == nil {
			return fmt.Errorf("NIC %q not found in the topology", nicName)
		}
		groups := e.EffectiveRules(nic)
		res := effRulesJSON{NIC: nic.Name, Groups: []effGroupJSON{}}
		var unknown []string
		for _, g := range groups {
			gj := effGroupJSON{Scope: g.Scope, Name: g.Name, Rules: []effRuleJSON{}}
			for _, r := range g.Rules {
				gj.Rules = append(gj.Rules, effRuleJSON(r))
				for _, x := range append(append([]string{}, r.ExpandedSource...), r.ExpandedDestination...) {
					if t, ok := strings.CutPrefix(x, "unknown:"); ok {
						unknown = append(unknown, t)
					}
				}
			}
			res.Groups = append(res.Groups, gj)
		}
		if out.String() == "json" {
			return render.JSON(env.Stdout, res)
		}
		if len(groups) == 0 {
			fmt.Fprintf(env.Stdout, "No NSG or admin rule applies to %s: all traffic is allowed.\n", render.Escape(nic.Name))
			return nil
		}
		tb := render.Table{Header: []string{"SCOPE", "NSG", "RULE", "PRIORITY", "DIR", "ACCESS", "PROTO", "SOURCE", "SRC PORTS", "DESTINATION", "DST PORTS"}}
		for _, g := range groups {
			for _, r := range g.Rules {
				tb.Add(g.Scope, g.Name, r.Name, strconv.Itoa(r.Priority), r.Direction, r.Access, r.Protocol,
					short(r.ExpandedSource), strings.Join(r.SourcePorts, ","), short(r.ExpandedDestination), strings.Join(r.DestinationPorts, ","))
			}
		}
		if err := tb.Write(env.Stdout); err != nil {
			return err
		}
		printNotes(env, nil, unknown)
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
