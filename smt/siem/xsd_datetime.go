package siem

import (
	"math/big"
	"strings"
)

// xsdUndefined marks an absent field (Java's DatatypeConstants.FIELD_UNDEFINED).
const xsdUndefined = -1 << 31

// xsdCalendar is the state of the JDK's XMLGregorianCalendarImpl while it
// parses a lexical representation.
type xsdCalendar struct {
	year                 *big.Int // nil when undefined
	month, day           int
	hour, minute, second int
	millis               int // truncated fraction; xsdUndefined when absent
	tz                   int // minutes; xsdUndefined when absent
	value                string
	vidx                 int
	ok                   bool
}

// ParseXSDDateTime parses text as javax.xml.bind.DatatypeConverter.
// parseDateTime does (any XML Schema date/time lexical form the JDK's
// DatatypeFactory accepts, missing fields taken from 1970-01-01T00:00:00.000,
// no zone meaning UTC) and returns epoch milliseconds.
func ParseXSDDateTime(text string) (int64, bool) {
	s := strings.Trim(text, " \t\r\n")
	c := &xsdCalendar{month: xsdUndefined, day: xsdUndefined, hour: xsdUndefined, minute: xsdUndefined,
		second: xsdUndefined, millis: xsdUndefined, tz: xsdUndefined, value: s, ok: true}
	c.parse(xsdFormat(s))
	if !c.ok || !c.valid() {
		return 0, false
	}
	return c.epochMillis(), true
}

// xsdFormat picks the format the JDK guesses from the text's shape.
func xsdFormat(s string) string {
	switch {
	case strings.IndexByte(s, 'T') >= 0:
		return "%Y-%M-%DT%h:%m:%s%z"
	case len(s) >= 3 && s[2] == ':':
		return "%h:%m:%s%z"
	case strings.HasPrefix(s, "--"):
		switch {
		case len(s) >= 3 && s[2] == '-':
			return "---%D%z"
		case len(s) == 4 || len(s) == 5 || len(s) == 10:
			return "--%M%z"
		}
		return "--%M-%D%z"
	}
	n := len(s)
	if strings.IndexByte(s, ':') >= 0 {
		n -= 6
	}
	seps := 0
	for i := 1; i < n; i++ {
		if s[i] == '-' {
			seps++
		}
	}
	switch seps {
	case 0:
		return "%Y%z"
	case 1:
		return "%Y-%M%z"
	}
	return "%Y-%M-%D%z"
}

func (c *xsdCalendar) fail() { c.ok = false }

func (c *xsdCalendar) peek() int {
	if c.vidx >= len(c.value) {
		return -1
	}
	return int(c.value[c.vidx])
}

func (c *xsdCalendar) skip(ch byte) {
	if c.vidx >= len(c.value) || c.value[c.vidx] != ch {
		c.fail()
		return
	}
	c.vidx++
}

func isASCIIDigit(ch int) bool { return ch >= '0' && ch <= '9' }

// parseInt reads exactly two digits.
func (c *xsdCalendar) parseInt2() int {
	n, start := 0, c.vidx
	for c.vidx-start < 2 && isASCIIDigit(c.peek()) {
		n = n*10 + c.peek() - '0'
		c.vidx++
	}
	if c.vidx-start < 2 {
		c.fail()
	}
	return n
}

func (c *xsdCalendar) parse(format string) {
	for f := 0; f < len(format) && c.ok; f++ {
		if format[f] != '%' {
			c.skip(format[f])
			continue
		}
		f++
		switch format[f] {
		case 'Y':
			c.parseYear()
		case 'M':
			c.month = c.parseInt2()
			if c.ok && (c.month < 1 || c.month > 12) {
				c.fail()
			}
		case 'D':
			c.day = c.parseInt2()
			if c.ok && (c.day < 1 || c.day > 31) {
				c.fail()
			}
		case 'h':
			c.hour = c.parseInt2()
			if c.ok && c.hour > 24 {
				c.fail()
			}
		case 'm':
			c.minute = c.parseInt2()
			if c.ok && c.minute > 59 {
				c.fail()
			}
		case 's':
			c.second = c.parseInt2()
			if c.ok && c.second > 60 {
				c.fail()
			}
			if c.ok && c.peek() == '.' {
				c.parseFraction()
			}
		case 'z':
			switch ch := c.peek(); ch {
			case 'Z':
				c.vidx++
				c.tz = 0
			case '+', '-':
				c.vidx++
				h := c.parseInt2()
				c.skip(':')
				m := c.parseInt2()
				off := h*60 + m
				if ch == '-' {
					off = -off
				}
				if c.ok && (off < -14*60 || off > 14*60) {
					c.fail()
				}
				c.tz = off
			}
		}
	}
	if c.ok && c.vidx != len(c.value) {
		c.fail()
	}
	if c.ok && c.hour == 24 {
		if c.minute != 0 || c.second != 0 {
			c.fail()
			return
		}
		c.hour = 0
		c.addDay()
	}
}

func (c *xsdCalendar) parseYear() {
	start := c.vidx
	neg := false
	if c.peek() == '-' {
		c.vidx++
		neg = true
	}
	for isASCIIDigit(c.peek()) {
		c.vidx++
	}
	if c.vidx-start < 4 || neg && c.vidx-start < 5 {
		c.fail()
		return
	}
	digits := c.value[start:c.vidx]
	if neg {
		digits = digits[1:]
	}
	y, _ := new(big.Int).SetString(digits, 10)
	if neg {
		y.Neg(y)
	}
	c.year = y
}

// parseFraction reads `.digits` (Java's BigDecimal of that text; a lone
// `.` is a NumberFormatException) and keeps its milliseconds, truncated.
func (c *xsdCalendar) parseFraction() {
	c.vidx++
	start := c.vidx
	for isASCIIDigit(c.peek()) {
		c.vidx++
	}
	digits := c.value[start:c.vidx]
	if digits == "" {
		c.fail()
		return
	}
	ms := 0
	for i := 0; i < 3; i++ {
		ms *= 10
		if i < len(digits) {
			ms += int(digits[i] - '0')
		}
	}
	c.millis = ms
}

// addDay adds one day to the date fields that are defined (24:00:00).
func (c *xsdCalendar) addDay() {
	if c.day == xsdUndefined {
		return
	}
	y, m := int64(1970), int64(1)
	if c.year != nil {
		y = c.year.Int64()
	}
	if c.month != xsdUndefined {
		m = int64(c.month)
	}
	if int64(c.day) < maxDayInMonth(y, m) {
		c.day++
		return
	}
	c.day = 1
	if c.month == xsdUndefined {
		return
	}
	if c.month < 12 {
		c.month++
		return
	}
	c.month = 1
	if c.year != nil {
		c.year.Add(c.year, big.NewInt(1))
		if c.year.Sign() == 0 {
			c.year.SetInt64(1)
		}
	}
}

func maxDayInMonth(y, m int64) int64 {
	switch m {
	case 2:
		if y%400 == 0 || y%100 != 0 && y%4 == 0 {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// valid is XMLGregorianCalendarImpl.isValid: the day fits its month,
// 24:00:00 only, and no year zero.
func (c *xsdCalendar) valid() bool {
	if c.month != xsdUndefined && c.day != xsdUndefined {
		max := int64(29)
		if c.year != nil || c.month != 2 {
			y := int64(2000)
			if c.year != nil {
				y = c.year.Int64()
			}
			max = maxDayInMonth(y, int64(c.month))
		}
		if int64(c.day) > max {
			return false
		}
	}
	if c.hour == 24 && (c.minute != 0 || c.second != 0) {
		return false
	}
	return c.year == nil || c.year.Sign() != 0
}

// epochMillis is toGregorianCalendar().getTimeInMillis(): a pure Gregorian
// calendar in the parsed offset (UTC when absent), cleared to the epoch.
func (c *xsdCalendar) epochMillis() int64 {
	y := int64(1970)
	if c.year != nil {
		// ERA and YEAR = |year| as a Java int; BC year n is astronomical 1-n.
		abs := new(big.Int).Abs(c.year)
		yy := int64(int32(abs.Uint64()))
		if c.year.Sign() < 0 {
			yy = 1 - yy
		}
		y = yy
	}
	m, d := int64(1), int64(1)
	if c.month != xsdUndefined {
		m = int64(c.month)
	}
	if c.day != xsdUndefined {
		d = int64(c.day)
	}
	days := daysFromCivil(y, m, d)
	var tod int64
	if c.hour != xsdUndefined {
		tod += int64(c.hour) * 3600000
	}
	if c.minute != xsdUndefined {
		tod += int64(c.minute) * 60000
	}
	if c.second != xsdUndefined {
		tod += int64(c.second) * 1000
	}
	if c.millis != xsdUndefined {
		tod += int64(c.millis)
	}
	ms := days*86400000 + tod
	if c.tz != xsdUndefined {
		ms -= int64(c.tz) * 60000
	}
	return ms
}
