package dtf

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	// The formatter needs the IANA rules of every zone Java knows, whatever
	// the host has installed.
	_ "time/tzdata"
)

// Zone is a java.time.ZoneId: a fixed offset (ZoneOffset, or a
// UTC/GMT/UT-prefixed region) or a tz database region.
type Zone struct {
	id     string
	loc    *time.Location
	offset bool // a ZoneOffset (its ID is the offset text)
}

// ID returns the normalised zone ID, as ZoneId.getId.
func (z *Zone) ID() string { return z.id }

// Location returns the Go location implementing the zone's rules.
func (z *Zone) Location() *time.Location { return z.loc }

// ZoneError is the exception ZoneId.of raises: DateTimeException or
// ZoneRulesException.
type ZoneError struct {
	Class string
	Msg   string
}

func (e *ZoneError) Error() string { return e.Msg }

// UTC is ZoneOffset.UTC.
var UTC = &Zone{id: "Z", loc: time.UTC, offset: true}

// ParseOffset is ZoneOffset.of: Z, ±h, ±hh, ±hh:mm, ±hhmm, ±hh:mm:ss or
// ±hhmmss, within ±18:00. It returns the total seconds.
func ParseOffset(s string) (int, error) {
	bad := &ZoneError{Class: "DateTimeException", Msg: "Invalid ID for ZoneOffset, invalid format: " + s}
	if s == "Z" {
		return 0, nil
	}
	if len(s) < 2 || s[0] != '+' && s[0] != '-' {
		return 0, bad
	}
	num := func(p string) (int, bool) {
		if len(p) != 2 || p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' {
			return 0, false
		}
		return int(p[0]-'0')*10 + int(p[1]-'0'), true
	}
	var h, m, sec int
	ok := true
	switch b := s[1:]; len(b) {
	case 1:
		if b[0] < '0' || b[0] > '9' {
			return 0, bad
		}
		h = int(b[0] - '0')
	case 2:
		h, ok = num(b)
	case 4:
		var ok2 bool
		h, ok = num(b[:2])
		m, ok2 = num(b[2:])
		ok = ok && ok2
	case 5:
		var ok2 bool
		h, ok = num(b[:2])
		m, ok2 = num(b[3:])
		ok = ok && ok2 && b[2] == ':'
	case 6:
		var ok2, ok3 bool
		h, ok = num(b[:2])
		m, ok2 = num(b[2:4])
		sec, ok3 = num(b[4:])
		ok = ok && ok2 && ok3
	case 8:
		var ok2, ok3 bool
		h, ok = num(b[:2])
		m, ok2 = num(b[3:5])
		sec, ok3 = num(b[6:])
		ok = ok && ok2 && ok3 && b[2] == ':' && b[5] == ':'
	default:
		return 0, bad
	}
	if !ok {
		return 0, bad
	}
	if h > 18 || m > 59 || sec > 59 || h == 18 && (m > 0 || sec > 0) {
		return 0, &ZoneError{Class: "DateTimeException", Msg: "Zone offset not in valid range: " + s}
	}
	total := h*3600 + m*60 + sec
	if s[0] == '-' {
		total = -total
	}
	return total, nil
}

// OffsetID is ZoneOffset.getId: "Z", "+05:30", "-08:00:15".
func OffsetID(total int) string {
	if total == 0 {
		return "Z"
	}
	var b strings.Builder
	a := total
	if a < 0 {
		b.WriteByte('-')
		a = -a
	} else {
		b.WriteByte('+')
	}
	fmt.Fprintf(&b, "%02d:%02d", a/3600, a/60%60)
	if a%60 != 0 {
		fmt.Fprintf(&b, ":%02d", a%60)
	}
	return b.String()
}

// OffsetZone returns the ZoneOffset of the given total seconds.
func OffsetZone(total int) *Zone {
	if total == 0 {
		return UTC
	}
	id := OffsetID(total)
	return &Zone{id: id, loc: time.FixedZone(id, total), offset: true}
}

// prefixedZone is ZoneId.ofOffset(prefix, offset).
func prefixedZone(prefix string, total int) *Zone {
	id := prefix
	if total != 0 {
		id += OffsetID(total)
	}
	return &Zone{id: id, loc: time.FixedZone(id, total)}
}

// Of is ZoneId.of.
func Of(id string) (*Zone, error) {
	if id == "Z" || strings.HasPrefix(id, "+") || strings.HasPrefix(id, "-") {
		off, err := ParseOffset(id)
		if err != nil {
			return nil, err
		}
		return OffsetZone(off), nil
	}
	switch id {
	case "UTC", "GMT", "UT":
		return prefixedZone(id, 0), nil
	}
	for _, p := range []string{"UTC", "GMT", "UT"} {
		if strings.HasPrefix(id, p) && len(id) > len(p) && (id[len(p)] == '+' || id[len(p)] == '-') {
			off, err := ParseOffset(id[len(p):])
			if err != nil {
				return nil, &ZoneError{Class: "DateTimeException", Msg: "Invalid ID for offset-based ZoneId: " + id}
			}
			return prefixedZone(p, off), nil
		}
	}
	if !validRegionID(id) {
		return nil, &ZoneError{Class: "DateTimeException", Msg: "Invalid ID for region-based ZoneId, invalid format: " + id}
	}
	if _, ok := zoneNames[id]; !ok {
		return nil, &ZoneError{Class: "ZoneRulesException", Msg: "Unknown time-zone ID: " + id}
	}
	loc, err := time.LoadLocation(id)
	if err != nil {
		return nil, &ZoneError{Class: "ZoneRulesException", Msg: "Unknown time-zone ID: " + id}
	}
	return &Zone{id: id, loc: loc}, nil
}

func validRegionID(id string) bool {
	if len(id) < 2 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if i == 0 && !letter {
			return false
		}
		if !letter && !(c >= '0' && c <= '9') && !strings.ContainsRune("~/._+-", rune(c)) {
			return false
		}
	}
	return true
}

// regionZone returns the zone of a region ID from the zone text table.
func regionZone(id string) (*Zone, bool) {
	z, err := Of(id)
	return z, err == nil
}

// maxZoneText is the length of the longest key of zoneTextIDs.
var maxZoneText = func() int {
	n := 0
	for k := range zoneTextIDs {
		if len(k) > n {
			n = len(k)
		}
	}
	return n
}()

// itoa2 formats a two-digit number.
func itoa2(b []byte, v int) []byte {
	return append(b, byte('0'+v/10%10), byte('0'+v%10))
}

func atoiDigits(s string) int {
	v, _ := strconv.Atoi(s)
	return v
}
