package blob

import (
	"testing"
	"time"
)

func TestHourFolder(t *testing.T) {
	for _, c := range []struct {
		name, prefix, next string
		hour               time.Time
	}{
		{"flowLogResourceID=/S_RG/NW_FL/y=2026/m=11/d=25/h=17/m=00/macAddress=000D3A000001/PT1H.json",
			"flowLogResourceID=/S_RG/NW_FL/y=2026/m=11/d=25/h=17/", "flowLogResourceID=/S_RG/NW_FL/y=2026/m=11/d=25/h=18/",
			time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)},
		{"resourceId=/SUBSCRIPTIONS/S/y=2026/m=12/d=31/h=23/m=00/PT1H.json",
			"resourceId=/SUBSCRIPTIONS/S/y=2026/m=12/d=31/h=23/", "resourceId=/SUBSCRIPTIONS/S/y=2027/m=01/d=01/h=00/",
			time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC)},
		{"x/y=2026/m=02/d=28/h=23/PT1H.json", "x/y=2026/m=02/d=28/h=23/", "x/y=2026/m=03/d=01/h=00/",
			time.Date(2026, 2, 28, 23, 0, 0, 0, time.UTC)},
		{"no/time/folders/PT1H.json", "", "", time.Time{}},
		{"y=2026/m=11/d=25/PT1H.json", "", "", time.Time{}},
	} {
		prefix, hour, ok := HourFolder(c.name)
		if prefix != c.prefix || !hour.Equal(c.hour) || ok != (c.prefix != "") {
			t.Errorf("HourFolder(%q) = %q, %v, %v; want %q, %v", c.name, prefix, hour, ok, c.prefix, c.hour)
			continue
		}
		if !ok {
			continue
		}
		if next, ok := NextHourFolder(prefix); !ok || next != c.next {
			t.Errorf("NextHourFolder(%q) = %q, %v; want %q", prefix, next, ok, c.next)
		}
	}
}
