package jsonobj

import (
	"slices"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	cases := []struct{ in, err string }{
		{`{"a": 1}`, ""},
		{"[1,\n 2,\n x]", "line 3, column"},
		{`{"a": 1} {"b": 2}`, "more than one top-level value"},
		{strings.Repeat("[", MaxDepth+2) + strings.Repeat("]", MaxDepth+2), "nested deeper than 64 levels"},
		{`{"a": `, "not valid JSON"},
	}
	for _, c := range cases {
		_, err := Decode([]byte(c.in))
		if (err == nil) != (c.err == "") || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("Decode(%.20q) = %v, want %q", c.in, err, c.err)
		}
	}
}

func TestGetters(t *testing.T) {
	v, err := Decode([]byte(`{"Name": "n", "port": "443", "count": 3, "on": "true", "off": false,
		"subnet": {"id": "/s/1"}, "asgs": [{"id": "/a/1"}, "/a/2", 7], "list": ["x", "", 5], "one": "y",
		"tags": {"k": "v", "n": 1}, "objs": [{"a": 1}, 2]}`))
	if err != nil {
		t.Fatal(err)
	}
	o := v.(map[string]any)
	if Str(o, "name") != "n" || Str(o, "count") != "3" || Str(o, "missing") != "" {
		t.Errorf("Str: case-insensitive key and numbers")
	}
	if n, ok := Int(o, "port"); n != 443 || !ok {
		t.Errorf("Int(port) = %d, %v", n, ok)
	}
	if b, ok := Bool(o, "on"); !b || !ok {
		t.Errorf("Bool(on) = %v, %v", b, ok)
	}
	if BoolOr(o, "off", true) || !BoolOr(o, "missing", true) {
		t.Errorf("BoolOr")
	}
	if Ref(o, "subnet") != "/s/1" || !slices.Equal(Refs(o, "asgs"), []string{"/a/1", "/a/2"}) {
		t.Errorf("Ref/Refs: %q %q", Ref(o, "subnet"), Refs(o, "asgs"))
	}
	if !slices.Equal(Strs(o, "list"), []string{"x", "5"}) || !slices.Equal(Strs(o, "one"), []string{"y"}) {
		t.Errorf("Strs: %q %q", Strs(o, "list"), Strs(o, "one"))
	}
	if m := StrMap(o, "tags"); m["k"] != "v" || m["n"] != "1" || StrMap(o, "missing") != nil {
		t.Errorf("StrMap: %v", m)
	}
	if len(Objs(o, "objs")) != 1 || Obj(o, "subnet") == nil || Obj(o, "name") != nil {
		t.Errorf("Obj/Objs")
	}
}
