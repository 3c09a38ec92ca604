package dtf

import (
	"testing"
	"time"
)

func TestFormat(t *testing.T) {
	ts := time.UnixMilli(1574180147923)
	for _, c := range []struct{ pattern, zone, want string }{
		{"yyyy-MM-dd'T'HH:mm:ss.SSSX", "UTC", "2019-11-19T16:15:47.923Z"},
		{"yyyy/MM/dd HH:mm zzz", "America/New_York", "2019/11/19 11:15 EST"},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "Asia/Kolkata", "2019-11-19T21:45:47.923+05:30"},
		{"EEE, dd MMM yyyy HH:mm:ss O", "GMT", "Tue, 19 Nov 2019 16:15:47 GMT"},
		{"HH:mm X", "+05:30", "21:45 +0530"},
		{"HH:mm z", "GMT+2", "18:15 GMT+02:00"},
		{"ss.SSSSSSSSS n", "UTC", "47.923000000 923000000"},
		{"hh 'o''clock' a", "UTC", "04 o'clock PM"},
	} {
		f, err := Compile(c.pattern)
		if err != nil {
			t.Fatalf("%s: %v", c.pattern, err)
		}
		z, err := Of(c.zone)
		if err != nil {
			t.Fatalf("%s: %v", c.zone, err)
		}
		if got := f.WithZone(z).Format(ts); got != c.want {
			t.Errorf("%s in %s: got %q, want %q", c.pattern, c.zone, got, c.want)
		}
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		pattern, zone, text string
		want                int64 // -1: parse error
	}{
		{"yyyy-MM-dd'T'HH:mm:ss.SSSX", "UTC", "2019-11-19T16:15:47.923Z", 1574180147923},
		{"dd MMM yyyy HH:mm:ss", "Europe/Paris", "06 Feb 2020 17:09:55", 1581005395000},
		{"yyyy-MM-dd HH:mm", "Europe/Paris", "2024-03-31 02:30", 1711848600000},
		{"uuuuMMddHHmmss", "UTC", "20191119161547", 1574180147000},
		{"dd/MMM/yyyy:HH:mm:ss Z", "UTC", "10/Oct/2000:13:55:36 -0700", 971211336000},
		{"yyyy-MM-dd'T'HH:mm:ss.SSz", "UTC", "2019-11-19T16:15:47.92PST", 1574208947920},
		{"EEE, dd MMM yyyy HH:mm:ss zzz", "UTC", "Mon, 19 Nov 2019 16:15:47 GMT", -1},
		{"MMM d HH:mm:ss", "UTC", "Nov 19 16:15:47", -1},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSX", "UTC", "1574180147923", -1},
		{"yyyy/MM/dd", "UTC", "2019/11/19", -1},
	} {
		f, _ := Compile(c.pattern)
		z, _ := Of(c.zone)
		got, err := f.WithZone(z).Parse(c.text)
		if c.want == -1 {
			if err == nil {
				t.Errorf("%s %q: parsed as %v, want an error", c.pattern, c.text, got)
			}
			continue
		}
		if err != nil || got.UnixMilli() != c.want {
			t.Errorf("%s %q: got %d (%v), want %d", c.pattern, c.text, got.UnixMilli(), err, c.want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	for p, want := range map[string]string{
		"yyyy-MM-dd'T":   "Pattern ends with an incomplete string literal: yyyy-MM-dd'T",
		"yyyy-MM-dd bbb": "Unknown pattern letter: b",
		"ddd":            "Too many pattern letters: d",
		"yyyy#":          "Pattern includes reserved character: '#'",
	} {
		if _, err := Compile(p); err == nil || err.Error() != want {
			t.Errorf("%s: got %v, want %s", p, err, want)
		}
	}
	if _, err := Of("Mars/Olympus"); err == nil || err.(*ZoneError).Class != "ZoneRulesException" {
		t.Errorf("Mars/Olympus: got %v", err)
	}
}
