package netsource

import "time"

// fast3164 holds the fields of an RFC 3164 message read by parseRFC3164Fast.
// A has* flag is false where the general parser leaves the field unset.
type fast3164 struct {
	pri                      uint8
	ts                       time.Time
	host, app, procID, msg   string
	hasHost, hasApp, hasProc bool
}

// rfc3164Fast reads the common shape of RFC 3164 messages,
//
//	<PRI>Mmm dd hh:mm:ss [HOST ]TAG[\[PID\]]: MSG
//	<PRI>Mmm dd hh:mm:ss HOST MSG
//
// giving the same fields as the general RFC 3164 machine configured by
// newSyslogParser (fixed year, stamp read in UTC then shown in a zone,
// zero-padded days accepted). It reports false for anything outside that
// shape, and the caller then uses the general machine. It keeps one copy of
// the message text, which the string fields share.
type rfc3164Fast struct {
	year int
	loc  *time.Location
}

// tagByte reports whether c may appear in a TAG: printable, no space, colon
// or opening bracket.
func tagByte(c byte) bool { return c > ' ' && c < 0x7f && c != ':' && c != '[' }

// hostByte reports whether c is taken in a HOST by the fast path: a visible
// ASCII character other than a colon or a bracket.
func hostByte(c byte) bool { return c > ' ' && c < 0x7f && c != ':' && c != '[' && c != ']' }

// msgByte reports whether c may appear in a MSG: printable, tab or non-ASCII.
func msgByte(c byte) bool { return (c >= ' ' && c != 0x7f) || c == '\t' }

// monthOf returns the month named by the three bytes at b, or 0.
func monthOf(b []byte) time.Month {
	switch string(b[:3]) {
	case "Jan":
		return time.January
	case "Feb":
		return time.February
	case "Mar":
		return time.March
	case "Apr":
		return time.April
	case "May":
		return time.May
	case "Jun":
		return time.June
	case "Jul":
		return time.July
	case "Aug":
		return time.August
	case "Sep":
		return time.September
	case "Oct":
		return time.October
	case "Nov":
		return time.November
	case "Dec":
		return time.December
	}
	return 0
}

// maxDay is the last day of each month in a leap year, the year a stamp
// without a year is checked against.
var maxDay = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// two returns the number written by the two digits at b, or -1.
func two(b []byte) int {
	if b[0] < '0' || b[0] > '9' || b[1] < '0' || b[1] > '9' {
		return -1
	}
	return int(b[0]-'0')*10 + int(b[1]-'0')
}

// parse reads in, reporting false when the message is not of the common
// shape or not valid.
func (f *rfc3164Fast) parse(in []byte, out *fast3164) bool {
	// <PRI>: 0, or 1..191 without leading zeros.
	if len(in) < 3 || in[0] != '<' {
		return false
	}
	i, pri := 1, 0
	for ; i < len(in) && i <= 4 && in[i] >= '0' && in[i] <= '9'; i++ {
		pri = pri*10 + int(in[i]-'0')
	}
	if i == 1 || i > 4 || i >= len(in) || in[i] != '>' || pri > 191 || (in[1] == '0' && i > 2) {
		return false
	}
	i++
	// Mmm dd hh:mm:ss followed by one space: 16 bytes.
	if len(in)-i < 17 {
		return false
	}
	ts := in[i : i+16]
	mon := monthOf(ts)
	if mon == 0 || ts[3] != ' ' || ts[6] != ' ' || ts[9] != ':' || ts[12] != ':' || ts[15] != ' ' {
		return false
	}
	var day int
	if ts[4] == ' ' {
		if ts[5] < '1' || ts[5] > '9' {
			return false
		}
		day = int(ts[5] - '0')
	} else if day = two(ts[4:6]); day < 1 || day > maxDay[mon] {
		return false
	}
	hh, mm, ss := two(ts[7:9]), two(ts[10:12]), two(ts[13:15])
	if hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59 {
		return false
	}
	i += 16
	rest := in[i:]
	if rest[0] == ' ' {
		return false
	}
	// An optional HOST: a first word ended by a single space.
	h := 0
	for h < len(rest) && hostByte(rest[h]) {
		h++
	}
	hostEnd, m := -1, 0
	if h < len(rest) && rest[h] == ' ' {
		if h > 255 || h+1 >= len(rest) || rest[h+1] == ' ' {
			return false
		}
		hostEnd, m = h, h+1
	}
	// TAG, optional [PID], ": ", or a MSG that does not start like a TAG.
	t := m
	for t < len(rest) && t-m <= 48 && tagByte(rest[t]) {
		t++
	}
	tagEnd, pidStart, pidEnd, msgStart := -1, -1, -1, m
	if t > m && t-m <= 48 && t < len(rest) && (rest[t] == '[' || rest[t] == ':') {
		tagEnd = t
		if rest[t] == '[' {
			pidStart = t + 1
			k := pidStart
			for k < len(rest) && rest[k] != ']' && rest[k] != '[' && msgByte(rest[k]) {
				// Without a HOST, a space in the PID would end a HOST.
				if hostEnd < 0 && rest[k] == ' ' {
					return false
				}
				k++
			}
			if k >= len(rest) || rest[k] != ']' {
				return false
			}
			pidEnd, t = k, k+1
		}
		if t+2 >= len(rest) || rest[t] != ':' || rest[t+1] != ' ' {
			return false
		}
		msgStart = t + 2
	} else if hostEnd < 0 {
		return false
	}
	if msgStart >= len(rest) {
		return false
	}
	for _, c := range rest[msgStart:] {
		if !msgByte(c) {
			return false
		}
	}

	s := string(rest)
	*out = fast3164{
		pri: uint8(pri),
		ts:  time.Date(f.year, mon, day, hh, mm, ss, 0, time.UTC).In(f.loc),
		msg: s[msgStart:],
	}
	if hostEnd >= 0 {
		out.host = s[:hostEnd]
		out.hasHost = out.host != "-"
	}
	if tagEnd >= 0 {
		out.app = s[m:tagEnd]
		out.hasApp = out.app != "-"
	}
	if pidStart >= 0 && pidEnd > pidStart {
		out.procID = s[pidStart:pidEnd]
		out.hasProc = out.procID != "-"
	}
	return true
}
