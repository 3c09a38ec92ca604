// Package dtf implements the part of java.time.format.DateTimeFormatter that
// configurations use: DateTimeFormatter.ofPattern patterns (Locale en_US,
// ISO chronology, SMART resolving, strict parsing), formatting an instant in
// a zone and parsing text to an instant as ZonedDateTime.parse does.
package dtf

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// PatternError is the IllegalArgumentException ofPattern raises.
type PatternError struct{ Msg string }

func (e *PatternError) Error() string { return e.Msg }

// ParseError is a DateTimeParseException.
type ParseError struct{ Msg string }

func (e *ParseError) Error() string { return e.Msg }

type field uint8

const (
	fEra field = iota
	fYearOfEra
	fYear
	fMonth
	fDay
	fDayOfYear
	fDayOfWeek
	fAmPm
	fHourOfAmPm      // K
	fClockHourOfAmPm // h
	fHour            // H
	fClockHour       // k
	fMinute
	fSecond
	fNano
	fMilliOfDay
	fNanoOfDay
	fOffset
	numFields
)

var fieldNames = [numFields]string{"Era", "YearOfEra", "Year", "MonthOfYear", "DayOfMonth", "DayOfYear",
	"DayOfWeek", "AmPmOfDay", "HourOfAmPm", "ClockHourOfAmPm", "HourOfDay", "ClockHourOfDay", "MinuteOfHour",
	"SecondOfMinute", "NanoOfSecond", "MilliOfDay", "NanoOfDay", "OffsetSeconds"}

type signStyle uint8

const (
	signNormal signStyle = iota
	signExceedsPad
	signNotNegative
)

type textStyle uint8

const (
	styleShort textStyle = iota
	styleFull
	styleNarrow
)

type kind uint8

const (
	kLiteral kind = iota
	kNumber
	kReduced
	kFraction
	kText
	kOffset
	kLocalizedOffset
	kZoneText
	kZoneID
	kOptional
)

type item struct {
	kind       kind
	lit        string
	field      field
	min, max   int
	sign       signStyle
	subsequent int // widths reserved for adjacent fixed-width numbers
	style      textStyle
	offPattern string // +HH, +HHmm, +HH:mm, +HHMM, +HH:MM, +HHMMss, +HH:MM:ss ...
	noOffset   string
	opt        []item
}

// Formatter is a compiled DateTimeFormatter with an optional override zone
// (withZone).
type Formatter struct {
	pattern string
	items   []item
	zone    *Zone
}

// Pattern returns the source pattern.
func (f *Formatter) Pattern() string { return f.pattern }

// WithZone returns a copy of f with an override zone.
func (f *Formatter) WithZone(z *Zone) *Formatter {
	c := *f
	c.zone = z
	return &c
}

// Compile is DateTimeFormatter.ofPattern.
func Compile(pattern string) (*Formatter, error) {
	stack := [][]item{nil}
	for i := 0; i < len(pattern); {
		c := pattern[i]
		switch {
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
			n := 1
			for i+n < len(pattern) && pattern[i+n] == c {
				n++
			}
			it, err := letter(c, n)
			if err != nil {
				return nil, err
			}
			top := len(stack) - 1
			stack[top] = appendItem(stack[top], it)
			i += n
		case c == '\'':
			j := i + 1
			var lit strings.Builder
			for {
				if j >= len(pattern) {
					return nil, &PatternError{"Pattern ends with an incomplete string literal: " + pattern}
				}
				if pattern[j] == '\'' {
					if j+1 < len(pattern) && pattern[j+1] == '\'' {
						lit.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				lit.WriteByte(pattern[j])
				j++
			}
			if j == i+1 {
				lit.WriteByte('\'')
			}
			top := len(stack) - 1
			stack[top] = append(stack[top], item{kind: kLiteral, lit: lit.String()})
			i = j + 1
		case c == '[':
			stack = append(stack, nil)
			i++
		case c == ']':
			if len(stack) == 1 {
				return nil, &PatternError{"Pattern invalid as it contains ] without previous ["}
			}
			inner := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			top := len(stack) - 1
			stack[top] = append(stack[top], item{kind: kOptional, opt: inner})
			i++
		case c == '{' || c == '}' || c == '#':
			return nil, &PatternError{"Pattern includes reserved character: '" + string(c) + "'"}
		default:
			_, n := utf8.DecodeRuneInString(pattern[i:])
			top := len(stack) - 1
			stack[top] = append(stack[top], item{kind: kLiteral, lit: pattern[i : i+n]})
			i += n
		}
	}
	for len(stack) > 1 {
		inner := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		top := len(stack) - 1
		stack[top] = append(stack[top], item{kind: kOptional, opt: inner})
	}
	return &Formatter{pattern: pattern, items: stack[0]}, nil
}

// appendItem appends it, reserving the width of a fixed-width number for a
// preceding variable-width one (adjacent value parsing).
func appendItem(items []item, it item) []item {
	fixed := it.kind == kNumber && it.min == it.max && it.sign == signNotNegative ||
		it.kind == kFraction && it.min == it.max
	if fixed && len(items) > 0 {
		for j := len(items) - 1; j >= 0; j-- {
			p := &items[j]
			if p.kind != kNumber && p.kind != kReduced && p.kind != kFraction {
				break
			}
			if p.kind == kNumber && (p.min != p.max || p.sign != signNotNegative) {
				p.subsequent += it.min
				break
			}
		}
	}
	if it.kind == kNumber && it.min == it.max && it.sign == signNormal {
		it.sign = signNotNegative
	}
	return append(items, it)
}

func tooMany(c byte) error { return &PatternError{"Too many pattern letters: " + string(c)} }

func num(f field, min, max int, s signStyle) item {
	return item{kind: kNumber, field: f, min: min, max: max, sign: s}
}

// letter compiles a run of n pattern letters c.
func letter(c byte, n int) (item, error) {
	simple := func(f field) (item, error) {
		switch n {
		case 1:
			return num(f, 1, 19, signNormal), nil
		case 2:
			return num(f, 2, 2, signNotNegative), nil
		}
		return item{}, tooMany(c)
	}
	text := func(f field, numeric bool) (item, error) {
		switch {
		case n <= 2 && numeric:
			if n == 1 {
				return num(f, 1, 19, signNormal), nil
			}
			return num(f, 2, 2, signNotNegative), nil
		case n <= 3:
			return item{kind: kText, field: f, style: styleShort}, nil
		case n == 4:
			return item{kind: kText, field: f, style: styleFull}, nil
		case n == 5:
			return item{kind: kText, field: f, style: styleNarrow}, nil
		}
		return item{}, tooMany(c)
	}
	switch c {
	case 'y', 'u':
		f := fYearOfEra
		if c == 'u' {
			f = fYear
		}
		switch {
		case n == 2:
			return item{kind: kReduced, field: f, min: 2, max: 2}, nil
		case n < 4:
			return num(f, n, 19, signNormal), nil
		}
		return num(f, n, 19, signExceedsPad), nil
	case 'M', 'L':
		return text(fMonth, true)
	case 'E':
		if n <= 3 {
			return item{kind: kText, field: fDayOfWeek, style: styleShort}, nil
		}
		return text(fDayOfWeek, false)
	case 'G':
		if n <= 3 {
			return item{kind: kText, field: fEra, style: styleShort}, nil
		}
		return text(fEra, false)
	case 'a':
		if n == 1 {
			return item{kind: kText, field: fAmPm, style: styleShort}, nil
		}
		return item{}, tooMany(c)
	case 'd':
		return simple(fDay)
	case 'H':
		return simple(fHour)
	case 'h':
		return simple(fClockHourOfAmPm)
	case 'k':
		return simple(fClockHour)
	case 'K':
		return simple(fHourOfAmPm)
	case 'm':
		return simple(fMinute)
	case 's':
		return simple(fSecond)
	case 'D':
		switch n {
		case 1:
			return num(fDayOfYear, 1, 19, signNormal), nil
		case 2:
			return num(fDayOfYear, 2, 3, signNotNegative), nil
		case 3:
			return num(fDayOfYear, 3, 3, signNotNegative), nil
		}
		return item{}, tooMany(c)
	case 'S':
		return item{kind: kFraction, field: fNano, min: n, max: n}, nil
	case 'n':
		if n == 1 {
			return num(fNano, 1, 19, signNormal), nil
		}
		return num(fNano, n, 19, signNotNegative), nil
	case 'N':
		if n == 1 {
			return num(fNanoOfDay, 1, 19, signNormal), nil
		}
		return num(fNanoOfDay, n, 19, signNotNegative), nil
	case 'A':
		if n == 1 {
			return num(fMilliOfDay, 1, 19, signNormal), nil
		}
		return num(fMilliOfDay, n, 19, signNotNegative), nil
	case 'X', 'x':
		if n > 5 {
			return item{}, tooMany(c)
		}
		pats := [...]string{"", "+HHmm", "+HHMM", "+HH:MM", "+HHMMss", "+HH:MM:ss"}
		zero := "Z"
		if c == 'x' {
			zero = [...]string{"", "+00", "+0000", "+00:00", "+0000", "+00:00"}[n]
		}
		p := pats[n]
		if n == 1 {
			p = "+HHmm"
		}
		return item{kind: kOffset, offPattern: p, noOffset: zero}, nil
	case 'Z':
		switch {
		case n < 4:
			return item{kind: kOffset, offPattern: "+HHMM", noOffset: "+0000"}, nil
		case n == 4:
			return item{kind: kLocalizedOffset, style: styleFull}, nil
		case n == 5:
			return item{kind: kOffset, offPattern: "+HH:MM:ss", noOffset: "Z"}, nil
		}
		return item{}, tooMany(c)
	case 'O':
		switch n {
		case 1:
			return item{kind: kLocalizedOffset, style: styleShort}, nil
		case 4:
			return item{kind: kLocalizedOffset, style: styleFull}, nil
		}
		return item{}, &PatternError{"Pattern letter count must be 1 or 4: O"}
	case 'z':
		switch {
		case n <= 3:
			return item{kind: kZoneText, style: styleShort}, nil
		case n == 4:
			return item{kind: kZoneText, style: styleFull}, nil
		}
		return item{}, tooMany(c)
	case 'V':
		if n != 2 {
			return item{}, &PatternError{"Pattern letter count must be 2: V"}
		}
		return item{kind: kZoneID}, nil
	case 'Q', 'q', 'Y', 'w', 'W', 'e', 'c', 'F', 'g', 'v', 'B':
		return item{}, &PatternError{"Unsupported pattern letter: " + string(c)}
	}
	return item{}, &PatternError{"Unknown pattern letter: " + string(c)}
}

var (
	monthsShort = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	monthsFull  = [...]string{"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"}
	daysShort = [...]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	daysFull  = [...]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
)

// texts returns the texts of a text field, indexed from the field's
// minimum value (1 for months and days of week, 0 for AM/PM and eras).
func texts(f field, s textStyle) []string {
	switch f {
	case fMonth:
		switch s {
		case styleShort:
			return monthsShort[:]
		case styleFull:
			return monthsFull[:]
		}
		n := make([]string, 12)
		for i, m := range monthsFull {
			n[i] = m[:1]
		}
		return n
	case fDayOfWeek:
		switch s {
		case styleShort:
			return daysShort[:]
		case styleFull:
			return daysFull[:]
		}
		n := make([]string, 7)
		for i, d := range daysFull {
			n[i] = d[:1]
		}
		return n
	case fAmPm:
		if s == styleNarrow {
			return []string{"a", "p"}
		}
		return []string{"AM", "PM"}
	case fEra:
		switch s {
		case styleFull:
			return []string{"Before Christ", "Anno Domini"}
		case styleNarrow:
			return []string{"B", "A"}
		}
		return []string{"BC", "AD"}
	}
	return nil
}

func textBase(f field) int64 {
	if f == fMonth || f == fDayOfWeek {
		return 1
	}
	return 0
}

// Format is DateTimeFormatter.format of an Instant: the instant is shown in
// the override zone (UTC when there is none).
func (f *Formatter) Format(t time.Time) string {
	z := f.zone
	if z == nil {
		z = UTC
	}
	lt := t.In(z.loc)
	b := make([]byte, 0, 32)
	return string(f.format(b, f.items, lt, z))
}

func fieldValue(f field, t time.Time) int64 {
	switch f {
	case fEra:
		if t.Year() <= 0 {
			return 0
		}
		return 1
	case fYearOfEra:
		if y := t.Year(); y <= 0 {
			return int64(1 - y)
		}
		return int64(t.Year())
	case fYear:
		return int64(t.Year())
	case fMonth:
		return int64(t.Month())
	case fDay:
		return int64(t.Day())
	case fDayOfYear:
		return int64(t.YearDay())
	case fDayOfWeek:
		return int64((int(t.Weekday())+6)%7 + 1)
	case fAmPm:
		return int64(t.Hour() / 12)
	case fHourOfAmPm:
		return int64(t.Hour() % 12)
	case fClockHourOfAmPm:
		if h := t.Hour() % 12; h != 0 {
			return int64(h)
		}
		return 12
	case fHour:
		return int64(t.Hour())
	case fClockHour:
		if t.Hour() == 0 {
			return 24
		}
		return int64(t.Hour())
	case fMinute:
		return int64(t.Minute())
	case fSecond:
		return int64(t.Second())
	case fNano:
		return int64(t.Nanosecond())
	case fMilliOfDay:
		return int64(((t.Hour()*60+t.Minute())*60+t.Second())*1000 + t.Nanosecond()/1e6)
	case fNanoOfDay:
		return int64((t.Hour()*60+t.Minute())*60+t.Second())*1e9 + int64(t.Nanosecond())
	}
	return 0
}

func (f *Formatter) format(b []byte, items []item, t time.Time, z *Zone) []byte {
	for i := range items {
		it := &items[i]
		switch it.kind {
		case kLiteral:
			b = append(b, it.lit...)
		case kOptional:
			b = f.format(b, it.opt, t, z)
		case kNumber:
			v := fieldValue(it.field, t)
			s := strconv.FormatInt(absI(v), 10)
			switch {
			case v < 0:
				b = append(b, '-')
			case it.sign == signExceedsPad && it.min < 19 && len(s) > it.min:
				b = append(b, '+')
			}
			for k := len(s); k < it.min; k++ {
				b = append(b, '0')
			}
			b = append(b, s...)
		case kReduced:
			v := fieldValue(it.field, t)
			b = itoa2(b, int(absI(v)%100))
		case kFraction:
			s := fmt.Sprintf("%09d", t.Nanosecond())
			b = append(b, s[:it.min]...)
		case kText:
			v := fieldValue(it.field, t)
			b = append(b, texts(it.field, it.style)[v-textBase(it.field)]...)
		case kOffset:
			_, off := t.Zone()
			b = appendOffset(b, it, off)
		case kLocalizedOffset:
			_, off := t.Zone()
			b = appendLocalizedOffset(b, it.style, off)
		case kZoneID:
			b = append(b, z.id...)
		case kZoneText:
			b = append(b, zoneText(z, t, it.style)...)
		}
	}
	return b
}

func absI(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// zoneText is the display name of z at t, or its ID when it has none.
func zoneText(z *Zone, t time.Time, s textStyle) string {
	if z.offset {
		return z.id
	}
	names, ok := zoneNames[z.id]
	if !ok {
		return z.id
	}
	i := 0
	if t.IsDST() {
		i = 1
	}
	if s == styleFull {
		i += 2
	}
	if names[i] == "" {
		return z.id
	}
	return names[i]
}

func appendOffset(b []byte, it *item, off int) []byte {
	if off == 0 {
		return append(b, it.noOffset...)
	}
	a := off
	if a < 0 {
		b = append(b, '-')
		a = -a
	} else {
		b = append(b, '+')
	}
	h, m, s := a/3600, a/60%60, a%60
	p := it.offPattern
	colon := strings.Contains(p, ":")
	b = itoa2(b, h)
	optMin := strings.Contains(p, "mm")
	hasMin := strings.Contains(p, "MM") || optMin
	if hasMin && (!optMin || m != 0 || s != 0) {
		if colon {
			b = append(b, ':')
		}
		b = itoa2(b, m)
		optSec := strings.Contains(p, "ss")
		hasSec := strings.Contains(p, "SS") || optSec
		if hasSec && (!optSec || s != 0) {
			if colon {
				b = append(b, ':')
			}
			b = itoa2(b, s)
		}
	}
	return b
}

func appendLocalizedOffset(b []byte, s textStyle, off int) []byte {
	b = append(b, "GMT"...)
	if off == 0 {
		return b
	}
	a := off
	if a < 0 {
		b = append(b, '-')
		a = -a
	} else {
		b = append(b, '+')
	}
	h, m, sec := a/3600, a/60%60, a%60
	if s == styleFull {
		b = itoa2(b, h)
		b = append(b, ':')
		b = itoa2(b, m)
		if sec != 0 {
			b = append(b, ':')
			b = itoa2(b, sec)
		}
		return b
	}
	b = strconv.AppendInt(b, int64(h), 10)
	if m != 0 || sec != 0 {
		b = append(b, ':')
		b = itoa2(b, m)
		if sec != 0 {
			b = append(b, ':')
			b = itoa2(b, sec)
		}
	}
	return b
}
