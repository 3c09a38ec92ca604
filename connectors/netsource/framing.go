package netsource

import (
	"bytes"
	"errors"
	"fmt"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"sluice.io/sluice"
)

// Key prefixes of the TCP channel settings: the Netty 4 connector's and the
// older Netty 3 connector's spelling.
const (
	ChannelTCPPrefix  = "channel.tcp."
	PipelineTCPPrefix = "pipeline.factory.tcp."
)

// Key names below a TCP prefix. "frame.delimeters" keeps Java's spelling.
const (
	FrameMaxLengthKey      = "frame.maxLength"
	FrameStripDelimiterKey = "frame.stripDelimiter"
	FrameFailFastKey       = "frame.failFast"
	FrameDelimitersKey     = "frame.delimeters"
	NoDataTimeoutKey       = "nodataTimeout"
	MaxConnectionsKey      = "maxConnections"
	MaxConnectionsPerIPKey = "maxConnectionsPerIP"
)

// Keys of the simple framer (SimpleDelimeterFrameDecoder), relative to its
// handler override prefix pipeline.factory.handlers.<name>.
const (
	SimpleDelimiterKey      = "delimiter"
	SimpleMaxFrameLengthKey = "maxFrameLength"
	SimpleStripDelimiterKey = "stripDelimiter"
)

// Defaults of the framing keys.
const (
	DefaultMaxLength      = 8192
	DefaultSimpleMaxFrame = 4096
)

// defaultDelimiters is the default value of frame.delimeters: NUL and LF,
// written with Java escapes as the configuration spells them.
var defaultDelimiters = []string{`\0`, `\n`}

// tcpKeySuffixes lists the TCP channel keys in Java's definition order.
var tcpKeySuffixes = []string{FrameMaxLengthKey, FrameStripDelimiterKey, FrameFailFastKey,
	FrameDelimitersKey, NoDataTimeoutKey, MaxConnectionsKey, MaxConnectionsPerIPKey}

// DefineTCPFraming adds the TCP channel keys to def under the given prefix
// (ChannelTCPPrefix or PipelineTCPPrefix) and returns def.
func DefineTCPFraming(def *sluice.ConfigDef, prefix string) *sluice.ConfigDef {
	group := "TCP framing"
	older := ""
	if prefix == PipelineTCPPrefix {
		older = " Older spelling of " + ChannelTCPPrefix + "<key>; that one wins when both are set."
	}
	return def.
		Define(sluice.ConfigKey{Name: prefix + FrameMaxLengthKey, Type: sluice.TypeInt, Default: int32(DefaultMaxLength),
			Importance: sluice.Medium, Group: group,
			Doc: "Longest frame, in bytes. A line longer than this is cut into pieces of this size; so is data that " +
				"goes on for more than this many bytes without a delimiter. Must be positive." + older}).
		Define(sluice.ConfigKey{Name: prefix + FrameStripDelimiterKey, Type: sluice.TypeBoolean, Default: true,
			Importance: sluice.Medium, Group: group,
			Doc: "Leave the delimiter that ended a frame out of the record value." + older}).
		Define(sluice.ConfigKey{Name: prefix + FrameFailFastKey, Type: sluice.TypeBoolean, Default: false,
			Importance: sluice.Low, Group: group,
			Doc: "Accepted for compatibility; it changes nothing (over-long frames are always cut, never rejected)." + older}).
		Define(sluice.ConfigKey{Name: prefix + FrameDelimitersKey, Type: sluice.TypeList, Default: defaultDelimiters,
			Importance: sluice.Medium, Group: group,
			Doc: "Frame delimiters (the key name keeps this spelling). Each item is text with Java escapes " +
				`(\n, \r, \t, \0 and other octal escapes, \uXXXX), sent as UTF-8; multi-character delimiters ` +
				"are allowed. The delimiter found first ends the frame; on a tie, the one listed first. " +
				`In a .properties file write the backslash twice: \\r\\n.` + older}).
		Define(sluice.ConfigKey{Name: prefix + NoDataTimeoutKey, Type: sluice.TypeLong, Default: int64(0),
			Importance: sluice.Medium, Group: group,
			Doc: "Milliseconds without data after which a connection counts as idle; 0 disables the check." + older}).
		Define(sluice.ConfigKey{Name: prefix + MaxConnectionsKey, Type: sluice.TypeInt, Default: int32(0),
			Importance: sluice.Low, Group: group,
			Doc: "Accepted for compatibility; no connection limit is enforced." + older}).
		Define(sluice.ConfigKey{Name: prefix + MaxConnectionsPerIPKey, Type: sluice.TypeInt, Default: nil,
			Importance: sluice.Low, Group: group,
			Doc: "Accepted for compatibility; no per-address connection limit is enforced." + older})
}

// TCPFramingConfigDef returns a new definition of the TCP channel keys under
// both prefixes.
func TCPFramingConfigDef() *sluice.ConfigDef {
	return DefineTCPFraming(DefineTCPFraming(sluice.NewConfigDef(), ChannelTCPPrefix), PipelineTCPPrefix)
}

// SimpleFramingConfigDef returns a new definition of the simple framer's keys.
func SimpleFramingConfigDef() *sluice.ConfigDef {
	return sluice.NewConfigDef().
		Define(sluice.ConfigKey{Name: SimpleDelimiterKey, Type: sluice.TypeString, Default: `\n`,
			Importance: sluice.High,
			Doc:        "Delimiter, with Java escapes; only the first byte of its UTF-8 form is used."}).
		Define(sluice.ConfigKey{Name: SimpleStripDelimiterKey, Type: sluice.TypeBoolean, Default: true,
			Importance: sluice.Low,
			Doc:        "Drop the last byte of every frame: the delimiter, or a data byte when the frame was cut at maxFrameLength."}).
		Define(sluice.ConfigKey{Name: SimpleMaxFrameLengthKey, Type: sluice.TypeInt, Default: int32(DefaultSimpleMaxFrame),
			Importance: sluice.Low,
			Doc:        "A frame ends after this many bytes when no delimiter came first."})
}

// FramingSettings are a framer's effective settings.
type FramingSettings struct {
	// Simple is set for the simple framer (one delimiter byte, the last
	// byte of every frame stripped when StripDelimiter is set).
	Simple bool
	// Delimiters are the delimiter byte strings, in configuration order.
	Delimiters [][]byte
	// MaxLength is the longest frame in bytes (the simple framer's
	// maxFrameLength).
	MaxLength int
	// StripDelimiter leaves the delimiter out of frames.
	StripDelimiter bool
	// FailFast is accepted and has no effect.
	FailFast bool
	// NoDataTimeout is the idle time after which a connection counts as
	// idle; 0 disables the check.
	NoDataTimeout time.Duration
	// MaxConnections and MaxConnectionsPerIP are accepted and not enforced
	// (MaxConnectionsPerIP is nil when unset).
	MaxConnections      int32
	MaxConnectionsPerIP *int32
}

// Framer is a configured framer; it makes one FrameDecoder per connection.
// A Framer is immutable and safe for concurrent use.
type Framer struct {
	s        FramingSettings
	delims   [][]byte
	maxLen   int
	window   int // bytes that always suffice to decide the next frame
	maxDelim int
	strip    bool
	simple   bool
	single   []byte // the delimiters when every one is a single byte
}

// NewFramer configures the default TCP framer from connector properties,
// reading the keys under ChannelTCPPrefix and PipelineTCPPrefix.
func NewFramer(props map[string]string) (*Framer, error) {
	cfg, err := TCPFramingConfigDef().Parse(props)
	if err != nil {
		return nil, fmt.Errorf("TCP framing: %w", err)
	}
	// pick returns the full key whose value applies: the Netty 4 spelling
	// when given, else the Netty 3 spelling when given, else the former.
	pick := func(suffix string) string {
		if _, ok := props[ChannelTCPPrefix+suffix]; ok {
			return ChannelTCPPrefix + suffix
		}
		if _, ok := props[PipelineTCPPrefix+suffix]; ok {
			return PipelineTCPPrefix + suffix
		}
		return ChannelTCPPrefix + suffix
	}
	s := FramingSettings{
		MaxLength:      int(cfg.Int(pick(FrameMaxLengthKey))),
		StripDelimiter: cfg.Bool(pick(FrameStripDelimiterKey)),
		FailFast:       cfg.Bool(pick(FrameFailFastKey)),
		NoDataTimeout:  time.Duration(cfg.Long(pick(NoDataTimeoutKey))) * time.Millisecond,
		MaxConnections: cfg.Int(pick(MaxConnectionsKey)),
	}
	if v, ok := cfg.Get(pick(MaxConnectionsPerIPKey)).(int32); ok {
		s.MaxConnectionsPerIP = &v
	}
	delimKey := pick(FrameDelimitersKey)
	for _, item := range cfg.List(delimKey) {
		b, err := UnescapeJavaBytes(item)
		if err != nil {
			return nil, fmt.Errorf("TCP framing: %s: %w", delimKey, err)
		}
		s.Delimiters = append(s.Delimiters, b)
	}
	if len(s.Delimiters) == 0 {
		return nil, sluice.NewJavaError("NullPointerException",
			"TCP framing: %s is empty: at least one delimiter is required", delimKey)
	}
	if s.MaxLength <= 0 {
		return nil, sluice.NewJavaError("IllegalArgumentException",
			"TCP framing: %s must be a positive integer: %d", pick(FrameMaxLengthKey), s.MaxLength)
	}
	for _, d := range s.Delimiters {
		if len(d) == 0 {
			return nil, sluice.NewJavaError("IllegalArgumentException",
				"TCP framing: %s contains an empty delimiter", delimKey)
		}
	}
	return newFramer(s), nil
}

// NewSimpleFramer configures the simple framer (SimpleDelimeterFrameDecoder)
// from its handler sub-configuration (keys delimiter, maxFrameLength,
// stripDelimiter).
func NewSimpleFramer(props map[string]string) (*Framer, error) {
	cfg, err := SimpleFramingConfigDef().Parse(props)
	if err != nil {
		return nil, fmt.Errorf("simple framing: %w", err)
	}
	b, err := UnescapeJavaBytes(cfg.String(SimpleDelimiterKey))
	if err != nil {
		return nil, fmt.Errorf("simple framing: %s: %w", SimpleDelimiterKey, err)
	}
	if len(b) == 0 {
		return nil, sluice.NewJavaError("ArrayIndexOutOfBoundsException",
			"simple framing: %s is empty: one delimiter byte is required", SimpleDelimiterKey)
	}
	s := FramingSettings{
		Simple:         true,
		Delimiters:     [][]byte{b[:1:1]},
		MaxLength:      int(cfg.Int(SimpleMaxFrameLengthKey)),
		StripDelimiter: cfg.Bool(SimpleStripDelimiterKey),
	}
	return newFramer(s), nil
}

func newFramer(s FramingSettings) *Framer {
	f := &Framer{s: s, delims: s.Delimiters, maxLen: s.MaxLength, strip: s.StripDelimiter, simple: s.Simple}
	for _, d := range f.delims {
		f.maxDelim = max(f.maxDelim, len(d))
	}
	if f.maxDelim == 1 {
		for _, d := range f.delims {
			f.single = append(f.single, d[0])
		}
	}
	if f.simple {
		// Java counts at least one byte per frame, so a non-positive
		// maximum behaves as 1.
		f.maxLen = max(f.maxLen, 1)
		f.window = f.maxLen
	} else {
		f.window = f.maxLen + f.maxDelim
	}
	return f
}

// Settings returns the effective settings. The returned slices must not be
// modified.
func (f *Framer) Settings() FramingSettings { return f.s }

// NewDecoder returns a decoder for one connection.
func (f *Framer) NewDecoder() *FrameDecoder { return &FrameDecoder{f: f} }

// ErrDecoderClosed is returned by Feed after Close.
var ErrDecoderClosed = errors.New("frame decoder: feed after close")

// FrameDecoder cuts one connection's byte stream into frames. It is not safe
// for concurrent use.
//
// Frames are handed to emit as slices that are valid only until emit returns:
// they point into the fed chunk or into the decoder's buffer. A caller that
// keeps a frame copies it (FrameText does).
type FrameDecoder struct {
	f       *Framer
	pend    []byte // bytes received and not yet cut into a frame
	scanned int    // positions of pend before this start no delimiter match
	hint    int    // index of the delimiter that ended the last frame
	closed  bool
}

// Feed decodes one chunk (one read from the connection), calling emit for
// every frame completed by it. It returns ErrDecoderClosed after Close.
func (d *FrameDecoder) Feed(chunk []byte, emit func(frame []byte)) error {
	if d.closed {
		return ErrDecoderClosed
	}
	c := chunk
	if len(d.pend) > 0 {
		own := len(d.pend) // bytes that did not come from this chunk
		for {
			if need := d.f.window - len(d.pend); need > 0 && len(c) > 0 {
				t := min(need, len(c))
				d.pend = append(d.pend, c[:t]...)
				c = c[t:]
			}
			consume, flen, ok := d.next(d.pend, d.scanned)
			if !ok {
				// Fewer than window bytes are waiting, so the chunk is used up.
				d.scanned = max(0, len(d.pend)-d.f.maxDelim+1)
				return nil
			}
			emit(d.pend[:flen])
			d.scanned = 0
			if consume >= own {
				// What is left came from the chunk: continue there.
				rest := len(d.pend) - consume
				c = chunk[len(chunk)-len(c)-rest:]
				d.pend = d.pend[:0]
				break
			}
			own -= consume
			n := copy(d.pend, d.pend[consume:])
			d.pend = d.pend[:n]
		}
	}
	for len(c) > 0 {
		consume, flen, ok := d.next(c, 0)
		if !ok {
			d.pend = append(d.pend[:0], c...)
			d.scanned = max(0, len(c)-d.f.maxDelim+1)
			return nil
		}
		emit(c[:flen])
		c = c[consume:]
	}
	return nil
}

// Buffered returns the bytes received and not yet part of a frame. The
// slice is valid until the next call on the decoder.
func (d *FrameDecoder) Buffered() []byte { return d.pend }

// Close ends the stream: bytes still waiting for a delimiter are delivered
// as one last frame. Java drops them; Sluice keeps the data.
func (d *FrameDecoder) Close(emit func(frame []byte)) {
	if !d.closed && len(d.pend) > 0 {
		emit(d.pend)
	}
	d.pend = d.pend[:0]
	d.scanned = 0
	d.closed = true
}

// Reset makes the decoder ready for a new connection, dropping buffered bytes.
func (d *FrameDecoder) Reset() {
	d.pend = d.pend[:0]
	d.scanned = 0
	d.hint = 0
	d.closed = false
}

// next decides the frame at the start of buf, knowing that no delimiter
// match starts before from. It returns how many bytes the frame consumes and
// how long the emitted frame is, or ok=false when more data is needed.
func (d *FrameDecoder) next(buf []byte, from int) (consume, flen int, ok bool) {
	f := d.f
	if f.simple {
		limit := min(len(buf), f.maxLen)
		if i := bytes.IndexByte(buf[from:limit], f.delims[0][0]); i >= 0 {
			limit = from + i + 1
		} else if limit < f.maxLen {
			return 0, 0, false
		}
		if f.strip {
			return limit, limit - 1, true
		}
		return limit, limit, true
	}
	if f.single != nil {
		// One-byte delimiters cannot tie: the earliest byte wins.
		limit := min(len(buf), f.maxLen+1)
		best := limit
		n := len(f.single)
		for k := 0; k < n; k++ {
			j := d.hint + k
			if j >= n {
				j -= n
			}
			if q := bytes.IndexByte(buf[from:best], f.single[j]); q >= 0 {
				best = from + q
				d.hint = j
			}
		}
		switch {
		case best < limit && f.strip:
			return best + 1, best, true
		case best < limit:
			return best + 1, best + 1, true
		case len(buf) > f.maxLen:
			return f.maxLen, f.maxLen, true
		}
		return 0, 0, false
	}
	// Find the earliest delimiter match starting at most maxLen bytes in;
	// a later one (or none with more than maxLen bytes waiting) means a cut.
	// The delimiter that won last time is tried first: its position bounds
	// the search for the others.
	best, bestIdx := -1, -1
	n := len(f.delims)
	for k := 0; k < n; k++ {
		j := d.hint + k
		if j >= n {
			j -= n
		}
		dl := f.delims[j]
		end := f.maxLen + len(dl)
		if best >= 0 {
			end = min(end, best+len(dl))
		}
		end = min(end, len(buf))
		if end-from < len(dl) {
			continue
		}
		var q int
		if len(dl) == 1 {
			q = bytes.IndexByte(buf[from:end], dl[0])
		} else {
			q = bytes.Index(buf[from:end], dl)
		}
		if q < 0 {
			continue
		}
		q += from
		if best < 0 || q < best || (q == best && j < bestIdx) {
			best, bestIdx = q, j
		}
	}
	if best >= 0 {
		d.hint = bestIdx
		dlen := len(f.delims[bestIdx])
		if f.strip {
			return best + dlen, best, true
		}
		return best + dlen, best + dlen, true
	}
	if len(buf) > f.maxLen {
		return f.maxLen, f.maxLen, true
	}
	return 0, 0, false
}

// FrameText decodes a frame as the record value: UTF-8, malformed bytes
// replaced by U+FFFD as Java's decoder does. The result does not share
// memory with frame.
func FrameText(frame []byte) string { return sluice.DecodeUTF8Java(frame) }

// IsBlank reports whether s is empty or only Java whitespace
// (Character.isWhitespace for every char), the frames that produce no
// record.
func IsBlank(s string) bool {
	for _, r := range s {
		if !isJavaWhitespace(r) {
			return false
		}
	}
	return true
}

// RecordValue returns a frame's record value and whether the frame produces
// a record (it is not blank).
func RecordValue(frame []byte) (string, bool) {
	if !frameMayBeBlank(frame) {
		return FrameText(frame), true
	}
	s := FrameText(frame)
	return s, !IsBlank(s)
}

// frameMayBeBlank is a fast check: a frame with an ASCII byte that is not
// whitespace is never blank.
func frameMayBeBlank(frame []byte) bool {
	for _, c := range frame {
		if c < utf8.RuneSelf && !isJavaWhitespace(rune(c)) {
			return false
		}
	}
	return true
}

// isJavaWhitespace is Java's Character.isWhitespace.
func isJavaWhitespace(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r' || (r >= 0x1C && r <= 0x1F) || r == ' ':
		return true
	case r < 0x80:
		return false
	case r == 0x00A0 || r == 0x2007 || r == 0x202F:
		return false
	}
	return unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp)
}

// UnescapeJavaBytes decodes Java escapes as Apache Commons Lang's
// StringEscapeUtils.unescapeJava does and encodes the result as Java's
// String.getBytes() with UTF-8 (an unpaired surrogate becomes '?').
func UnescapeJavaBytes(s string) ([]byte, error) {
	u, err := UnescapeJava(s)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(u))
	for i := 0; i < len(u); i++ {
		c := rune(u[i])
		switch {
		case utf16.IsSurrogate(c):
			if c < 0xDC00 && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF {
				out = utf8.AppendRune(out, utf16.DecodeRune(c, rune(u[i+1])))
				i++
			} else {
				out = append(out, '?')
			}
		default:
			out = utf8.AppendRune(out, c)
		}
	}
	return out, nil
}

// UnescapeJava decodes Java escapes the way Apache Commons Lang's
// StringEscapeUtils.unescapeJava does, returning UTF-16 code units (so that
// escaped surrogates survive): octal escapes of one to three digits (three
// only when the first is 0-3), \u escapes (any number of u's, an optional
// '+', then four characters read by Integer.parseInt(s, 16)), \b \n \t \f \r,
// \\ \" \', and a backslash before anything else is dropped. A malformed
// \u escape is an IllegalArgumentException.
func UnescapeJava(s string) ([]uint16, error) {
	in := utf16.Encode([]rune(s))
	out := make([]uint16, 0, len(in))
	n := len(in)
	for i := 0; i < n; {
		c := in[i]
		if c != '\\' || i+1 == n {
			if c == '\\' { // a trailing backslash is dropped
				i++
				continue
			}
			out = append(out, c)
			i++
			continue
		}
		nx := in[i+1]
		switch {
		case isOctal(nx):
			end := i + 2
			if end < n && isOctal(in[end]) {
				end++
				if end < n && isOctal(in[end]) && nx <= '3' {
					end++
				}
			}
			v := uint16(0)
			for _, d := range in[i+1 : end] {
				v = v*8 + (d - '0')
			}
			out = append(out, v)
			i = end
		case nx == 'u':
			j := i + 2
			for j < n && in[j] == 'u' {
				j++
			}
			if j < n && in[j] == '+' {
				j++
			}
			if j+4 > n {
				return nil, sluice.NewJavaError("IllegalArgumentException",
					"Less than 4 hex digits in unicode value: '%s' due to end of CharSequence", string(utf16.Decode(in[i:])))
			}
			v, ok := parseJavaHex4(in[j : j+4])
			if !ok {
				return nil, sluice.NewJavaError("IllegalArgumentException",
					"Unable to parse unicode value: %s", string(utf16.Decode(in[j:j+4])))
			}
			out = append(out, v)
			i = j + 4
		default:
			switch nx {
			case 'b':
				out = append(out, '\b')
			case 'n':
				out = append(out, '\n')
			case 't':
				out = append(out, '\t')
			case 'f':
				out = append(out, '\f')
			case 'r':
				out = append(out, '\r')
			case '\\', '"', '\'':
				out = append(out, nx)
			default:
				// Only the backslash is consumed; the next char is copied
				// as it is on the next round.
				i++
				continue
			}
			i += 2
		}
	}
	return out, nil
}

func isOctal(c uint16) bool { return c >= '0' && c <= '7' }

// parseJavaHex4 is Integer.parseInt(s, 16) for a four-char s, cast to char:
// an optional sign, then digits as Character.digit(c, 16) accepts them.
func parseJavaHex4(s []uint16) (uint16, bool) {
	neg := false
	i := 0
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		i++
	}
	v := 0
	for ; i < len(s); i++ {
		d := javaHexDigit(s[i])
		if d < 0 {
			return 0, false
		}
		v = v*16 + d
	}
	if neg {
		v = -v
	}
	return uint16(v), true
}

// javaHexDigit is Character.digit(c, 16) for one UTF-16 char.
func javaHexDigit(c uint16) int {
	switch {
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	case c >= 0xFF21 && c <= 0xFF26: // fullwidth A-F
		return int(c-0xFF21) + 10
	case c >= 0xFF41 && c <= 0xFF46: // fullwidth a-f
		return int(c-0xFF41) + 10
	case utf16.IsSurrogate(rune(c)):
		return -1
	}
	return sluice.JavaDigit(rune(c))
}
