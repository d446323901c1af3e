package topology

import (
	"reflect"
	"strings"
)

// Counts counts the network's resources per kind, named by the Network's
// JSON keys (every list of resources it holds), and its subnets under
// "subnets".
func (n *Network) Counts() map[string]int {
	out := map[string]int{}
	v, ty := reflect.ValueOf(n).Elem(), reflect.TypeOf(*n)
	for i := range ty.NumField() {
		f := ty.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Type.Kind() == reflect.Slice && name != "" && name != "-" && f.IsExported() {
			out[name] = v.Field(i).Len()
		}
	}
	for _, vn := range n.VNets {
		out["subnets"] += len(vn.Subnets)
	}
	return out
}
