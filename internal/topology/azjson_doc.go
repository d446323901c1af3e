package topology

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// AzureDialect names the shape an Azure JSON export arrived in.
type AzureDialect string

// Dialects recognised by DecodeAzureJSON.
const (
	DialectARM           AzureDialect = "arm"            // ARM REST / Go SDK: fields under "properties"
	DialectCLI           AzureDialect = "az-cli"         // az CLI: "properties" merged into the parent
	DialectResourceGraph AzureDialect = "resource-graph" // Azure Resource Graph rows ({"data": [...]}, lower-case type)
	DialectTerraform     AzureDialect = "terraform"      // terraform show -json
	DialectWatcher       AzureDialect = "network-watcher"
)

// AzureResource is one resource of an export after normalisation: the
// "properties" objects of the nested dialect are merged into their parent
// (recursively, the way az CLI prints them), so every dialect reads alike.
type AzureResource struct {
	ID    AzureID
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

// AzureDocument is what one file held once its envelope is removed.
type AzureDocument struct {
	Dialect   AzureDialect
	Resources []AzureResource
	// Watcher holds Network Watcher results (effective routes, effective
	// NSGs, next hop, IP flow verify) when the file is one of those outputs
	// rather than topology.
	Watcher *WatcherOutput
	// Notes are things skipped or assumed, one sentence each (warnings).
	Notes []string
}

// maxAzureDepth bounds nesting so hostile input cannot exhaust the stack.
const maxAzureDepth = 64

// DecodeAzureJSON decodes an Azure JSON export in any of the supported
// dialects (az CLI list or show output, ARM REST or SDK bodies, REST spec
// example files, list responses with "value", Resource Graph results) and
// returns its resources normalised. Terraform state is recognised but
// decoded by DecodeTerraformState.
func DecodeAzureJSON(data []byte) (*AzureDocument, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, jsonError(data, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("not valid JSON: more than one top-level value")
	}
	if depth(v, 0) > maxAzureDepth {
		return nil, fmt.Errorf("JSON nested deeper than %d levels", maxAzureDepth)
	}
	doc := &AzureDocument{}
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
func unwrapEnvelope(v any, doc *AzureDocument) ([]any, error) {
	for range maxAzureDepth {
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
			if _, hasType := t["type"]; !hasType {
				// "data": Resource Graph (REST, az graph query); "Data":
				// Search-AzGraph piped to ConvertTo-Json.
				if d, ok := field(t, "data"); ok {
					doc.Dialect = DialectResourceGraph
					if rows := tableRows(d); rows != nil {
						return rows, nil
					}
					v = d
					continue
				}
				if v0, _ := field(t, "value"); v0 != nil {
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
func normaliseResource(o map[string]any, idx int) AzureResource {
	body := flatten(o, 0).(map[string]any)
	id := ParseAzureID(str(body, "id"))
	typ := strings.ToLower(str(body, "type"))
	if !strings.Contains(typ, "/") {
		// Some bodies (rule collection groups) carry no type: use the id's.
		typ = id.Type()
	}
	if _, ok := azKnownTypes[typ]; !ok && body["ruleCollections"] != nil {
		// A rule collection group whose example id is malformed.
		typ = tRCG
	}
	name := str(body, "name")
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
	return AzureResource{ID: id, Type: typ, Name: name, Index: idx, Body: body, Bare: bare}
}

// flatten merges every "properties" object into its parent, recursively,
// as az CLI does. Keys already present in the parent win; the property
// they shadow stays readable as "properties.<key>".
func flatten(v any, d int) any {
	if d > maxAzureDepth {
		return nil
	}
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			if k == "properties" {
				if _, ok := x.(map[string]any); ok {
					continue
				}
			}
			out[k] = flatten(x, d+1)
		}
		if p, ok := t["properties"].(map[string]any); ok {
			for k, x := range flatten(p, d+1).(map[string]any) {
				if _, exists := out[k]; !exists {
					out[k] = x
				} else {
					// Keep the shadowed value (a gateway NAT rule's own
					// "type" under a child resource "type").
					out["properties."+k] = x
				}
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = flatten(x, d+1)
		}
		return out
	default:
		return v
	}
}

func depth(v any, d int) int {
	if d > maxAzureDepth {
		return d
	}
	m := d
	switch t := v.(type) {
	case map[string]any:
		for _, x := range t {
			m = max(m, depth(x, d+1))
		}
	case []any:
		for _, x := range t {
			m = max(m, depth(x, d+1))
		}
	}
	return m
}

// lowerTypes reports whether every resource spells its type in lower case
// (Resource Graph does; ARM and az CLI keep the canonical casing).
func lowerTypes(rs []AzureResource) bool {
	seen := false
	for _, r := range rs {
		raw := str(r.Body, "type")
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
	if id := str(o, "id"); id != "" {
		return "id " + id
	}
	if n := str(o, "name"); n != "" {
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

// jsonError says where in data a decoding error is, as line and column.
func jsonError(data []byte, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		off = int64(len(data))
	}
	if off < 0 || off > int64(len(data)) {
		return fmt.Errorf("not valid JSON: %w", err)
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - int64(bytes.LastIndexByte(data[:off], '\n'))
	return fmt.Errorf("not valid JSON: line %d, column %d: %w", line, col, err)
}
