package dtf

import (
	"fmt"
	"strings"
	"time"
)

// parsed holds the fields a parse produced.
type parsed struct {
	vals [numFields]int64
	has  [numFields]bool
	zone *Zone
	err  string // a conflict while storing a field
}

func (p *parsed) set(f field, v int64) {
	if p.has[f] && p.vals[f] != v && p.err == "" {
		p.err = fmt.Sprintf("Conflict found: %s %d differs from %s %d", fieldNames[f], p.vals[f], fieldNames[f], v)
	}
	p.vals[f], p.has[f] = v, true
}

func abbreviate(s string) string {
	if len(s) > 64 {
		r := []rune(s)
		if len(r) > 64 {
			return string(r[:64]) + "..."
		}
	}
	return s
}

// Parse is ZonedDateTime.parse(text, formatter).toInstant().
func (f *Formatter) Parse(text string) (time.Time, error) {
	p := &parsed{}
	pos := f.parseItems(p, f.items, text, 0)
	if pos < 0 {
		return time.Time{}, &ParseError{fmt.Sprintf("Text '%s' could not be parsed at index %d", abbreviate(text), utf16Index(text, ^pos))}
	}
	if pos < len(text) {
		return time.Time{}, &ParseError{fmt.Sprintf("Text '%s' could not be parsed, unparsed text found at index %d", abbreviate(text), utf16Index(text, pos))}
	}
	t, err := f.resolve(p)
	if err != nil {
		return time.Time{}, &ParseError{fmt.Sprintf("Text '%s' could not be parsed: %s", abbreviate(text), err.Error())}
	}
	return t, nil
}

func utf16Index(s string, b int) int {
	n := 0
	for _, r := range s[:b] {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

func (f *Formatter) parseItems(p *parsed, items []item, s string, pos int) int {
	for i := range items {
		it := &items[i]
		switch it.kind {
		case kLiteral:
			if !strings.HasPrefix(s[pos:], it.lit) {
				return ^pos
			}
			pos += len(it.lit)
		case kOptional:
			save := *p
			if np := f.parseItems(p, it.opt, s, pos); np < 0 {
				*p = save
			} else {
				pos = np
			}
		case kNumber:
			pos = parseNumber(p, it, s, pos)
		case kReduced:
			if pos+2 > len(s) || !isDigit(s[pos]) || !isDigit(s[pos+1]) {
				return ^pos
			}
			p.set(it.field, 2000+int64(s[pos]-'0')*10+int64(s[pos+1]-'0'))
			pos += 2
		case kFraction:
			end := pos
			for end < len(s) && end-pos < it.max && isDigit(s[end]) {
				end++
			}
			if end-pos < it.min {
				return ^pos
			}
			var nano int64
			for k := 0; k < 9; k++ {
				nano *= 10
				if pos+k < end {
					nano += int64(s[pos+k] - '0')
				}
			}
			p.set(fNano, nano)
			pos = end
		case kText:
			pos = parseText(p, it, s, pos)
		case kOffset:
			pos = parseOffset(p, it, s, pos)
		case kLocalizedOffset:
			pos = parseLocalizedOffset(p, s, pos)
		case kZoneText, kZoneID:
			pos = parseZone(p, s, pos, it.kind == kZoneText)
		}
		if pos < 0 {
			return pos
		}
	}
	return pos
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func parseNumber(p *parsed, it *item, s string, pos int) int {
	start := pos
	neg := false
	if pos < len(s) && (s[pos] == '-' || s[pos] == '+') {
		switch {
		case it.sign == signNotNegative:
			return ^pos
		case s[pos] == '+' && it.sign == signNormal:
			return ^pos
		}
		neg = s[pos] == '-'
		pos++
	}
	max := it.max + it.subsequent
	end := pos
	for end < len(s) && end-pos < max && isDigit(s[end]) {
		end++
	}
	if it.subsequent > 0 {
		n := end - pos - it.subsequent
		if n < it.min {
			n = it.min
		}
		if n < end-pos {
			end = pos + n
		}
	}
	if end-pos < it.min {
		return ^start
	}
	if end-pos > it.max {
		end = pos + it.max
	}
	var v int64
	for k := pos; k < end; k++ {
		v = v*10 + int64(s[k]-'0')
	}
	if neg {
		if v == 0 {
			return ^start
		}
		v = -v
	}
	if it.sign == signExceedsPad && !neg {
		if start < pos && end-pos <= it.min || start == pos && end-pos > it.min {
			return ^start
		}
	}
	p.set(it.field, v)
	return end
}

func parseText(p *parsed, it *item, s string, pos int) int {
	best, bestLen := -1, 0
	for i, t := range texts(it.field, it.style) {
		if len(t) > bestLen && strings.HasPrefix(s[pos:], t) {
			best, bestLen = i, len(t)
		}
	}
	if best < 0 {
		return ^pos
	}
	p.set(it.field, int64(best)+textBase(it.field))
	return pos + bestLen
}

func twoDigits(s string, pos int) (int, bool) {
	if pos+2 > len(s) || !isDigit(s[pos]) || !isDigit(s[pos+1]) {
		return 0, false
	}
	return int(s[pos]-'0')*10 + int(s[pos+1]-'0'), true
}

// parseOffset parses an offset of the item's pattern (strict).
func parseOffset(p *parsed, it *item, s string, pos int) int {
	if it.noOffset != "" && strings.HasPrefix(s[pos:], it.noOffset) {
		p.set(fOffset, 0)
		return pos + len(it.noOffset)
	}
	if pos >= len(s) || s[pos] != '+' && s[pos] != '-' {
		return ^pos
	}
	neg := s[pos] == '-'
	i := pos + 1
	pat := it.offPattern
	colon := strings.Contains(pat, ":")
	h, ok := twoDigits(s, i)
	if !ok {
		return ^pos
	}
	i += 2
	m, sec := 0, 0
	optMin := strings.Contains(pat, "mm")
	if strings.Contains(pat, "MM") || optMin {
		j := i
		if colon {
			if j < len(s) && s[j] == ':' {
				j++
			} else if !optMin {
				return ^pos
			} else {
				j = -1
			}
		}
		if j >= 0 {
			if v, ok := twoDigits(s, j); ok {
				m, i = v, j+2
				optSec := strings.Contains(pat, "ss")
				if strings.Contains(pat, "SS") || optSec {
					k := i
					if colon {
						if k < len(s) && s[k] == ':' {
							k++
						} else {
							k = -1
						}
					}
					if k >= 0 {
						if v, ok := twoDigits(s, k); ok {
							sec, i = v, k+2
						} else if !optSec {
							return ^pos
						}
					} else if !optSec {
						return ^pos
					}
				}
			} else if !optMin {
				return ^pos
			}
		}
	}
	if h > 18 || m > 59 || sec > 59 {
		return ^pos
	}
	total := int64(h*3600 + m*60 + sec)
	if neg {
		total = -total
	}
	p.set(fOffset, total)
	return i
}

// parseLocalizedOffset parses GMT, GMT+h[:mm[:ss]] or GMT+hh:mm[:ss].
func parseLocalizedOffset(p *parsed, s string, pos int) int {
	if !strings.HasPrefix(s[pos:], "GMT") {
		return ^pos
	}
	i := pos + 3
	if i >= len(s) || s[i] != '+' && s[i] != '-' {
		p.set(fOffset, 0)
		return i
	}
	neg := s[i] == '-'
	i++
	h := 0
	n := 0
	for i < len(s) && n < 2 && isDigit(s[i]) {
		h = h*10 + int(s[i]-'0')
		i++
		n++
	}
	if n == 0 {
		p.set(fOffset, 0)
		return pos + 3
	}
	m, sec := 0, 0
	if i < len(s) && s[i] == ':' {
		if v, ok := twoDigits(s, i+1); ok {
			m, i = v, i+3
			if i < len(s) && s[i] == ':' {
				if v, ok := twoDigits(s, i+1); ok {
					sec, i = v, i+3
				}
			}
		}
	}
	total := int64(h*3600 + m*60 + sec)
	if neg {
		total = -total
	}
	p.set(fOffset, total)
	return i
}

// parseZone is ZoneTextPrinterParser (text) or ZoneIdPrinterParser parsing.
func parseZone(p *parsed, s string, pos int, text bool) int {
	if pos >= len(s) {
		return ^pos
	}
	c := s[pos]
	if c == '+' || c == '-' {
		return parseOffsetBased(p, s, pos, pos, true)
	}
	if len(s) >= pos+2 {
		if s[pos] == 'U' && s[pos+1] == 'T' {
			if len(s) >= pos+3 && s[pos+2] == 'C' {
				if !text {
					return parseOffsetBased(p, s, pos, pos+3, false)
				}
			} else {
				return parseOffsetBased(p, s, pos, pos+2, false)
			}
		} else if s[pos] == 'G' && len(s) >= pos+3 && s[pos+1] == 'M' && s[pos+2] == 'T' {
			if len(s) >= pos+4 && s[pos+3] == '0' {
				p.zone = prefixedZone("GMT0", 0)
				return pos + 4
			}
			return parseOffsetBased(p, s, pos, pos+3, false)
		}
	}
	n := maxZoneText
	if rest := len(s) - pos; rest < n {
		n = rest
	}
	for ; n > 0; n-- {
		id, ok := zoneTextIDs[s[pos:pos+n]]
		if !ok || !text && id != s[pos:pos+n] {
			continue
		}
		if z, ok := regionZone(id); ok {
			p.zone = z
			return pos + n
		}
	}
	if c == 'Z' {
		p.zone = UTC
		return pos + 1
	}
	return ^pos
}

func parseOffsetBased(p *parsed, s string, prefixPos, pos int, idZ bool) int {
	prefix := strings.ToUpper(s[prefixPos:pos])
	if pos >= len(s) || s[pos] == '0' || s[pos] == 'Z' {
		if prefix == "" {
			return ^prefixPos
		}
		p.zone = prefixedZone(prefix, 0)
		return pos
	}
	sub := &parsed{}
	it := &item{kind: kOffset, offPattern: "+HH:MM:ss", noOffset: "Z"}
	if !idZ {
		it.noOffset = "0"
	}
	end := parseOffset(sub, it, s, pos)
	if end < 0 {
		if idZ {
			return ^prefixPos
		}
		p.zone = prefixedZone(prefix, 0)
		return pos
	}
	off := int(sub.vals[fOffset])
	if prefix == "" {
		p.zone = OffsetZone(off)
	} else {
		p.zone = prefixedZone(prefix, off)
	}
	return end
}

// resolve turns the parsed fields into an instant (SMART resolver).
func (f *Formatter) resolve(p *parsed) (time.Time, error) {
	if p.err != "" {
		return time.Time{}, fmt.Errorf("%s", p.err)
	}
	check := func(fl field, lo, hi int64) error {
		if p.has[fl] && (p.vals[fl] < lo || p.vals[fl] > hi) {
			return fmt.Errorf("Invalid value for %s (valid values %d - %d): %d", fieldNames[fl], lo, hi, p.vals[fl])
		}
		return nil
	}
	// year
	if p.has[fYearOfEra] {
		yoe := p.vals[fYearOfEra]
		if err := check(fYearOfEra, 1, 999999999); err != nil && !p.has[fEra] {
			if yoe < 1 {
				return time.Time{}, err
			}
		}
		y := yoe
		if p.has[fEra] && p.vals[fEra] == 0 {
			y = 1 - yoe
		}
		if p.has[fYear] && p.vals[fYear] != y {
			return time.Time{}, fmt.Errorf("Conflict found: Year %d differs from Year %d", p.vals[fYear], y)
		}
		p.vals[fYear], p.has[fYear] = y, true
	}
	for _, c := range []struct {
		f      field
		lo, hi int64
	}{{fMonth, 1, 12}, {fDay, 1, 31}, {fDayOfYear, 1, 366}, {fDayOfWeek, 1, 7}, {fHour, 0, 23},
		{fClockHour, 1, 24}, {fHourOfAmPm, 0, 11}, {fClockHourOfAmPm, 1, 12}, {fMinute, 0, 59}, {fSecond, 0, 59},
		{fNano, 0, 999999999}, {fAmPm, 0, 1}, {fYear, -999999999, 999999999}} {
		if err := check(c.f, c.lo, c.hi); err != nil {
			if c.f == fHour && p.vals[fHour] == 24 {
				continue
			}
			return time.Time{}, err
		}
	}
	// date
	var y, mo, d int64
	haveDate := false
	if p.has[fYear] && p.has[fMonth] && p.has[fDay] {
		y, mo, d = p.vals[fYear], p.vals[fMonth], p.vals[fDay]
		if max := daysIn(y, mo); d > max {
			if d > 28 {
				d = max
			}
		}
		haveDate = true
	} else if p.has[fYear] && p.has[fDayOfYear] {
		t := time.Date(int(p.vals[fYear]), 1, int(p.vals[fDayOfYear]), 0, 0, 0, 0, time.UTC)
		if t.Year() != int(p.vals[fYear]) {
			return time.Time{}, fmt.Errorf("Invalid date 'DayOfYear 366' as '%d' is not a leap year", p.vals[fYear])
		}
		y, mo, d = int64(t.Year()), int64(t.Month()), int64(t.Day())
		haveDate = true
	}
	// time
	hour, haveHour := p.vals[fHour], p.has[fHour]
	if p.has[fClockHour] {
		h := p.vals[fClockHour] % 24
		if haveHour && hour != h {
			return time.Time{}, fmt.Errorf("Conflict found: HourOfDay %d differs from HourOfDay %d", hour, h)
		}
		hour, haveHour = h, true
	}
	if p.has[fAmPm] && (p.has[fClockHourOfAmPm] || p.has[fHourOfAmPm]) {
		hap := p.vals[fHourOfAmPm]
		if p.has[fClockHourOfAmPm] {
			hap = p.vals[fClockHourOfAmPm] % 12
		}
		h := p.vals[fAmPm]*12 + hap
		if haveHour && hour != h {
			return time.Time{}, fmt.Errorf("Conflict found: HourOfDay %d differs from HourOfDay %d", hour, h)
		}
		hour, haveHour = h, true
	}
	var minute, sec, nano int64
	haveTime := false
	if haveHour {
		haveTime = true
		if p.has[fMinute] {
			minute = p.vals[fMinute]
		} else if p.has[fSecond] || p.has[fNano] {
			haveTime = false
		}
		if p.has[fSecond] {
			sec = p.vals[fSecond]
		} else if p.has[fNano] {
			haveTime = false
		}
		nano = p.vals[fNano]
	} else if p.has[fNanoOfDay] {
		v := p.vals[fNanoOfDay]
		hour, minute, sec, nano = v/3600e9, v/60e9%60, v/1e9%60, v%1e9
		haveTime = true
	} else if p.has[fMilliOfDay] {
		v := p.vals[fMilliOfDay]
		hour, minute, sec, nano = v/3600000, v/60000%60, v/1000%60, v%1000*1e6
		haveTime = true
	}
	extraDay := int64(0)
	if hour == 24 {
		if minute != 0 || sec != 0 || nano != 0 {
			return time.Time{}, fmt.Errorf("Invalid value for HourOfDay (valid values 0 - 23): 24")
		}
		hour, extraDay = 0, 1
	}
	if haveDate && p.has[fDayOfWeek] {
		dow := int64((int(time.Date(int(y), time.Month(mo), int(d), 0, 0, 0, 0, time.UTC).Weekday())+6)%7 + 1)
		if dow != p.vals[fDayOfWeek] {
			return time.Time{}, fmt.Errorf("Conflict found: Field DayOfWeek %d differs from DayOfWeek %d derived from %04d-%02d-%02d",
				dow, p.vals[fDayOfWeek], y, mo, d)
		}
	}
	zone := p.zone
	if zone == nil {
		zone = f.zone
	}
	if !haveDate || !haveTime || zone == nil && !p.has[fOffset] {
		return time.Time{}, fmt.Errorf("Unable to obtain ZonedDateTime from TemporalAccessor: %s", describe(p, zone))
	}
	local := time.Date(int(y), time.Month(mo), int(d)+int(extraDay), int(hour), int(minute), int(sec), int(nano), time.UTC)
	if p.has[fOffset] {
		return local.Add(-time.Duration(p.vals[fOffset]) * time.Second), nil
	}
	return atZone(local, zone.loc), nil
}

func daysIn(y, m int64) int64 {
	return int64(time.Date(int(y), time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day())
}

// atZone is LocalDateTime.atZone: in a gap the time moves forward by the
// gap's length; in an overlap the earlier offset wins.
func atZone(local time.Time, loc *time.Location) time.Time {
	offAt := func(u time.Time) int {
		_, o := u.In(loc).Zone()
		return o
	}
	before := offAt(local.Add(-24 * time.Hour))
	after := offAt(local.Add(24 * time.Hour))
	for _, o := range []int{before, after} {
		u := local.Add(-time.Duration(o) * time.Second)
		if offAt(u) == o {
			return u
		}
	}
	return local.Add(-time.Duration(before) * time.Second)
}

// describe renders the parsed fields roughly as Parsed.toString does.
func describe(p *parsed, zone *Zone) string {
	var parts []string
	for _, fl := range []field{fDay, fMonth, fYear, fDayOfWeek} {
		if p.has[fl] {
			parts = append(parts, fmt.Sprintf("%s=%d", fieldNames[fl], p.vals[fl]))
		}
	}
	z := "null"
	if zone != nil {
		z = zone.id
	}
	return "{" + strings.Join(parts, ", ") + "},ISO," + z + " of type java.time.format.Parsed"
}
