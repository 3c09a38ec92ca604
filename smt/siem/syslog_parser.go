package siem

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"sluice.io/sluice"
)

// Syslog field names, as the Java SyslogParser names its map keys.
const (
	SyslogTimestamp      = "timestamp"
	SyslogFacility       = "facility"
	SyslogSeverity       = "severity"
	SyslogHostname       = "hostname"
	SyslogLogMessage     = "logMessage"
	SyslogAppName        = "appName"
	SyslogProcID         = "procId"
	SyslogMsgID          = "msgId"
	SyslogStructuredData = "structuredData"
	SyslogInvalid        = "invalid"
)

// syslogFacilities and syslogSeverities are the Java enum constant names.
var (
	syslogFacilities = [...]string{"KERN", "USER", "MAIL", "DAEMON", "AUTH", "SYSLOG", "LPR", "NEWS", "UUCP", "CRON",
		"AUTHPRIV", "FTP", "RESERVED_12", "RESERVED_13", "RESERVED_14", "RESERVED_15", "LOCAL0", "LOCAL1", "LOCAL2",
		"LOCAL3", "LOCAL4", "LOCAL5", "LOCAL6", "LOCAL7"}
	syslogSeverities = [...]string{"EMERG", "ALERT", "CRIT", "ERR", "WARNING", "NOTICE", "INFO", "DEBUG"}
	syslogMonths     = map[string]time.Month{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
		"jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}
)

// SyslogField is one parsed syslog field, its value in its Java string form
// (enum name, epoch milliseconds, "true").
type SyslogField struct {
	Name  string
	Value string
}

// SyslogMessage is the result of ParseSyslogMessage: the fields in the
// order Java inserts them into its HashMap (use HashOrder for the order Java
// iterates them).
type SyslogMessage struct {
	Fields []SyslogField
}

// Get returns the named field.
func (m *SyslogMessage) Get(name string) (string, bool) {
	for _, f := range m.Fields {
		if f.Name == name {
			return f.Value, true
		}
	}
	return "", false
}

// syslogBuckets holds each field name's bucket in a 16-slot java.util.HashMap
// (every result has at most 10 fields, so the table never grows).
var syslogBuckets = func() map[string]uint32 {
	m := map[string]uint32{}
	for _, k := range []string{SyslogTimestamp, SyslogFacility, SyslogSeverity, SyslogHostname, SyslogLogMessage,
		SyslogAppName, SyslogProcID, SyslogMsgID, SyslogStructuredData, SyslogInvalid} {
		h := uint32(sluice.JavaHashCode(k))
		m[k] = (h ^ h>>16) & 15
	}
	return m
}()

// HashOrder returns the fields in java.util.HashMap iteration order.
func (m *SyslogMessage) HashOrder() []SyslogField {
	out := make([]SyslogField, 0, len(m.Fields))
	for b := uint32(0); b < 16; b++ {
		for _, f := range m.Fields {
			if syslogBuckets[f.Name] == b {
				out = append(out, f)
			}
		}
	}
	return out
}

// errSyslogUnderflow is the parser running out of input (Java's
// BufferUnderflowException), and errSyslogBroken any other exception the Java
// parser raises (bad month, priority out of range); both make the message
// invalid.
var (
	errSyslogUnderflow = errors.New("syslog: unexpected end of message")
	errSyslogBroken    = errors.New("syslog: malformed message")
)

// syslogReader reads bytes one at a time, as the Java parser reads its
// ByteBuffer.
type syslogReader struct {
	b   []byte
	pos int
}

func (r *syslogReader) get() (byte, error) {
	if r.pos >= len(r.b) {
		return 0, errSyslogUnderflow
	}
	c := r.b[r.pos]
	r.pos++
	return c, nil
}

// until reads bytes up to the next space (consumed, not included) and
// returns them decoded as ISO-8859-1.
func (r *syslogReader) until() (string, error) {
	i := bytes.IndexByte(r.b[r.pos:], ' ')
	if i < 0 {
		r.pos = len(r.b)
		return "", errSyslogUnderflow
	}
	s := latin1(r.b[r.pos : r.pos+i])
	r.pos += i + 1
	return s, nil
}

// latin1 decodes bytes as ISO-8859-1 (each byte one char), as the Java parser
// does whatever the real encoding.
func latin1(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) * 2)
	for _, c := range b {
		sb.WriteRune(rune(c))
	}
	return sb.String()
}

// ParseSyslogMessage parses one syslog message as the Java SyslogParser
// does: RFC 5424 when the version `1` follows the priority, RFC 3164
// otherwise; noise before `<` is skipped; text is read byte by byte as
// ISO-8859-1. A message it cannot parse yields the fields invalid=true and
// logMessage=the whole text. now supplies the current time an RFC 3164
// timestamp completes (year and milliseconds).
func ParseSyslogMessage(b []byte, now time.Time) *SyslogMessage {
	m := &SyslogMessage{Fields: make([]SyslogField, 0, 10)}
	if err := parseSyslog(b, now, m); err != nil {
		m.Fields = append(m.Fields[:0], SyslogField{SyslogInvalid, "true"},
			SyslogField{SyslogLogMessage, sluice.DecodeUTF8Java(b)})
	}
	return m
}

func (m *SyslogMessage) put(name, value string) {
	m.Fields = append(m.Fields, SyslogField{name, value})
}

func parseSyslog(b []byte, now time.Time, m *SyslogMessage) error {
	r := &syslogReader{b: b}
	c, err := r.get()
	if err != nil {
		return err
	}
	for c != '<' && r.pos < len(b) {
		c, _ = r.get()
	}
	var priChar byte
	var facility, severity string
	if c == '<' {
		var pri int32
		for {
			if priChar, err = r.get(); err != nil {
				return err
			}
			if priChar < '0' || priChar > '9' {
				break
			}
			pri = pri*10 + int32(priChar-'0')
		}
		if pri>>3 < 0 || pri>>3 >= int32(len(syslogFacilities)) {
			return errSyslogBroken
		}
		facility, severity = syslogFacilities[pri>>3], syslogSeverities[pri&7]
	}
	if priChar != '>' {
		m.put(SyslogLogMessage, sluice.DecodeUTF8Java(b))
		m.put(SyslogInvalid, "true")
		return nil
	}
	if c, err = r.get(); err != nil {
		return err
	}
	rfc5424 := c == '1'
	if !rfc5424 {
		r.pos--
	}
	m.put(SyslogFacility, facility)
	m.put(SyslogSeverity, severity)
	if !rfc5424 {
		ms, err := parseRFC3164Date(r, now)
		if err != nil {
			return err
		}
		m.put(SyslogTimestamp, strconv.FormatInt(ms, 10))
	} else {
		if c, err = r.get(); err != nil {
			return err
		}
		if c != ' ' {
			m.put(SyslogLogMessage, sluice.DecodeUTF8Java(b))
			m.put(SyslogInvalid, "true")
			return nil
		}
		date, err := r.until()
		if err != nil {
			return err
		}
		if ms, ok := ParseXSDDateTime(date); ok {
			m.put(SyslogTimestamp, strconv.FormatInt(ms, 10))
		}
	}
	host, err := r.until()
	if err != nil {
		return err
	}
	m.put(SyslogHostname, host)
	if rfc5424 {
		for _, name := range [...]string{SyslogAppName, SyslogProcID, SyslogMsgID} {
			v, err := r.until()
			if err != nil {
				return err
			}
			m.put(name, v)
		}
		start := r.pos
		inBlock := false
		for {
			c, err := r.get()
			if err != nil {
				return err
			}
			if c == ' ' && !inBlock {
				break
			}
			if c == '[' {
				inBlock = true
			}
			if c == ']' {
				inBlock = false
			}
		}
		m.put(SyslogStructuredData, latin1(b[start:r.pos-1]))
	}
	m.put(SyslogLogMessage, latin1(b[r.pos:]))
	return nil
}

// parseRFC3164Date reads `Mmm dd hh:mm:ss ` (each number ends at any
// non-digit, which is consumed) and returns that time in now's year and zone,
// with now's milliseconds, computed leniently as java.util.GregorianCalendar
// does.
func parseRFC3164Date(r *syslogReader, now time.Time) (int64, error) {
	var month [3]byte
	for i := range month {
		c, err := r.get()
		if err != nil {
			return 0, err
		}
		month[i] = c
	}
	c, err := r.get()
	if err != nil {
		return 0, err
	}
	if c != ' ' {
		return 0, errSyslogBroken
	}
	if c, err = r.get(); err != nil {
		return 0, err
	}
	var day int32
	if c != ' ' {
		day = javaDigit(c)
	}
	num := func(n int32) (int32, error) {
		for {
			c, err := r.get()
			if err != nil {
				return 0, err
			}
			if c < '0' || c > '9' {
				return n, nil
			}
			n = n*10 + int32(c-'0')
		}
	}
	if day, err = num(day); err != nil {
		return 0, err
	}
	var hms [3]int32
	for i := range hms {
		if hms[i], err = num(0); err != nil {
			return 0, err
		}
	}
	mon, ok := syslogMonths[strings.ToLower(latin1(month[:]))]
	if !ok {
		return 0, errSyslogBroken
	}
	_, offset := now.Zone()
	days := daysFromCivil(int64(now.Year()), int64(mon), 1) + int64(day) - 1
	tod := ((int64(hms[0])*60+int64(hms[1]))*60+int64(hms[2]))*1000 + int64(now.Nanosecond()/1e6)
	return days*86400000 + tod - int64(offset)*1000, nil
}

// javaDigit is Character.digit(c, 10) for an ISO-8859-1 char.
func javaDigit(c byte) int32 {
	if c >= '0' && c <= '9' {
		return int32(c - '0')
	}
	return -1
}

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian
// date; month may lie outside 1..12 (it is carried into the year).
func daysFromCivil(y, m, d int64) int64 {
	m--
	y += floorDiv(m, 12)
	m = m - floorDiv(m, 12)*12 + 1
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
