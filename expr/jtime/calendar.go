package jtime

// Calendar arithmetic of java.util.GregorianCalendar in UTC with the en_US
// week rules (weeks start on Sunday, the first week of a year or month needs
// one day): Julian calendar before 1582-10-15, Gregorian from then on.
// Dates are "fixed dates" (day 1 = 0001-01-01 proleptic Gregorian), the
// numbering Java's calendar systems use.

const (
	msPerDay       = 86400000
	epochOffset    = 719163 // fixed date of 1970-01-01
	cutoverFixed   = 577736 // fixed date of 1582-10-15 (Gregorian)
	cutoverYear    = 1582
	julianEpoch    = -1 // fixed date of 0001-01-01 Julian
	firstDayOfWeek = 1  // Sunday
	minDaysInWeek1 = 1
)

// Calendar field indexes, as java.util.Calendar numbers them.
const (
	fEra = iota
	fYear
	fMonth
	fWeekOfYear
	fWeekOfMonth
	fDayOfMonth
	fDayOfYear
	fDayOfWeek
	fDayOfWeekInMonth
	fAmPm
	fHour
	fHourOfDay
	fMinute
	fSecond
	fMillisecond
	fZoneOffset
	fDstOffset
	fWeekYear // CalendarBuilder's extra field
	numFields
)

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

func isGregorianLeap(y int64) bool {
	return floorMod(y, 4) == 0 && (floorMod(y, 100) != 0 || floorMod(y, 400) == 0)
}

func isJulianLeap(y int64) bool { return floorMod(y, 4) == 0 }

// gregorianFixed is BaseCalendar.getFixedDate for a proleptic year, a month
// 1..12 and any day of month.
func gregorianFixed(year, month, dom int64) int64 {
	p := year - 1
	d := dom + 365*p + floorDiv(p, 4) - floorDiv(p, 100) + floorDiv(p, 400) + floorDiv(367*month-362, 12)
	if month > 2 {
		if isGregorianLeap(year) {
			d--
		} else {
			d -= 2
		}
	}
	return d
}

// julianFixed is JulianCalendar.getFixedDate for a proleptic year.
func julianFixed(year, month, dom int64) int64 {
	d := julianEpoch - 1 + 365*(year-1) + dom + floorDiv(year-1, 4) + floorDiv(367*month-362, 12)
	if month > 2 {
		if isJulianLeap(year) {
			d--
		} else {
			d -= 2
		}
	}
	return d
}

func gregorianYearFromFixed(fd int64) int64 {
	d0 := fd - 1
	n400 := floorDiv(d0, 146097)
	d1 := floorMod(d0, 146097)
	n100 := d1 / 36524
	d2 := d1 % 36524
	n4 := d2 / 1461
	d3 := d2 % 1461
	n1 := d3 / 365
	y := 400*n400 + 100*n100 + 4*n4 + n1
	if n100 == 4 || n1 == 4 {
		return y
	}
	return y + 1
}

func julianYearFromFixed(fd int64) int64 { return floorDiv(4*(fd-julianEpoch)+1464, 1461) }

// dayOfWeek returns 1 (Sunday) .. 7 (Saturday).
func dayOfWeek(fd int64) int64 { return floorMod(fd, 7) + 1 }

// dowOnOrBefore is BaseCalendar.getDayOfWeekDateOnOrBefore.
func dowOnOrBefore(fd, dow int64) int64 { return fd - floorMod(fd-(dow-1), 7) }

// julianYear reports whether a proleptic year is counted in the Julian
// calendar when its January 1st is concerned.
func julianYear(y int64) bool { return y <= cutoverYear }

func jan1(y int64) int64 {
	if julianYear(y) {
		return julianFixed(y, 1, 1)
	}
	return gregorianFixed(y, 1, 1)
}

// weekNumber is GregorianCalendar.getWeekNumber.
func weekNumber(day1, fd int64) int64 {
	first := dowOnOrBefore(day1+6, firstDayOfWeek)
	if first-day1 >= minDaysInWeek1 {
		first -= 7
	}
	n := fd - first
	return floorDiv(n, 7) + 1
}

// fields are the calendar fields of one instant.
type fields struct {
	era, year, month, dom, doy, dow, dowim, woy, wom, weekYear int64
	hour, minute, second, milli                                int64
}

// computeFields splits epoch milliseconds into calendar fields (UTC).
func computeFields(ms int64) fields {
	var f fields
	fd := floorDiv(ms, msPerDay) + epochOffset
	tod := floorMod(ms, msPerDay)
	var y, m, first int64
	julian := fd < cutoverFixed
	if julian {
		y = julianYearFromFixed(fd)
	} else {
		y = gregorianYearFromFixed(fd)
	}
	monthStart := func(mm int64) int64 {
		if julian {
			return julianFixed(y, mm, 1)
		}
		return gregorianFixed(y, mm, 1)
	}
	// Month from the day of the year within the calendar in effect.
	var yStart int64
	if julian {
		yStart = julianFixed(y, 1, 1)
	} else {
		yStart = gregorianFixed(y, 1, 1)
	}
	prior := fd - yStart
	leap := isGregorianLeap(y)
	if julian {
		leap = isJulianLeap(y)
	}
	if fd >= monthStart(3) {
		if leap {
			prior++
		} else {
			prior += 2
		}
	}
	m = floorDiv(12*prior+373, 367)
	first = monthStart(m)
	f.dom = fd - first + 1
	if !julian && y == cutoverYear && julianFixed(y, m, 1) < cutoverFixed && first < cutoverFixed {
		// The month of the cutover begins in the Julian calendar.
		first = julianFixed(y, m, 1)
	}
	f.month = m - 1
	j1 := jan1(y)
	f.doy = fd - j1 + 1
	f.dow = dayOfWeek(fd)
	f.dowim = (fd-first)/7 + 1
	f.wom = weekNumber(first, fd)
	woy := weekNumber(j1, fd)
	if woy >= 52 {
		next := jan1(y + 1)
		nfirst := dowOnOrBefore(next+6, firstDayOfWeek)
		if nfirst-next >= minDaysInWeek1 && fd >= nfirst-7 {
			woy = 1
		}
	}
	f.woy = woy
	wy := y
	if f.month == 0 {
		if woy >= 52 {
			wy--
		}
	} else if woy == 1 {
		wy++
	}
	f.weekYear = wy
	if y > 0 {
		f.era, f.year = 1, y
	} else {
		f.era, f.year = 0, 1-y
	}
	f.hour = tod / 3600000
	f.minute = tod / 60000 % 60
	f.second = tod / 1000 % 60
	f.milli = tod % 1000
	return f
}

// builder records parsed fields with Java's stamps (java.text.CalendarBuilder
// plus the lenient GregorianCalendar.computeTime it feeds).
type builder struct {
	stamp [numFields]int32
	value [numFields]int64
	next  int32
}

func (b *builder) set(field int, v int64) {
	b.next++
	b.stamp[field] = b.next
	b.value[field] = v
}

func (b *builder) isSet(field int) bool { return b.stamp[field] != 0 }

func aggregate(a, c int32) int32 {
	if a == 0 || c == 0 {
		return 0
	}
	return max(a, c)
}

// field masks
const (
	mMonth = 1 << iota
	mDom
	mWom
	mDowim
	mDow
	mDoy
	mWoy
	mHourOfDay
	mHour
	mAmPm
)

// selectFields is Calendar.selectFields reduced to the fields that matter.
func (b *builder) selectFields() int {
	mask := 0
	st := &b.stamp
	dowStamp := st[fDayOfWeek]
	monthStamp := st[fMonth]
	domStamp := st[fDayOfMonth]
	womStamp := aggregate(st[fWeekOfMonth], dowStamp)
	dowimStamp := aggregate(st[fDayOfWeekInMonth], dowStamp)
	doyStamp := st[fDayOfYear]
	woyStamp := aggregate(st[fWeekOfYear], dowStamp)
	best := max(domStamp, womStamp, dowimStamp, doyStamp, woyStamp)
	if best == 0 {
		womStamp = st[fWeekOfMonth]
		dowimStamp = max(st[fDayOfWeekInMonth], dowStamp)
		woyStamp = st[fWeekOfYear]
		best = max(womStamp, dowimStamp, woyStamp)
		if best == 0 {
			domStamp = monthStamp
			best = domStamp
		}
	}
	if best == domStamp || (best == womStamp && st[fWeekOfMonth] >= st[fWeekOfYear]) ||
		(best == dowimStamp && st[fDayOfWeekInMonth] >= st[fWeekOfYear]) {
		mask |= mMonth
		if best == domStamp {
			mask |= mDom
		} else {
			if dowStamp != 0 {
				mask |= mDow
			}
			if womStamp == dowimStamp {
				if st[fWeekOfMonth] >= st[fDayOfWeekInMonth] {
					mask |= mWom
				} else {
					mask |= mDowim
				}
			} else if best == womStamp {
				mask |= mWom
			} else if st[fDayOfWeekInMonth] != 0 {
				mask |= mDowim
			}
		}
	} else if best == doyStamp {
		mask |= mDoy
	} else {
		if dowStamp != 0 {
			mask |= mDow
		}
		mask |= mWoy
	}
	hodStamp := st[fHourOfDay]
	hStamp := aggregate(st[fHour], st[fAmPm])
	best = max(hStamp, hodStamp)
	if best == 0 {
		best = max(st[fHour], st[fAmPm])
	}
	if best != 0 {
		if best == hodStamp {
			mask |= mHourOfDay
		} else {
			mask |= mHour
			if st[fAmPm] != 0 {
				mask |= mAmPm
			}
		}
	}
	return mask
}

// fixedDate is GregorianCalendar.getFixedDate for one calendar system.
func (b *builder) fixedDate(julian bool, year int64, mask int) int64 {
	fixed := gregorianFixed
	if julian {
		fixed = julianFixed
	}
	month := int64(0)
	if mask&mMonth != 0 {
		month = b.value[fMonth]
		if month > 11 {
			year += month / 12
			month %= 12
		} else if month < 0 {
			year += floorDiv(month, 12)
			month = floorMod(month, 12)
		}
	}
	fd := fixed(year, month+1, 1)
	if mask&mMonth != 0 {
		switch {
		case mask&mDom != 0:
			if b.isSet(fDayOfMonth) {
				fd += b.value[fDayOfMonth] - 1
			}
		case mask&mWom != 0:
			first := dowOnOrBefore(fd+6, firstDayOfWeek)
			if first-fd >= minDaysInWeek1 {
				first -= 7
			}
			if mask&mDow != 0 {
				first = dowOnOrBefore(first+6, b.value[fDayOfWeek])
			}
			fd = first + 7*(b.value[fWeekOfMonth]-1)
		default:
			dow := int64(firstDayOfWeek)
			if mask&mDow != 0 {
				dow = b.value[fDayOfWeek]
			}
			dowim := int64(1)
			if mask&mDowim != 0 {
				dowim = b.value[fDayOfWeekInMonth]
			}
			if dowim >= 0 {
				fd = dowOnOrBefore(fd+7*dowim-1, dow)
			} else {
				ml := monthLength(month, year)
				last := ml + 7*(dowim+1)
				fd = dowOnOrBefore(fd+last-1, dow)
			}
		}
		return fd
	}
	if mask&mDoy != 0 {
		return fd + b.value[fDayOfYear] - 1
	}
	first := dowOnOrBefore(fd+6, firstDayOfWeek)
	if first-fd >= minDaysInWeek1 {
		first -= 7
	}
	if mask&mDow != 0 {
		if d := b.value[fDayOfWeek]; d != firstDayOfWeek {
			first = dowOnOrBefore(first+6, d)
		}
	}
	return first + 7*(b.value[fWeekOfYear]-1)
}

var monthDays = [12]int64{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// monthLength is GregorianCalendar.monthLength (month 0..11).
func monthLength(month, year int64) int64 {
	if month == 1 {
		leap := isJulianLeap(year)
		if year > cutoverYear {
			leap = isGregorianLeap(year)
		}
		if leap {
			return 29
		}
	}
	return monthDays[month]
}

// computeTime is the lenient GregorianCalendar.computeTime in UTC, plus
// any parsed zone offset.
func (b *builder) computeTime() int64 {
	mask := b.selectFields()
	year := int64(1970)
	if b.isSet(fYear) {
		year = b.value[fYear]
	}
	if b.isSet(fEra) && b.value[fEra] == 0 {
		year = 1 - year
	}
	var tod int64
	if mask&mHourOfDay != 0 {
		tod = b.value[fHourOfDay]
	} else {
		tod = b.value[fHour]
		if mask&mAmPm != 0 {
			tod += 12 * b.value[fAmPm]
		}
	}
	tod = ((tod*60+b.value[fMinute])*60+b.value[fSecond])*1000 + b.value[fMillisecond]
	fd := tod / msPerDay
	tod %= msPerDay
	for tod < 0 {
		tod += msPerDay
		fd--
	}
	var gfd, jfd int64
	switch {
	case year > cutoverYear:
		gfd = fd + b.fixedDate(false, year, mask)
		if gfd >= cutoverFixed {
			fd = gfd
		} else {
			fd += b.fixedDate(true, year, mask)
		}
	case year < cutoverYear:
		fd += b.fixedDate(true, year, mask)
	default:
		jfd = fd + b.fixedDate(true, year, mask)
		gfd = fd + b.fixedDate(false, year, mask)
		if mask&(mDoy|mWoy) != 0 || gfd < cutoverFixed {
			fd = jfd
		} else {
			fd = gfd
		}
	}
	ms := (fd-epochOffset)*msPerDay + tod
	return ms - b.value[fZoneOffset] - b.value[fDstOffset]
}

// establish is CalendarBuilder.establish followed by Calendar.getTime. It
// leaves b unchanged.
func (b *builder) establish() int64 {
	c := *b
	return c.establishInPlace()
}

// establishInPlace is establish that may add fields to b.
func (b *builder) establishInPlace() int64 {
	weekDate := b.isSet(fWeekYear) && b.stamp[fWeekYear] > b.stamp[fYear]
	if !weekDate {
		return b.computeTime()
	}
	woy := int64(1)
	if b.isSet(fWeekOfYear) {
		woy = b.value[fWeekOfYear]
	}
	dow := int64(firstDayOfWeek)
	if b.isSet(fDayOfWeek) {
		dow = b.value[fDayOfWeek]
	}
	if dow < 1 || dow > 7 {
		if dow >= 8 {
			dow--
			woy += dow / 7
			dow = dow%7 + 1
		} else {
			for dow <= 0 {
				dow += 7
				woy--
			}
		}
		dow = isoToCalendarDow(dow)
	}
	// The era of the instant the fields describe so far.
	era := computeFields(b.computeTime()).era
	wy := b.value[fWeekYear]
	if era == 0 {
		wy = 1 - wy
	}
	var c builder
	c.set(fYear, wy)
	c.set(fWeekOfYear, 1)
	c.set(fDayOfWeek, firstDayOfWeek)
	week1 := floorDiv(c.computeTime(), msPerDay) + epochOffset
	days := dow - firstDayOfWeek
	if days < 0 {
		days += 7
	}
	days += 7 * (woy - 1)
	f := computeFields((week1 + days - epochOffset) * msPerDay)
	b.set(fEra, f.era)
	b.set(fYear, f.year)
	b.set(fMonth, f.month)
	b.set(fDayOfMonth, f.dom)
	return b.computeTime()
}

// isoToCalendarDow maps an ISO day number (1 = Monday) to Calendar's
// (1 = Sunday); out-of-range values pass through, as in Java.
func isoToCalendarDow(v int64) int64 {
	if v < 1 || v > 7 {
		return v
	}
	if v == 7 {
		return 1
	}
	return v + 1
}
