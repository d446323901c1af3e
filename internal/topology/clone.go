package topology

import "reflect"

// Clone returns a deep copy of the network (indexed), so a query can modify
// it without touching the original.
func (n *Network) Clone() *Network {
	c := deepCopy(reflect.ValueOf(n)).Interface().(*Network)
	c.idx = nil
	c.Index()
	return c
}

func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(deepCopy(v.Elem()))
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(deepCopy(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(it.Key(), deepCopy(it.Value()))
		}
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v) // copies unexported fields (back-references are rebuilt by Index)
		for i := range v.NumField() {
			if !v.Type().Field(i).IsExported() {
				continue
			}
			f := v.Field(i)
			switch f.Kind() {
			case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Struct:
				out.Field(i).Set(deepCopy(f))
			}
		}
		return out
	}
	return v
}

// dropNils removes nil entries (YAML "- " items) from every list of
// pointers in v, recursively, so later code never meets a nil resource.
func dropNils(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			dropNils(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				dropNils(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Pointer {
			out := reflect.MakeSlice(v.Type(), 0, v.Len())
			for i := range v.Len() {
				if !v.Index(i).IsNil() {
					out = reflect.Append(out, v.Index(i))
				}
			}
			v.Set(out)
		}
		for i := range v.Len() {
			dropNils(v.Index(i))
		}
	}
}
