package sluice

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// Lenient java.text.SimpleDateFormat parsing and formatting of the three
// ISO-8601 patterns Connect's Values uses, in UTC, with java.util's
// GregorianCalendar arithmetic (Julian calendar before 1582-10-15).

// datePattern is a compiled pattern: numeric fields and literal characters.
type datePattern []patElem

type patElem struct {
	field   byte // 0 for a literal; 'y','M','d','H','m','s','S'
	literal byte
}

var (
	patDate      = datePattern{{field: 'y'}, {literal: '-'}, {field: 'M'}, {literal: '-'}, {field: 'd'}}
	patTime      = datePattern{{field: 'H'}, {literal: ':'}, {field: 'm'}, {literal: ':'}, {field: 's'}, {literal: '.'}, {field: 'S'}, {literal: 'Z'}}
	patTimestamp = datePattern{{field: 'y'}, {literal: '-'}, {field: 'M'}, {literal: '-'}, {field: 'd'}, {literal: 'T'},
		{field: 'H'}, {literal: ':'}, {field: 'm'}, {literal: ':'}, {field: 's'}, {literal: '.'}, {field: 'S'}, {literal: 'Z'}}
)

// parseJavaDate parses text from its start with the pattern and returns the
// epoch milliseconds. Like SimpleDateFormat.parse(text, pos), text left over
// after the pattern does not make the parse fail.
func parseJavaDate(text string, pat datePattern) (int64, bool) {
	pos := 0
	var year, month, day, hour, minute, second, milli int32
	yearSet, monthSet, daySet := false, false, false
	for _, e := range pat {
		if e.field == 0 {
			if pos >= len(text) || text[pos] != e.literal {
				return 0, false
			}
			pos++
			continue
		}
		// Spaces and tabs before a number are skipped.
		for {
			if pos >= len(text) {
				return 0, false
			}
			if text[pos] != ' ' && text[pos] != '\t' {
				break
			}
			pos++
		}
		v, n, ok := parseJavaInteger(text[pos:])
		if !ok {
			return 0, false
		}
		pos += n
		switch e.field {
		case 'y':
			year, yearSet = v, true
		case 'M':
			month, monthSet = v-1, true
		case 'd':
			day, daySet = v, true
		case 'H':
			hour = v
		case 'm':
			minute = v
		case 's':
			second = v
		case 'S':
			milli = v
		}
	}
	if !yearSet {
		year = 1970
	}
	if !monthSet {
		month = 0
	}
	if !daySet {
		day = 1
	}
	return calendarMillis(year, month, day, hour, minute, second, milli), true
}

// parseJavaInteger reads a number the way the integer DecimalFormat inside
// SimpleDateFormat does (optional '-', Unicode digits, "NaN", "∞", an
// exponent "E[-]digits") and returns Number.intValue() of it and the bytes
// used.
func parseJavaInteger(s string) (int32, int, bool) {
	if len(s) >= 3 && s[:3] == "NaN" {
		return 0, 3, true
	}
	pos := 0
	neg := false
	if s[0] == '-' {
		neg = true
		pos = 1
	}
	if len(s)-pos >= 3 && s[pos:pos+3] == "∞" {
		if neg {
			return math.MinInt32, pos + 3, true
		}
		return math.MaxInt32, pos + 3, true
	}
	var digits []byte // significant digits
	var small [24]byte
	digits = small[:0]
	sawDigit := false
	digitCount := 0
	exponent := int32(0)
	for pos < len(s) {
		r, size := rune(s[pos]), 1
		if r >= 0x80 {
			r, size = utf8.DecodeRuneInString(s[pos:])
		}
		d := -1
		if r <= 0xFFFF {
			d = JavaDigit(r)
		}
		if d == 0 {
			sawDigit = true
			if len(digits) > 0 {
				digitCount++
				digits = append(digits, '0')
			}
			pos += size
			continue
		}
		if d > 0 {
			sawDigit = true
			digitCount++
			digits = append(digits, byte('0'+d))
			pos += size
			continue
		}
		if r == 'E' {
			if e, n, ok := parseDecimalFormatExponent(s[pos+1:]); ok {
				exponent = e
				pos += 1 + n
			}
		}
		break
	}
	if !sawDigit && digitCount == 0 {
		return 0, 0, false
	}
	decimalAt := int32(digitCount) + exponent
	for len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	if len(digits) == 0 {
		return 0, pos, true
	}
	if fitsLong(digits, decimalAt, neg) {
		var v int64
		for _, c := range digits {
			v = v*10 + int64(c-'0')
		}
		for i := int32(len(digits)); i < decimalAt; i++ {
			v *= 10
		}
		if neg {
			v = -v
		}
		return int32(v), pos, true
	}
	f, _ := strconv.ParseFloat("."+string(digits)+"E"+strconv.Itoa(int(decimalAt)), 64)
	if neg {
		f = -f
	}
	return javaDoubleToInt(f), pos, true
}

// parseDecimalFormatExponent reads "[-]digits" after an 'E'; the exponent
// counts only when it fits a long, and is then cast to int.
func parseDecimalFormatExponent(s string) (int32, int, bool) {
	pos := 0
	neg := false
	if pos < len(s) && s[pos] == '-' {
		neg = true
		pos++
	}
	var digits []byte
	sawDigit := false
	for pos < len(s) {
		r, size := rune(s[pos]), 1
		if r >= 0x80 {
			r, size = utf8.DecodeRuneInString(s[pos:])
		}
		d := -1
		if r <= 0xFFFF {
			d = JavaDigit(r)
		}
		if d < 0 {
			break
		}
		sawDigit = true
		if d != 0 || len(digits) > 0 {
			digits = append(digits, byte('0'+d))
		}
		pos += size
	}
	if !sawDigit {
		return 0, 0, false
	}
	// The exponent counts only when it fits a long.
	if len(digits) > 19 {
		return 0, 0, false
	}
	var u uint64
	for _, c := range digits {
		u = u*10 + uint64(c-'0')
	}
	if len(digits) == 19 && digits[0] > '1' || (!neg && u > math.MaxInt64) || (neg && u > 1<<63) {
		return 0, 0, false
	}
	v := int64(u)
	if neg {
		v = -v
	}
	return int32(v), pos, true
}

// fitsLong is DigitList.fitsIntoLong for integer-only parsing: digits (no
// trailing zeros) × 10^(decimalAt-len) must be an integer within a long.
func fitsLong(digits []byte, decimalAt int32, neg bool) bool {
	count := int32(len(digits))
	if decimalAt < count || decimalAt > 19 {
		return false
	}
	if decimalAt < 19 {
		return true
	}
	const minRep = "9223372036854775808"
	for i := 0; i < len(digits); i++ {
		if digits[i] > minRep[i] {
			return false
		}
		if digits[i] < minRep[i] {
			return true
		}
	}
	if count < decimalAt {
		return true
	}
	return neg
}

// javaDoubleToInt is Java's (int) cast of a double.
func javaDoubleToInt(f float64) int32 {
	switch {
	case f != f:
		return 0
	case f >= math.MaxInt32:
		return math.MaxInt32
	case f <= math.MinInt32:
		return math.MinInt32
	}
	return int32(f)
}

// Fixed dates count days from January 1 of year 1 (Gregorian), day 1.
const (
	epochFixedDate   = 719163 // 1970-01-01
	cutoverFixedDate = 577736 // 1582-10-15, the first Gregorian day
	cutoverYear      = 1582
)

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// gregorianFixed returns the fixed date of year-month-day (month 1..12) in
// the proleptic Gregorian calendar.
func gregorianFixed(year int64, month, day int64) int64 {
	prev := year - 1
	days := day + 365*prev + floorDiv(prev, 4) - floorDiv(prev, 100) + floorDiv(prev, 400) + floorDiv(367*month-362, 12)
	if month > 2 {
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			days--
		} else {
			days -= 2
		}
	}
	return days
}

// julianFixed returns the fixed date of year-month-day (month 1..12) in the
// proleptic Julian calendar (year 0 is 1 BCE).
func julianFixed(year int64, month, day int64) int64 {
	prev := year - 1
	days := -2 + 365*prev + day + floorDiv(prev, 4) + floorDiv(367*month-362, 12)
	if month > 2 {
		if floorMod(year, 4) == 0 {
			days--
		} else {
			days -= 2
		}
	}
	return days
}

// calendarFixedDate is GregorianCalendar's lenient date computation for
// YEAR, MONTH (0-based, any value) and DAY_OF_MONTH.
func calendarFixedDate(julian bool, year, month, day int32) int64 {
	y := int64(year)
	m := int64(month)
	if month > 11 {
		y = int64(year + month/12)
		m = int64(month % 12)
	} else if month < 0 {
		y = int64(year) + floorDiv(int64(month), 12)
		y = int64(int32(y))
		m = floorMod(int64(month), 12)
	}
	var f int64
	if julian {
		f = julianFixed(y, m+1, 1)
	} else {
		f = gregorianFixed(y, m+1, 1)
	}
	return f + int64(day) - 1
}

// calendarMillis computes a lenient GregorianCalendar's time in UTC from
// its fields.
func calendarMillis(year, month, day, hour, minute, second, milli int32) int64 {
	tod := ((int64(hour)*60+int64(minute))*60+int64(second))*1000 + int64(milli)
	fixed := tod / millisPerDay
	tod %= millisPerDay
	for tod < 0 {
		tod += millisPerDay
		fixed--
	}
	var fd int64
	if year < cutoverYear {
		fd = fixed + calendarFixedDate(true, year, month, day)
	} else {
		g := fixed + calendarFixedDate(false, year, month, day)
		if g >= cutoverFixedDate {
			fd = g
		} else {
			fd = fixed + calendarFixedDate(true, year, month, day)
		}
	}
	return (fd-epochFixedDate)*millisPerDay + tod
}

// civil returns the Gregorian year, month (1..12) and day of a fixed date.
func civilFromFixed(fd int64) (year, month, day int64) {
	// Days since 0000-03-01 (proleptic Gregorian).
	z := fd - epochFixedDate + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		month = mp + 3
	} else {
		month = mp - 9
	}
	if month <= 2 {
		y++
	}
	return y, month, day
}

// appendJavaDate renders a java.util.Date as Values.dateFormatFor chooses:
// HH:mm:ss.SSS'Z' below one day (negative times included), yyyy-MM-dd for
// whole days, else yyyy-MM-dd'T'HH:mm:ss.SSS'Z', in UTC.
func appendJavaDate(b []byte, ms int64) []byte {
	if ms < millisPerDay {
		return appendTimeOfDay(b, floorMod(ms, millisPerDay))
	}
	fd := floorDiv(ms, millisPerDay) + epochFixedDate
	y, m, d := civilFromFixed(fd)
	b = appendPadded(b, y, 4)
	b = append(b, '-')
	b = appendPadded(b, m, 2)
	b = append(b, '-')
	b = appendPadded(b, d, 2)
	if ms%millisPerDay == 0 {
		return b
	}
	b = append(b, 'T')
	return appendTimeOfDay(b, floorMod(ms, millisPerDay))
}

func appendTimeOfDay(b []byte, tod int64) []byte {
	b = appendPadded(b, tod/3600000, 2)
	b = append(b, ':')
	b = appendPadded(b, tod/60000%60, 2)
	b = append(b, ':')
	b = appendPadded(b, tod/1000%60, 2)
	b = append(b, '.')
	b = appendPadded(b, tod%1000, 3)
	return append(b, 'Z')
}

func appendPadded(b []byte, v int64, width int) []byte {
	var tmp [24]byte
	s := strconv.AppendInt(tmp[:0], v, 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}
