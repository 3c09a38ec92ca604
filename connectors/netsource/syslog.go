package netsource

import (
	"sort"
	"time"
	"unicode/utf8"

	syslog "github.com/leodido/go-syslog/v4"
	"github.com/leodido/go-syslog/v4/rfc3164"
	"github.com/leodido/go-syslog/v4/rfc5424"

	"sluice.io/sluice"
)

// Header names of the syslog mode.
const (
	HeaderSyslogFormat     = "syslog.format"
	HeaderSyslogFacility   = "syslog.facility"
	HeaderSyslogSeverity   = "syslog.severity"
	HeaderSyslogVersion    = "syslog.version"
	HeaderSyslogTimestamp  = "syslog.timestamp"
	HeaderSyslogHostname   = "syslog.hostname"
	HeaderSyslogAppname    = "syslog.appname"
	HeaderSyslogProcID     = "syslog.procid"
	HeaderSyslogMsgID      = "syslog.msgid"
	HeaderSyslogSDPrefix   = "syslog.sd."
	HeaderSyslogParseError = "syslog.parseError"
)

// Syslog framing modes of a splitter.
const (
	framingAuto = iota
	framingOctet
	framingNonTransparent
)

// SyslogSplitter cuts a TCP byte stream into syslog messages as RFC 6587
// describes: octet counting ("LEN SP MSG") or non-transparent framing (a
// message ends with LF or NUL), fixed or decided per message (a message
// starting with a digit 1-9 is octet-counted). A malformed length prefix is
// read as non-transparent framing, so no byte is ever dropped; a message
// longer than the maximum is delivered in pieces of the maximum size.
type SyslogSplitter struct {
	mode      int
	max       int
	pend      []byte
	octetLeft int // bytes still to come of an over-long octet-counted message
	closed    bool
}

// NewSyslogSplitter returns a splitter for one connection. framing is
// "auto", "octet-counting" or "non-transparent"; maxLength (at least 1) is
// the longest message delivered whole.
func NewSyslogSplitter(framing string, maxLength int) *SyslogSplitter {
	s := &SyslogSplitter{max: max(maxLength, 1)}
	switch framing {
	case SyslogOctetCounting:
		s.mode = framingOctet
	case SyslogNonTransparent:
		s.mode = framingNonTransparent
	}
	return s
}

// Feed splits one chunk. emit receives each message (without length prefix
// or trailer) and the raw bytes it was cut from (prefix, message, trailer);
// the raw slices of all calls, concatenated, are exactly the bytes fed.
// Both slices are valid only until emit returns.
func (s *SyslogSplitter) Feed(chunk []byte, emit func(msg, raw []byte)) error {
	if s.closed {
		return ErrDecoderClosed
	}
	s.pend = append(s.pend, chunk...)
	i := s.split(s.pend, emit)
	n := copy(s.pend, s.pend[i:])
	s.pend = s.pend[:n]
	return nil
}

// Close ends the stream: bytes waiting for the rest of their message are
// delivered as they are (length prefix included), in pieces of at most the
// maximum length.
func (s *SyslogSplitter) Close(emit func(msg, raw []byte)) {
	if !s.closed {
		for i := 0; i < len(s.pend); i += s.max {
			piece := s.pend[i:min(i+s.max, len(s.pend))]
			emit(piece, piece)
		}
	}
	s.pend = s.pend[:0]
	s.closed = true
}

// split emits every complete message at the start of b and returns how many
// bytes they used.
func (s *SyslogSplitter) split(b []byte, emit func(msg, raw []byte)) int {
	i := 0
	for i < len(b) {
		c := b[i:]
		if s.octetLeft > 0 {
			want := min(s.octetLeft, s.max)
			if len(c) < want {
				break
			}
			emit(c[:want], c[:want])
			s.octetLeft -= want
			i += want
			continue
		}
		if s.mode == framingOctet || (s.mode == framingAuto && c[0] >= '1' && c[0] <= '9') {
			j := 0
			for j < len(c) && j < 10 && c[j] >= '0' && c[j] <= '9' {
				j++
			}
			if j == len(c) && j < 10 && (j == 0 || c[0] != '0') {
				break // the length prefix is not complete yet
			}
			if j >= 1 && j <= 9 && c[0] != '0' && j < len(c) && c[j] == ' ' {
				n := 0
				for _, d := range c[:j] {
					n = n*10 + int(d-'0')
				}
				hdr := j + 1
				if n <= s.max {
					if len(c) < hdr+n {
						break
					}
					emit(c[hdr:hdr+n], c[:hdr+n])
					i += hdr + n
					continue
				}
				if len(c) < hdr+s.max {
					break
				}
				emit(c[hdr:hdr+s.max], c[:hdr+s.max])
				s.octetLeft = n - s.max
				i += hdr + s.max
				continue
			}
			// A malformed prefix: the message is read up to its trailer.
		}
		limit := min(len(c), s.max+1)
		k := -1
		for p, ch := range c[:limit] {
			if ch == '\n' || ch == 0 {
				k = p
				break
			}
		}
		if k >= 0 {
			emit(c[:k], c[:k+1])
			i += k + 1
			continue
		}
		if len(c) > s.max {
			emit(c[:s.max], c[:s.max])
			i += s.max
			continue
		}
		break
	}
	return i
}

// syslogParser turns one message into a record value and syslog headers.
// It belongs to one connection and is not safe for concurrent use.
type syslogParser struct {
	format    string
	valueLine bool
	m3164     syslog.Machine
	m5424     syslog.Machine
	fast      *rfc3164Fast // the common RFC 3164 shape, read without m3164; nil: off

	// The last timestamp header: consecutive messages mostly carry the
	// same second, whose text is then formatted once.
	hasTS  bool
	lastTS time.Time
	lastTZ int
	tsText string

	hslab []sluice.Header // header storage handed out to records in blocks

	// The last header values of the fast path, already boxed: consecutive
	// messages of a connection mostly repeat them.
	boxTS, boxHost, boxApp, boxProc boxedString
}

// boxedString remembers a string together with its interface value, so that
// a header repeating the previous message's value does not box it again.
type boxedString struct {
	s string
	v any
}

// get returns s as an interface value, reusing the previous one when equal.
func (b *boxedString) get(s string) any {
	if b.v == nil || b.s != s {
		b.s, b.v = s, s
	}
	return b.v
}

// headerSlabSize is how many headers a parser allocates at once.
const headerSlabSize = 1024

// headers returns an empty header slice of capacity n, carved from the
// parser's slab: records get disjoint, capacity-bounded pieces, so an
// append to one never reaches another's headers.
func (p *syslogParser) headers(n int) sluice.Headers {
	if n > len(p.hslab) {
		if n > headerSlabSize/8 {
			return make(sluice.Headers, 0, n)
		}
		p.hslab = make([]sluice.Header, headerSlabSize)
	}
	h := p.hslab[:0:n]
	p.hslab = p.hslab[n:]
	return h
}

func newSyslogParser(s *settings) *syslogParser {
	year := time.Now().Year()
	return &syslogParser{
		format:    s.syslogFormat,
		valueLine: s.syslogValueLine,
		m3164:     newRFC3164Machine(year, time.Local),
		m5424:     rfc5424.NewMachine(),
		fast:      &rfc3164Fast{year: year, loc: time.Local},
	}
}

// newRFC3164Machine returns the general RFC 3164 parser: stamps without a
// year get year, are read in UTC and shown in loc; zero-padded days and
// RFC 3339 stamps are accepted.
func newRFC3164Machine(year int, loc *time.Location) syslog.Machine {
	return rfc3164.NewMachine(rfc3164.WithYear(rfc3164.Year{YYYY: year}), rfc3164.WithTimezone(loc),
		rfc3164.WithLenientDay(), rfc3164.WithRFC3339())
}

// trimTrailer removes trailing CR, LF and NUL bytes.
func trimTrailer(b []byte) []byte {
	for len(b) > 0 {
		switch b[len(b)-1] {
		case '\r', '\n', 0:
			b = b[:len(b)-1]
			continue
		}
		break
	}
	return b
}

// is5424 reports whether the message looks like RFC 5424: a version number
// right after the priority.
func is5424(b []byte) bool {
	if len(b) == 0 || b[0] != '<' {
		return false
	}
	for i := 1; i < len(b) && i <= 4; i++ {
		if b[i] == '>' {
			return i+1 < len(b) && b[i+1] >= '1' && b[i+1] <= '9'
		}
		if b[i] < '0' || b[i] > '9' {
			return false
		}
	}
	return false
}

// timestampText is t in RFC 3339 with nanoseconds, reusing the previous
// message's text when the instant and zone offset are the same.
func (p *syslogParser) timestampText(t time.Time) string {
	_, off := t.Zone()
	if p.hasTS && off == p.lastTZ && t.Equal(p.lastTS) {
		return p.tsText
	}
	p.hasTS, p.lastTS, p.lastTZ = true, t, off
	p.tsText = t.Format(time.RFC3339Nano)
	return p.tsText
}

// parse returns the record value and headers (base followed by the syslog
// headers) of one message, or ok=false for a blank one. The frame is read
// in place when it is valid UTF-8; the parsers copy what they keep.
func (p *syslogParser) parse(frame []byte, base sluice.Headers) (value string, h sluice.Headers, ok bool) {
	in := trimTrailer(frame)
	var line string // the message text, made only when needed
	haveLine := false
	if utf8.Valid(in) {
		if frameMayBeBlank(in) && IsBlank(string(in)) {
			return "", nil, false
		}
	} else {
		line, haveLine = FrameText(in), true
		if IsBlank(line) {
			return "", nil, false
		}
		in = []byte(line)
	}
	text := func() string {
		if !haveLine {
			line, haveLine = string(in), true
		}
		return line
	}
	use5424 := p.format == SyslogRFC5424 || (p.format == SyslogAuto && is5424(in))
	if !use5424 && p.fast != nil {
		var f fast3164
		if p.fast.parse(in, &f) {
			return p.fastResult(&f, base, text)
		}
	}
	var msg syslog.Message
	var err error
	format := SyslogRFC3164
	if use5424 {
		format = SyslogRFC5424
		msg, err = p.m5424.Parse(in)
	} else {
		msg, err = p.m3164.Parse(in)
	}
	if err != nil || msg == nil {
		why := "unparseable syslog message"
		if err != nil {
			why = format + ": " + err.Error()
		}
		h = append(p.headers(len(base)+1), base...)
		h = append(h, sluice.Header{Key: HeaderSyslogParseError, Schema: sluice.StringSchema, Value: why})
		return text(), h, true
	}
	var b *syslog.Base
	var version uint16
	var sd *map[string]map[string]string
	switch m := msg.(type) {
	case *rfc5424.SyslogMessage:
		b, version, sd = &m.Base, m.Version, m.StructuredData
	case *rfc3164.SyslogMessage:
		b = &m.Base
	}
	n := len(base) + 1
	for _, set := range [...]bool{b.Facility != nil, b.Severity != nil, version != 0, b.Timestamp != nil,
		b.Hostname != nil, b.Appname != nil, b.ProcID != nil, b.MsgID != nil} {
		if set {
			n++
		}
	}
	if sd != nil {
		for _, params := range *sd {
			n += max(len(params), 1)
		}
	}
	h = append(p.headers(n), base...)
	str := func(k string, v *string) {
		if v != nil {
			h = append(h, sluice.Header{Key: k, Schema: sluice.StringSchema, Value: *v})
		}
	}
	h = append(h, sluice.Header{Key: HeaderSyslogFormat, Schema: sluice.StringSchema, Value: format})
	if b.Facility != nil {
		h = append(h, sluice.Header{Key: HeaderSyslogFacility, Schema: sluice.Int32Schema, Value: int32(*b.Facility)})
	}
	if b.Severity != nil {
		h = append(h, sluice.Header{Key: HeaderSyslogSeverity, Schema: sluice.Int32Schema, Value: int32(*b.Severity)})
	}
	if version != 0 {
		h = append(h, sluice.Header{Key: HeaderSyslogVersion, Schema: sluice.Int32Schema, Value: int32(version)})
	}
	if b.Timestamp != nil {
		h = append(h, sluice.Header{Key: HeaderSyslogTimestamp, Schema: sluice.StringSchema, Value: p.timestampText(*b.Timestamp)})
	}
	str(HeaderSyslogHostname, b.Hostname)
	str(HeaderSyslogAppname, b.Appname)
	str(HeaderSyslogProcID, b.ProcID)
	str(HeaderSyslogMsgID, b.MsgID)
	if sd != nil {
		ids := make([]string, 0, len(*sd))
		for id := range *sd {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			params := (*sd)[id]
			if len(params) == 0 {
				h = append(h, sluice.Header{Key: HeaderSyslogSDPrefix + id, Schema: sluice.StringSchema, Value: ""})
				continue
			}
			names := make([]string, 0, len(params))
			for n := range params {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				h = append(h, sluice.Header{Key: HeaderSyslogSDPrefix + id + "." + n, Schema: sluice.StringSchema, Value: params[n]})
			}
		}
	}
	if p.valueLine {
		return text(), h, true
	}
	if b.Message != nil {
		return *b.Message, h, true
	}
	return "", h, true
}

// fastResult is parse's result for a message read by the fast RFC 3164
// path: the same headers, in the same order, as the general path gives.
func (p *syslogParser) fastResult(f *fast3164, base sluice.Headers, text func() string) (string, sluice.Headers, bool) {
	n := len(base) + 4
	for _, set := range [...]bool{f.hasHost, f.hasApp, f.hasProc} {
		if set {
			n++
		}
	}
	h := append(p.headers(n), base...)
	h = append(h,
		sluice.Header{Key: HeaderSyslogFormat, Schema: sluice.StringSchema, Value: SyslogRFC3164},
		sluice.Header{Key: HeaderSyslogFacility, Schema: sluice.Int32Schema, Value: int32(f.pri / 8)},
		sluice.Header{Key: HeaderSyslogSeverity, Schema: sluice.Int32Schema, Value: int32(f.pri % 8)},
		sluice.Header{Key: HeaderSyslogTimestamp, Schema: sluice.StringSchema, Value: p.boxTS.get(p.timestampText(f.ts))})
	if f.hasHost {
		h = append(h, sluice.Header{Key: HeaderSyslogHostname, Schema: sluice.StringSchema, Value: p.boxHost.get(f.host)})
	}
	if f.hasApp {
		h = append(h, sluice.Header{Key: HeaderSyslogAppname, Schema: sluice.StringSchema, Value: p.boxApp.get(f.app)})
	}
	if f.hasProc {
		h = append(h, sluice.Header{Key: HeaderSyslogProcID, Schema: sluice.StringSchema, Value: p.boxProc.get(f.procID)})
	}
	if p.valueLine {
		return text(), h, true
	}
	return f.msg, h, true
}
