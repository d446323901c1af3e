// Package azjson reads Azure's JSON exports: az CLI list and show output,
// ARM REST and SDK bodies, REST specification examples and Azure Resource
// Graph results. Decode normalises any of these dialects into Resources;
// Read adds a file's resources to an armset.Set. Network Watcher outputs
// (effective routes and rules, next hop, IP flow verify) are recognised
// and returned apart, for tests that compare pathproof with Azure.
package azjson

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/pathproof/pathproof/internal/topology/arm"
	"github.com/pathproof/pathproof/internal/topology/jsonobj"
)

// Dialect names the shape an Azure JSON export arrived in.
type Dialect string

// Dialects recognised by Decode.
const (
	DialectARM           Dialect = "arm"            // ARM REST / Go SDK: fields under "properties"
	DialectCLI           Dialect = "az-cli"         // az CLI: "properties" merged into the parent
	DialectResourceGraph Dialect = "resource-graph" // Azure Resource Graph rows ({"data": [...]}, lower-case type)
	DialectTerraform     Dialect = "terraform"      // terraform show -json
	DialectWatcher       Dialect = "network-watcher"
)

// Resource is one resource of an export after normalisation: the
// "properties" objects of the nested dialect are merged into their parent
// (recursively, the way az CLI prints them), so every dialect reads alike.
type Resource struct {
	ID    arm.ID
	Type  string // lower-cased ARM type, from "type" or, when absent, from the id
	Name  string
	Index int            // 0-based position in the file
	Body  map[string]any // flattened object
	// Bare is true when the object has only the envelope columns (id,
	// name, type, location, tags, ...) and no resource fields: an
	// `az resource list` row, or a Resource Graph query that did not
	// project properties.
	Bare bool
}

// envelopeKeys are the top-level keys every resource (or Resource Graph
// row) has whatever its type.
var envelopeKeys = map[string]bool{"id": true, "name": true, "type": true, "location": true, "tags": true, "etag": true,
	"subscriptionid": true, "resourcegroup": true, "tenantid": true, "kind": true, "managedby": true, "sku": true,
	"plan": true, "identity": true, "zones": true, "extendedlocation": true, "properties": true, "systemdata": true,
	"createdtime": true, "changedtime": true, "provisioningstate": true}

// Document is what one file held once its envelope is removed.
type Document struct {
	Dialect   Dialect
	Resources []Resource
	// Watcher holds Network Watcher results (effective routes, effective
	// NSGs, next hop, IP flow verify) when the file is one of those outputs
	// rather than topology.
	Watcher *WatcherOutput
	// Notes are things skipped or assumed, one sentence each (warnings).
	Notes []string
}

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = jsonobj.MaxDepth

// Decode decodes an Azure JSON export in any of the supported
// dialects (az CLI list or show output, ARM REST or SDK bodies, REST spec
// example files, list responses with "value", Resource Graph results) and
// returns its resources normalised. Terraform state is recognised but
// read by package terraform.
func Decode(data []byte) (*Document, error) {
	v, err := jsonobj.Decode(data)
	if err != nil {
		return nil, err
	}
	return DecodeValue(v)
}

// DecodeValue is Decode on a document already decoded by jsonobj.Decode
// (the topology loader decodes a JSON file once for every format).
func DecodeValue(v any) (*Document, error) {
	doc := &Document{}
	items, err := unwrapEnvelope(v, doc)
	if err != nil || doc.Dialect == DialectTerraform || doc.Watcher != nil {
		return doc, err
	}
	nested, flat := 0, 0
	for i, it := range items {
		o, ok := it.(map[string]any)
		if !ok {
			doc.Notes = append(doc.Notes, fmt.Sprintf("item %d is not a JSON object; skipped", i))
			continue
		}
		if _, ok := o["properties"].(map[string]any); ok {
			nested++
		} else {
			flat++
		}
		r := normaliseResource(o, i)
		if r.Type == "" {
			doc.Notes = append(doc.Notes, fmt.Sprintf("item %d (%s) has no type and an id that names none; skipped", i, describeItem(o)))
			continue
		}
		doc.Resources = append(doc.Resources, r)
	}
	if doc.Dialect == "" {
		switch {
		case nested > 0 && lowerTypes(doc.Resources):
			doc.Dialect = DialectResourceGraph
		case nested > 0:
			doc.Dialect = DialectARM
		default:
			doc.Dialect = DialectCLI
		}
	}
	return doc, nil
}

// unwrapEnvelope removes the wrappers exports put around resources and
// returns the resource objects.
func unwrapEnvelope(v any, doc *Document) ([]any, error) {
	for range maxDepth {
		switch t := v.(type) {
		case []any:
			if w := parseWatcherList(t); w != nil {
				doc.Dialect, doc.Watcher = DialectWatcher, w
				return nil, nil
			}
			return t, nil
		case map[string]any:
			switch {
			case t["format_version"] != nil && (t["values"] != nil || t["planned_values"] != nil || t["prior_state"] != nil):
				doc.Dialect = DialectTerraform
				return nil, nil
			case t["$schema"] != nil && t["resources"] != nil:
				return nil, fmt.Errorf("this is an ARM deployment template (az group export), not an export of resources: templates hold expressions, not deployed values; use 'az network vnet list' and friends or 'az graph query' instead")
			case t["responses"] != nil && t["parameters"] != nil:
				// A REST API specification example: take the first success body.
				body, ok := exampleBody(t)
				if !ok {
					return nil, fmt.Errorf("REST example file without a 200/201 response body")
				}
				if o, ok := body.(map[string]any); ok && learnedRoutesBody(o) {
					return learnedItems(o, t["parameters"], doc), nil
				}
				if w := parseWatcher(body, t["parameters"]); w != nil {
					doc.Dialect, doc.Watcher = DialectWatcher, w
					return nil, nil
				}
				v = body
				continue
			}
			if w := parseWatcher(t, nil); w != nil {
				doc.Dialect, doc.Watcher = DialectWatcher, w
				return nil, nil
			}
			if learnedRoutesBody(t) {
				return learnedItems(t, nil, doc), nil
			}
			if _, hasType := t["type"]; !hasType {
				// "data": Resource Graph (REST, az graph query); "Data":
				// Search-AzGraph piped to ConvertTo-Json.
				if d, ok := jsonobj.Field(t, "data"); ok {
					doc.Dialect = DialectResourceGraph
					if rows := tableRows(d); rows != nil {
						return rows, nil
					}
					v = d
					continue
				}
				if v0, _ := jsonobj.Field(t, "value"); v0 != nil {
					if val, ok := v0.([]any); ok {
						v = val
						continue
					}
				}
			}
			return []any{t}, nil
		case nil:
			return nil, nil
		default:
			return nil, fmt.Errorf("top-level JSON value is a %s, not an object or array", jsonKind(v))
		}
	}
	return nil, fmt.Errorf("envelope nested too deeply")
}

// exampleBody returns responses."200".body (or 201, or the lowest 2xx).
func exampleBody(t map[string]any) (any, bool) {
	resp, _ := t["responses"].(map[string]any)
	codes := make([]string, 0, len(resp))
	for k := range resp {
		codes = append(codes, k)
	}
	sort.Strings(codes)
	for _, c := range codes {
		if !strings.HasPrefix(c, "2") {
			continue
		}
		r, _ := resp[c].(map[string]any)
		if b, ok := r["body"]; ok && b != nil {
			return b, true
		}
	}
	return nil, false
}

// tableRows converts a Resource Graph "table" result ({"columns":[{"name"}],
// "rows":[[...]]}) into row objects; nil when d is not one.
func tableRows(d any) []any {
	t, ok := d.(map[string]any)
	if !ok {
		return nil
	}
	cols, ok1 := t["columns"].([]any)
	rows, ok2 := t["rows"].([]any)
	if !ok1 || !ok2 {
		return nil
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		if m, ok := c.(map[string]any); ok {
			names[i], _ = m["name"].(string)
		}
	}
	out := make([]any, 0, len(rows))
	for _, r := range rows {
		cells, _ := r.([]any)
		o := map[string]any{}
		for i, c := range cells {
			if i < len(names) && names[i] != "" {
				o[names[i]] = c
			}
		}
		out = append(out, o)
	}
	return out
}

// normaliseResource flattens o and works out its type and id.
func normaliseResource(o map[string]any, idx int) Resource {
	body := arm.Flatten(o).(map[string]any)
	id := arm.ParseID(jsonobj.Str(body, "id"))
	typ := strings.ToLower(jsonobj.Str(body, "type"))
	if !strings.Contains(typ, "/") {
		// Some bodies (rule collection groups) carry no type: use the id's.
		typ = id.Type()
	}
	if _, ok := azKnownTypes[typ]; !ok && body["ruleCollections"] != nil {
		// A rule collection group whose example id is malformed.
		typ = tRCG
	}
	name := jsonobj.Str(body, "name")
	if name == "" && id.Raw != "" {
		name = id.Name()
	}
	bare := true
	for k, v := range o {
		if p, ok := v.(map[string]any); ok && k == "properties" && len(p) > 0 {
			bare = false
			break
		}
		if !envelopeKeys[strings.ToLower(k)] {
			bare = false
			break
		}
	}
	return Resource{ID: id, Type: typ, Name: name, Index: idx, Body: body, Bare: bare}
}

// lowerTypes reports whether every resource spells its type in lower case
// (Resource Graph does; ARM and az CLI keep the canonical casing).
func lowerTypes(rs []Resource) bool {
	seen := false
	for _, r := range rs {
		raw := jsonobj.Str(r.Body, "type")
		if raw == "" {
			continue
		}
		if raw != strings.ToLower(raw) {
			return false
		}
		seen = true
	}
	return seen
}

func describeItem(o map[string]any) string {
	if id := jsonobj.Str(o, "id"); id != "" {
		return "id " + id
	}
	if n := jsonobj.Str(o, "name"); n != "" {
		return "name " + n
	}
	return "no id"
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	}
	return fmt.Sprintf("%T", v)
}
