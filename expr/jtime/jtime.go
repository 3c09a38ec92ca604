// Package jtime formats and parses dates like java.text.SimpleDateFormat
// with the time zone UTC and the locale en_US, lenient parsing included.
//
// A pattern is compiled once with Compile; the resulting *Format is safe for
// concurrent use and formats without allocating beyond the output.
package jtime

import (
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// patternChars are SimpleDateFormat's pattern letters, in Java's order.
const patternChars = "GyMdkHmsSEDFwWahKzZYuXL"

// Pattern letter indexes into patternChars.
const (
	pEra = iota
	pYear
	pMonth
	pDayOfMonth
	pHourOfDay1
	pHourOfDay0
	pMinute
	pSecond
	pMillisecond
	pDayOfWeek
	pDayOfYear
	pDayOfWeekInMonth
	pWeekOfYear
	pWeekOfMonth
	pAmPm
	pHour1
	pHour0
	pZoneName
	pZoneValue
	pWeekYear
	pISODayOfWeek
	pISOZone
	pMonthStandalone
)

// calendarField maps a pattern letter to the calendar field it sets.
var calendarField = [...]int{
	pEra: fEra, pYear: fYear, pMonth: fMonth, pDayOfMonth: fDayOfMonth, pHourOfDay1: fHourOfDay,
	pHourOfDay0: fHourOfDay, pMinute: fMinute, pSecond: fSecond, pMillisecond: fMillisecond,
	pDayOfWeek: fDayOfWeek, pDayOfYear: fDayOfYear, pDayOfWeekInMonth: fDayOfWeekInMonth,
	pWeekOfYear: fWeekOfYear, pWeekOfMonth: fWeekOfMonth, pAmPm: fAmPm, pHour1: fHour, pHour0: fHour,
	pZoneName: fZoneOffset, pZoneValue: fZoneOffset, pWeekYear: fWeekYear, pISODayOfWeek: fDayOfWeek,
	pISOZone: fZoneOffset, pMonthStandalone: fMonth,
}

var (
	eras          = []string{"BC", "AD"}
	months        = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	shortMonths   = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	weekdays      = []string{"", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	shortWeekdays = []string{"", "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	ampm          = []string{"AM", "PM"}
	// utcNames are the names of the UTC zone in Java's order: long and
	// short standard, long and short daylight.
	utcNames = []string{"Coordinated Universal Time", "UTC", "Coordinated Universal Time", "UTC"}
)

// item is one compiled pattern element: a literal run or a field.
type item struct {
	lit   string // literal text when letter < 0
	tag   int8   // pattern letter index, or -1 for a literal
	ascii bool   // literal is one ASCII character (Java TAG_QUOTE_ASCII_CHAR)
	count int
}

// Format is a compiled SimpleDateFormat pattern.
type Format struct {
	pattern string
	items   []item
	// century start for two-digit years (Java's defaultCenturyStart).
	centuryStart     int64
	centuryStartYear int64
}

// PatternError is the IllegalArgumentException Java throws for a bad pattern.
type PatternError struct {
	Msg string
}

// Error returns Java's message, e.g. "Illegal pattern character 'x'".
func (e *PatternError) Error() string { return e.Msg }

// ParseError is Java's java.text.ParseException.
type ParseError struct {
	Text string
	// Offset is Java's error offset (the position where parsing failed).
	Offset int
}

// Error renders like ParseException.getMessage: Unparseable date: "text".
func (e *ParseError) Error() string { return "Unparseable date: \"" + e.Text + "\"" }

func isASCIILetter(c rune) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// Compile compiles a SimpleDateFormat pattern. Two-digit years parse
// relative to the moment of compilation minus 80 years, as in Java.
func Compile(pattern string) (*Format, error) {
	f := &Format{pattern: pattern}
	var (
		inQuote bool
		quoted  []rune
		lastTag = -1
		count   int
	)
	flush := func() error {
		if count != 0 {
			if lastTag == pISOZone && count >= 4 {
				return &PatternError{Msg: "invalid ISO 8601 format: length=" + strconv.Itoa(count)}
			}
			f.items = append(f.items, item{tag: int8(lastTag), count: count})
			lastTag, count = -1, 0
		}
		return nil
	}
	addLit := func(s string, ascii bool) {
		f.items = append(f.items, item{tag: -1, lit: s, ascii: ascii})
	}
	rs := []rune(pattern)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		if c == '\'' {
			if i+1 < len(rs) && rs[i+1] == '\'' {
				i++
				if err := flush(); err != nil {
					return nil, err
				}
				if inQuote {
					quoted = append(quoted, '\'')
				} else {
					addLit("'", true)
				}
				continue
			}
			if !inQuote {
				if err := flush(); err != nil {
					return nil, err
				}
				quoted = quoted[:0]
				inQuote = true
			} else {
				if len(quoted) > 0 {
					addLit(string(quoted), len(quoted) == 1 && quoted[0] < 128)
				}
				inQuote = false
			}
			continue
		}
		if inQuote {
			quoted = append(quoted, c)
			continue
		}
		if !isASCIILetter(c) {
			if err := flush(); err != nil {
				return nil, err
			}
			if c < 128 {
				addLit(string(c), true)
				continue
			}
			j := i + 1
			for j < len(rs) && rs[j] != '\'' && !isASCIILetter(rs[j]) {
				j++
			}
			addLit(string(rs[i:j]), false)
			i = j - 1
			continue
		}
		tag := -1
		for k := 0; k < len(patternChars); k++ {
			if rune(patternChars[k]) == c {
				tag = k
				break
			}
		}
		if tag < 0 {
			return nil, &PatternError{Msg: "Illegal pattern character '" + string(c) + "'"}
		}
		if lastTag == -1 || lastTag == tag {
			lastTag = tag
			count++
			continue
		}
		if err := flush(); err != nil {
			return nil, err
		}
		lastTag, count = tag, 1
	}
	if inQuote {
		return nil, &PatternError{Msg: "Unterminated quote"}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	f.SetTwoDigitYearStart(defaultCenturyStart(time.Now()))
	return f, nil
}

// MustCompile is Compile that panics on error.
func MustCompile(pattern string) *Format {
	f, err := Compile(pattern)
	if err != nil {
		panic(err)
	}
	return f
}

// defaultCenturyStart is now minus 80 years with Calendar.add semantics
// (the day of month is clamped to the target month).
func defaultCenturyStart(now time.Time) int64 {
	ms := now.UnixMilli()
	f := computeFields(ms)
	y := f.year - 80
	if f.era == 0 {
		y = 1 - f.year - 80
	}
	d := f.dom
	if ml := monthLength(f.month, y); d > ml {
		d = ml
	}
	tod := floorMod(ms, msPerDay)
	return (gregorianFixed(y, f.month+1, d)-epochOffset)*msPerDay + tod
}

// SetTwoDigitYearStart sets the instant (epoch milliseconds) from which
// two-digit years are read (Java's set2DigitYearStart). It must be called
// before the Format is shared.
func (f *Format) SetTwoDigitYearStart(ms int64) {
	f.centuryStart = ms
	fl := computeFields(ms)
	f.centuryStartYear = fl.year
	if fl.era == 0 {
		f.centuryStartYear = 1 - fl.year
	}
}

// Pattern returns the pattern as given (Java's toPattern).
func (f *Format) Pattern() string { return f.pattern }

// Format formats t (its instant, in UTC).
func (f *Format) Format(t time.Time) string {
	return string(f.AppendFormat(make([]byte, 0, len(f.pattern)+16), t.UnixMilli()))
}

// FormatMillis formats an instant given in epoch milliseconds.
func (f *Format) FormatMillis(ms int64) string {
	var buf [64]byte
	return string(f.AppendFormat(buf[:0], ms))
}

// AppendFormat appends the formatted instant (epoch milliseconds) to dst.
func (f *Format) AppendFormat(dst []byte, ms int64) []byte {
	fl := computeFields(ms)
	for i := range f.items {
		it := &f.items[i]
		if it.tag < 0 {
			dst = append(dst, it.lit...)
			continue
		}
		n := it.count
		switch int(it.tag) {
		case pEra:
			dst = append(dst, eras[fl.era]...)
		case pYear, pWeekYear:
			v := fl.year
			if it.tag == pWeekYear {
				v = fl.weekYear
			}
			if n == 2 {
				dst = appendPadded(dst, v, 2, 2)
			} else {
				dst = appendPadded(dst, v, n, 0)
			}
		case pMonth, pMonthStandalone:
			switch {
			case n >= 4:
				dst = append(dst, months[fl.month]...)
			case n == 3:
				dst = append(dst, shortMonths[fl.month]...)
			default:
				dst = appendPadded(dst, fl.month+1, n, 0)
			}
		case pDayOfMonth:
			dst = appendPadded(dst, fl.dom, n, 0)
		case pHourOfDay1:
			h := fl.hour
			if h == 0 {
				h = 24
			}
			dst = appendPadded(dst, h, n, 0)
		case pHourOfDay0:
			dst = appendPadded(dst, fl.hour, n, 0)
		case pMinute:
			dst = appendPadded(dst, fl.minute, n, 0)
		case pSecond:
			dst = appendPadded(dst, fl.second, n, 0)
		case pMillisecond:
			dst = appendPadded(dst, fl.milli, n, 0)
		case pDayOfWeek:
			if n >= 4 {
				dst = append(dst, weekdays[fl.dow]...)
			} else {
				dst = append(dst, shortWeekdays[fl.dow]...)
			}
		case pDayOfYear:
			dst = appendPadded(dst, fl.doy, n, 0)
		case pDayOfWeekInMonth:
			dst = appendPadded(dst, fl.dowim, n, 0)
		case pWeekOfYear:
			dst = appendPadded(dst, fl.woy, n, 0)
		case pWeekOfMonth:
			dst = appendPadded(dst, fl.wom, n, 0)
		case pAmPm:
			dst = append(dst, ampm[fl.hour/12]...)
		case pHour1:
			h := fl.hour % 12
			if h == 0 {
				h = 12
			}
			dst = appendPadded(dst, h, n, 0)
		case pHour0:
			dst = appendPadded(dst, fl.hour%12, n, 0)
		case pZoneName:
			if n >= 4 {
				dst = append(dst, utcNames[0]...)
			} else {
				dst = append(dst, utcNames[1]...)
			}
		case pZoneValue:
			dst = append(dst, "+0000"...)
		case pISOZone:
			dst = append(dst, 'Z')
		case pISODayOfWeek:
			d := fl.dow - 1
			if d == 0 {
				d = 7
			}
			dst = appendPadded(dst, d, n, 0)
		}
	}
	return dst
}

// appendPadded is SimpleDateFormat.zeroPaddingNumber: at least minDigits
// digits, and only the lowest maxDigits when maxDigits > 0.
func appendPadded(dst []byte, v int64, minDigits, maxDigits int) []byte {
	if v < 0 {
		dst = append(dst, '-')
		v = -v
	}
	var tmp [20]byte
	i := len(tmp)
	for v >= 10 {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	i--
	tmp[i] = byte('0' + v)
	digits := tmp[i:]
	if maxDigits > 0 && len(digits) > maxDigits {
		digits = digits[len(digits)-maxDigits:]
	}
	for k := len(digits); k < minDigits; k++ {
		dst = append(dst, '0')
	}
	return append(dst, digits...)
}

// Parse parses s leniently, as SimpleDateFormat.parse(String) does: the
// pattern must match from the start; text after it is ignored.
func (f *Format) Parse(s string) (time.Time, error) {
	ms, err := f.ParseMillis(s)
	if err != nil {
		return time.Time{}, err
	}
	return time.UnixMilli(ms).UTC(), nil
}

// ParseMillis is Parse returning epoch milliseconds.
func (f *Format) ParseMillis(s string) (int64, error) {
	var b builder
	pos := 0
	ambiguous := false
	for i := range f.items {
		it := &f.items[i]
		if it.tag < 0 {
			if len(s)-pos < len(it.lit) || s[pos:pos+len(it.lit)] != it.lit {
				// Report the first differing position, as Java does.
				off := pos
				for off < len(s) && off-pos < len(it.lit) && s[off] == it.lit[off-pos] {
					off++
				}
				return 0, &ParseError{Text: s, Offset: utf16Len(s[:off])}
			}
			pos += len(it.lit)
			continue
		}
		obey := false
		if i+1 < len(f.items) {
			obey = shouldObeyCount(&f.items[i+1])
		}
		np, ok := f.subParse(s, pos, it, obey, &ambiguous, &b)
		if !ok {
			return 0, &ParseError{Text: s, Offset: utf16Len(s[:np])}
		}
		pos = np
	}
	ms := b.establish()
	if ambiguous && ms < f.centuryStart {
		b.value[fYear] += 100
		b.value[fWeekYear] += 100
		ms = b.establish()
	}
	return ms, nil
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// shouldObeyCount reports whether the field before next must be read with
// exactly its pattern width (numeric fields that abut).
func shouldObeyCount(next *item) bool {
	if next.tag < 0 {
		return false
	}
	switch int(next.tag) {
	case pMonth, pMonthStandalone:
		return next.count <= 2
	case pYear, pDayOfMonth, pHourOfDay1, pHourOfDay0, pMinute, pSecond, pMillisecond, pDayOfYear,
		pDayOfWeekInMonth, pWeekOfYear, pWeekOfMonth, pHour1, pHour0, pWeekYear, pISODayOfWeek:
		return true
	}
	return false
}

// advanceUTF16 returns the byte offset n UTF-16 units after start, and
// whether s is long enough.
func advanceUTF16(s string, start, n int) (int, bool) {
	p := start
	for n > 0 {
		if p >= len(s) {
			return p, false
		}
		r, size := utf8.DecodeRuneInString(s[p:])
		if r >= 0x10000 {
			n -= 2
		} else {
			n--
		}
		p += size
	}
	return p, n == 0
}

// subParse parses one field at start; it returns the new position, or the
// error position and false.
func (f *Format) subParse(s string, start int, it *item, obey bool, ambiguous *bool, b *builder) (int, bool) {
	tag := int(it.tag)
	count := it.count
	p := start
	for {
		if p >= len(s) {
			return start, false
		}
		if c := s[p]; c != ' ' && c != '\t' {
			break
		}
		p++
	}
	actualStart := p
	var (
		value int64
		limit = len(s)
	)
	if obey {
		l, ok := advanceUTF16(s, start, count)
		if !ok {
			if needsNumber(tag, count) {
				return p, false
			}
		} else {
			limit = l
		}
	}
	if tag == pHourOfDay1 || tag == pHour1 || (tag == pMonth || tag == pMonthStandalone) && count <= 2 || tag == pYear || tag == pWeekYear {
		v, np, ok := parseNumber(s[:limit], p)
		if !ok {
			return np, false
		}
		value, p = v, np
	}
	switch tag {
	case pEra:
		return matchStrings(s, start, fEra, eras, 0, b)
	case pYear, pWeekYear:
		if count <= 2 && p-actualStart == 2 && isDigitByte(s[actualStart]) && isDigitByte(s[actualStart+1]) {
			amb := f.centuryStartYear % 100
			*ambiguous = value == amb
			base := (f.centuryStartYear / 100) * 100
			if value < amb {
				base += 100
			}
			value += base
		}
		b.set(calendarField[tag], value)
		return p, true
	case pMonth, pMonthStandalone:
		if count <= 2 {
			b.set(fMonth, value-1)
			return p, true
		}
		np, ok := matchStrings(s, start, fMonth, months, 0, b)
		if ok {
			return np, true
		}
		np, ok = matchStrings(s, start, fMonth, shortMonths, 0, b)
		if ok {
			return np, true
		}
		return p, false
	case pHourOfDay1:
		if value == 24 {
			value = 0
		}
		b.set(fHourOfDay, value)
		return p, true
	case pDayOfWeek:
		if np, ok := matchStrings(s, start, fDayOfWeek, weekdays, 1, b); ok {
			return np, true
		}
		if np, ok := matchStrings(s, start, fDayOfWeek, shortWeekdays, 1, b); ok {
			return np, true
		}
		return p, false
	case pAmPm:
		if np, ok := matchStrings(s, start, fAmPm, ampm, 0, b); ok {
			return np, true
		}
		return p, false
	case pHour1:
		if value == 12 {
			value = 0
		}
		b.set(fHour, value)
		return p, true
	case pZoneName, pZoneValue:
		return parseZone(s, start, p, b)
	case pISOZone:
		if p >= len(s) {
			return p, false
		}
		c := s[p]
		if c == 'Z' {
			b.set(fZoneOffset, 0)
			b.set(fDstOffset, 0)
			return p + 1, true
		}
		var sign int64
		switch c {
		case '+':
			sign = 1
		case '-':
			sign = -1
		default:
			return p + 1, false
		}
		return numericZone(s, p+1, sign, count, count == 3, b)
	default:
		v, np, ok := parseNumber(s[:limit], p)
		if !ok {
			return np, false
		}
		if tag == pISODayOfWeek {
			v = isoToCalendarDow(v)
		}
		b.set(calendarField[tag], v)
		return np, true
	}
}

// needsNumber reports whether a field is read as a number (and so fails
// when an exact width runs past the end of the text).
func needsNumber(tag, count int) bool {
	switch tag {
	case pEra, pDayOfWeek, pAmPm, pZoneName, pZoneValue, pISOZone:
		return false
	case pMonth, pMonthStandalone:
		return count <= 2
	}
	return true
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// matchStrings is SimpleDateFormat.matchString: the longest name that
// matches at start, ignoring case.
func matchStrings(s string, start, field int, names []string, from int, b *builder) (int, bool) {
	best, bestLen, bestEnd := -1, 0, 0
	for i := from; i < len(names); i++ {
		n := names[i]
		if len(n) > bestLen {
			if end, ok := regionMatchesFold(s, start, n); ok {
				best, bestLen, bestEnd = i, len(n), end
			}
		}
	}
	if best < 0 {
		return start, false
	}
	b.set(field, int64(best))
	return bestEnd, true
}

// regionMatchesFold is String.regionMatches(true, …) for an ASCII name: it
// returns the byte offset after the matched text.
func regionMatchesFold(s string, start int, name string) (int, bool) {
	p := start
	for i := 0; i < len(name); i++ {
		if p >= len(s) {
			return 0, false
		}
		r, size := utf8.DecodeRuneInString(s[p:])
		if r >= 0x10000 || !foldEqual(r, rune(name[i])) {
			return 0, false
		}
		p += size
	}
	return p, true
}

func foldEqual(a, b rune) bool {
	if a == b {
		return true
	}
	ua, ub := unicode.ToUpper(a), unicode.ToUpper(b)
	return ua == ub || unicode.ToLower(ua) == unicode.ToLower(ub)
}

// parseZone handles 'z' and 'Z': "+hhmm", "GMT", "GMT+h:mm" or a zone name.
func parseZone(s string, start, p int, b *builder) (int, bool) {
	if p >= len(s) {
		return p, false
	}
	var sign int64
	switch s[p] {
	case '+':
		sign = 1
	case '-':
		sign = -1
	}
	if sign != 0 {
		return numericZone(s, p+1, sign, 0, false, b)
	}
	c := s[p]
	if (c == 'G' || c == 'g') && len(s)-start >= 3 {
		if end, ok := regionMatchesFold(s, start, "GMT"); ok {
			p = end
			if p < len(s) {
				switch s[p] {
				case '+':
					sign = 1
				case '-':
					sign = -1
				}
			}
			if sign == 0 {
				b.set(fZoneOffset, 0)
				b.set(fDstOffset, 0)
				return p, true
			}
			return numericZone(s, p+1, sign, 0, true, b)
		}
	}
	for _, n := range utcNames {
		if end, ok := regionMatchesFold(s, p, n); ok {
			return end, true
		}
	}
	return p, false
}

// numericZone is SimpleDateFormat.subParseNumericZone.
func numericZone(s string, p int, sign int64, count int, colon bool, b *builder) (int, bool) {
	at := func(i int) (byte, bool) {
		if i >= len(s) {
			return 0, false
		}
		return s[i], true
	}
	c, ok := at(p)
	p++
	if !ok || !isDigitByte(c) {
		return p - 1, false
	}
	hours := int64(c - '0')
	c, ok = at(p)
	p++
	if !ok {
		return p - 1, false
	}
	if isDigitByte(c) {
		hours = hours*10 + int64(c-'0')
	} else {
		if count > 0 || !colon {
			return p - 1, false
		}
		p--
	}
	if hours > 23 {
		return p - 1, false
	}
	minutes := int64(0)
	if count != 1 {
		c, ok = at(p)
		p++
		if !ok {
			return p - 1, false
		}
		if colon {
			if c != ':' {
				return p - 1, false
			}
			c, ok = at(p)
			p++
			if !ok {
				return p - 1, false
			}
		}
		if !isDigitByte(c) {
			return p - 1, false
		}
		minutes = int64(c - '0')
		c, ok = at(p)
		p++
		if !ok || !isDigitByte(c) {
			return p - 1, false
		}
		minutes = minutes*10 + int64(c-'0')
		if minutes > 59 {
			return p - 1, false
		}
	}
	minutes += hours * 60
	b.set(fZoneOffset, minutes*60000*sign)
	b.set(fDstOffset, 0)
	return p, true
}
