// Package azlive reads a network's topology straight from Azure: one Azure
// Resource Graph query per scope (azure://SUBSCRIPTION[/RESOURCEGROUP]),
// paged with its skip token, and ARM (armnetwork) reads only for what
// Resource Graph lacks (firewall policy rule collection groups). It also
// fetches a NIC's effective routes and effective security rules, Azure's
// own answers, for comparison with pathproof's.
//
// What it fetches stays raw JSON, in the shapes the offline loaders read
// (internal/topology/azjson knows the Resource Graph dialect), so a live
// load and a replay of its export (Export) map through the same
// code. Every call is a read: GETs, and POSTs that only query (Resource
// Graph queries, effective routes and rules); resource-provider
// registration is disabled. No Azure SDK type leaves the package except
// Options.Credential, and no token, header or SDK error dump reaches an
// error message.
package azlive
