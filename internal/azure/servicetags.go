package azure

import (
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"strings"
)

// ServiceTags is Azure's published service-tag file (the weekly
// ServiceTags_Public_*.json download or `az network list-service-tags`).
type ServiceTags struct {
	// ChangeNumber and Cloud identify the file's version.
	ChangeNumber int
	Cloud        string
	tags         map[string][]netip.Prefix // lower-case name → prefixes
}

type serviceTagFile struct {
	ChangeNumber int    `json:"changeNumber"`
	Cloud        string `json:"cloud"`
	Values       []struct {
		Name       string `json:"name"`
		ID         string `json:"id"`
		Properties struct {
			AddressPrefixes []string `json:"addressPrefixes"`
		} `json:"properties"`
	} `json:"values"`
}

// maxServiceTagFile bounds the service-tag file (the real one is ~10 MB).
const maxServiceTagFile = 256 << 20

// ParseServiceTags reads a service-tag JSON document. name is used in
// errors. Bad prefixes are skipped and counted in skipped.
func ParseServiceTags(name string, r io.Reader) (st *ServiceTags, skipped int, err error) {
	var f serviceTagFile
	dec := json.NewDecoder(io.LimitReader(r, maxServiceTagFile))
	if err := dec.Decode(&f); err != nil {
		return nil, 0, fmt.Errorf("%s: not a service-tag file: %w", name, err)
	}
	if len(f.Values) == 0 {
		return nil, 0, fmt.Errorf("%s: no \"values\" (expected Azure's service-tag JSON)", name)
	}
	st = &ServiceTags{ChangeNumber: f.ChangeNumber, Cloud: f.Cloud, tags: map[string][]netip.Prefix{}}
	for _, v := range f.Values {
		n := v.Name
		if n == "" {
			n = v.ID
		}
		if n == "" {
			skipped++
			continue
		}
		var ps []netip.Prefix
		for _, s := range v.Properties.AddressPrefixes {
			p, err := netip.ParsePrefix(s)
			if err != nil {
				skipped++
				continue
			}
			ps = append(ps, p.Masked())
		}
		st.tags[strings.ToLower(n)] = ps
	}
	return st, skipped, nil
}

// Lookup returns a tag's prefixes.
func (s *ServiceTags) Lookup(tag string) ([]netip.Prefix, bool) {
	if s == nil {
		return nil, false
	}
	p, ok := s.tags[strings.ToLower(tag)]
	return p, ok
}

// Len returns the number of tags.
func (s *ServiceTags) Len() int {
	if s == nil {
		return 0
	}
	return len(s.tags)
}

// resolveTag expands a service tag from the loaded file, preferring the
// regional variant when region is given (service endpoint routes are
// regional, §2.3).
func (e *Engine) resolveTag(tag, region string) ([]netip.Prefix, bool) {
	if region != "" && !strings.Contains(tag, ".") {
		if p, ok := e.opts.Tags.Lookup(tag + "." + region); ok {
			return p, true
		}
	}
	return e.opts.Tags.Lookup(tag)
}

// ServiceEndpointTag maps a service endpoint name (Microsoft.Storage) to
// the service tag holding its prefixes (Storage).
func ServiceEndpointTag(se string) string {
	switch strings.ToLower(se) {
	case "microsoft.storage", "microsoft.storage.global":
		return "Storage"
	case "microsoft.sql":
		return "Sql"
	case "microsoft.azurecosmosdb":
		return "AzureCosmosDB"
	case "microsoft.keyvault":
		return "AzureKeyVault"
	case "microsoft.eventhub":
		return "EventHub"
	case "microsoft.servicebus":
		return "ServiceBus"
	case "microsoft.web":
		return "AppService"
	case "microsoft.containerregistry":
		return "AzureContainerRegistry"
	case "microsoft.cognitiveservices":
		return "CognitiveServicesManagement"
	case "microsoft.azureactivedirectory":
		return "AzureActiveDirectory"
	}
	_, after, _ := strings.Cut(se, ".")
	return after
}
