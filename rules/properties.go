// Package rules reads Kafka Connect configuration: Java-exact .properties
// files, config providers (${file:…}, ${env:…}, ${directory:…}), the worker
// and connector configuration models, and the compiler that turns a
// connector's properties into a pipeline.
package rules

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sort"
	"unicode/utf16"
	"unicode/utf8"

	"sluice.io/sluice"
)

// Property is one assignment read from a properties file.
type Property struct {
	Key   string
	Value string
	// Line is the 1-based number of the physical line on which the logical
	// line holding the assignment starts.
	Line int
}

// Properties is the result of loading a properties file: the final value of
// every key (later assignments win) and every assignment in file order.
type Properties struct {
	m    map[string]string
	puts []Property
}

// NewProperties returns an empty set of properties.
func NewProperties() *Properties { return &Properties{m: map[string]string{}} }

// Set assigns a value, as a later line of the file would.
func (p *Properties) Set(key, value string, line int) {
	p.m[key] = value
	p.puts = append(p.puts, Property{Key: key, Value: value, Line: line})
}

// Get returns the final value of a key.
func (p *Properties) Get(key string) (string, bool) {
	v, ok := p.m[key]
	return v, ok
}

// Len returns the number of distinct keys.
func (p *Properties) Len() int { return len(p.m) }

// Map returns a copy of the final key → value map.
func (p *Properties) Map() map[string]string {
	out := make(map[string]string, len(p.m))
	for k, v := range p.m {
		out[k] = v
	}
	return out
}

// Keys returns the distinct keys, sorted.
func (p *Properties) Keys() []string {
	out := make([]string, 0, len(p.m))
	for k := range p.m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Puts returns every assignment in file order, duplicates included.
func (p *Properties) Puts() []Property { return append([]Property(nil), p.puts...) }

// Line returns the line of the assignment that gave a key its final value,
// or 0 when the key is absent.
func (p *Properties) Line(key string) int {
	for i := len(p.puts) - 1; i >= 0; i-- {
		if p.puts[i].Key == key {
			return p.puts[i].Line
		}
	}
	return 0
}

// PropertiesError is a failure to load a properties file. It wraps the Java
// exception the JDK throws (IllegalArgumentException for a malformed \uXXXX
// escape) and records where it happened.
type PropertiesError struct {
	// Source names the input (a file path), or "" for a reader.
	Source string
	// Line is the 1-based line on which the offending logical line starts.
	Line int
	Err  error
}

// Error implements error.
func (e *PropertiesError) Error() string {
	if e.Source != "" {
		return fmt.Sprintf("%s:%d: %v", e.Source, e.Line, e.Err)
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

// Unwrap returns the cause.
func (e *PropertiesError) Unwrap() error { return e.Err }

// propMalformedMsg is the JDK's message for a bad \uXXXX escape.
const propMalformedMsg = `Malformed \uxxxx encoding.`

// LoadProperties reads properties the way java.util.Properties.load(InputStream)
// does: every byte is one ISO-8859-1 character. On a malformed \uXXXX escape
// the load stops; the returned Properties then holds the assignments made
// before the offending line, and the error is a *PropertiesError wrapping a
// sluice.JavaError of class IllegalArgumentException.
func LoadProperties(r io.Reader) (*Properties, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return NewProperties(), fmt.Errorf("reading properties: %w", err)
	}
	return ParseProperties(data)
}

// ParseProperties is LoadProperties on bytes already in memory.
func ParseProperties(data []byte) (*Properties, error) {
	chars := make([]uint16, len(data))
	for i, b := range data {
		chars[i] = uint16(b)
	}
	return propLoad(chars)
}

// ParsePropertiesText loads properties from text, as
// java.util.Properties.load(Reader) does (the way Kafka's FileConfigProvider
// reads its files as UTF-8): the characters are the UTF-16 units of text.
func ParsePropertiesText(text string) (*Properties, error) {
	return propLoad(utf16.Encode([]rune(text)))
}

// LoadPropertiesFile loads a properties file as Connect standalone does for
// worker and connector files (ISO-8859-1).
func LoadPropertiesFile(path string) (*Properties, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return NewProperties(), fmt.Errorf("reading properties file: %w", err)
	}
	p, err := ParseProperties(data)
	if pe, ok := err.(*PropertiesError); ok {
		pe.Source = path
	}
	return p, err
}

// propReader splits input characters into logical lines with the JDK's
// LineReader rules.
type propReader struct {
	in   []uint16
	off  int
	line int // physical line (1-based) of the character at off
	buf  []uint16
}

// propIsLineEnd reports a line terminator character.
func propIsLineEnd(c uint16) bool { return c == '\n' || c == '\r' }

// propIsBlank reports the whitespace Properties skips and splits on.
func propIsBlank(c uint16) bool { return c == ' ' || c == '\t' || c == '\f' }

// next returns the next character, counting physical lines.
func (r *propReader) next() uint16 {
	c := r.in[r.off]
	r.off++
	if c == '\n' || c == '\r' && (r.off >= len(r.in) || r.in[r.off] != '\n') {
		r.line++
	}
	return c
}

// readLine returns the next logical line (with continuations joined and the
// continuation backslashes removed) and the line it starts on; ok is false at
// the end of the input.
func (r *propReader) readLine() (line []uint16, start int, ok bool) {
	buf := r.buf[:0]
	skipWhite := true
	appendedLineBegin := false
	precedingBackslash := false
	start = r.line
	for {
		if r.off >= len(r.in) {
			r.buf = buf
			if len(buf) == 0 {
				return nil, 0, false
			}
			if precedingBackslash {
				return buf[:len(buf)-1], start, true
			}
			return buf, start, true
		}
		lineBefore := r.line
		c := r.next()
		if skipWhite {
			if propIsBlank(c) {
				continue
			}
			if !appendedLineBegin && propIsLineEnd(c) {
				continue
			}
			skipWhite = false
			appendedLineBegin = false
		}
		if len(buf) == 0 {
			start = lineBefore
			if c == '#' || c == '!' {
				// A comment runs to the end of its physical line.
				for r.off < len(r.in) && !propIsLineEnd(r.in[r.off]) {
					r.off++
				}
				if r.off >= len(r.in) {
					r.buf = buf
					return nil, 0, false
				}
				r.next()
				skipWhite = true
				continue
			}
		}
		if !propIsLineEnd(c) {
			buf = append(buf, c)
			if c == '\\' {
				precedingBackslash = !precedingBackslash
			} else {
				precedingBackslash = false
			}
			continue
		}
		// end of a physical line
		if len(buf) == 0 {
			skipWhite = true
			continue
		}
		if r.off >= len(r.in) {
			r.buf = buf
			if precedingBackslash {
				return buf[:len(buf)-1], start, true
			}
			return buf, start, true
		}
		if !precedingBackslash {
			r.buf = buf
			return buf, start, true
		}
		// continuation: drop the backslash, join the next line
		buf = buf[:len(buf)-1]
		skipWhite = true
		appendedLineBegin = true
		precedingBackslash = false
		if c == '\r' && r.off < len(r.in) && r.in[r.off] == '\n' {
			r.next()
		}
	}
}

// propLoad runs the JDK's load0 over the characters.
func propLoad(in []uint16) (*Properties, error) {
	p := NewProperties()
	r := &propReader{in: in, line: 1}
	var conv []uint16
	for {
		line, start, ok := r.readLine()
		if !ok {
			return p, nil
		}
		limit := len(line)
		keyLen, valueStart := 0, limit
		hasSep, precedingBackslash := false, false
		for keyLen < limit {
			c := line[keyLen]
			if (c == '=' || c == ':') && !precedingBackslash {
				valueStart = keyLen + 1
				hasSep = true
				break
			}
			if propIsBlank(c) && !precedingBackslash {
				valueStart = keyLen + 1
				break
			}
			if c == '\\' {
				precedingBackslash = !precedingBackslash
			} else {
				precedingBackslash = false
			}
			keyLen++
		}
		for valueStart < limit {
			c := line[valueStart]
			if !propIsBlank(c) {
				if !hasSep && (c == '=' || c == ':') {
					hasSep = true
				} else {
					break
				}
			}
			valueStart++
		}
		var key, value string
		var err error
		key, conv, err = propUnescape(line[:keyLen], conv)
		if err == nil {
			value, conv, err = propUnescape(line[valueStart:], conv)
		}
		if err != nil {
			return p, &PropertiesError{Line: start, Err: err}
		}
		p.Set(key, value, start)
	}
}

// propUnescape applies the escapes of Properties.loadConvert and returns the
// text as a Go string (unpaired surrogates become U+FFFD). scratch is reused.
func propUnescape(in []uint16, scratch []uint16) (string, []uint16, error) {
	i := 0
	for i < len(in) && in[i] != '\\' {
		i++
	}
	if i == len(in) {
		return propString(in), scratch, nil
	}
	out := append(scratch[:0], in[:i]...)
	for i < len(in) {
		c := in[i]
		i++
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i >= len(in) {
			// Cannot happen for lines from readLine (an odd trailing backslash
			// is removed there); keep the backslash dropped like any escape.
			break
		}
		c = in[i]
		i++
		switch c {
		case 'u':
			if i > len(in)-4 {
				return "", out, sluice.NewJavaError("IllegalArgumentException", propMalformedMsg)
			}
			var v uint16
			for k := 0; k < 4; k++ {
				d := in[i]
				i++
				switch {
				case d >= '0' && d <= '9':
					v = v<<4 + d - '0'
				case d >= 'a' && d <= 'f':
					v = v<<4 + 10 + d - 'a'
				case d >= 'A' && d <= 'F':
					v = v<<4 + 10 + d - 'A'
				default:
					return "", out, sluice.NewJavaError("IllegalArgumentException", propMalformedMsg)
				}
			}
			out = append(out, v)
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case 'n':
			out = append(out, '\n')
		case 'f':
			out = append(out, '\f')
		default:
			out = append(out, c)
		}
	}
	return propString(out), out, nil
}

// propString converts UTF-16 units to a Go string.
func propString(u []uint16) string {
	ascii := true
	for _, c := range u {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		b := make([]byte, len(u))
		for i, c := range u {
			b[i] = byte(c)
		}
		return string(b)
	}
	var sb bytes.Buffer
	sb.Grow(len(u) + len(u)/2)
	for i := 0; i < len(u); i++ {
		c := u[i]
		if utf16.IsSurrogate(rune(c)) && c < 0xDC00 && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] < 0xE000 {
			sb.WriteRune(utf16.DecodeRune(rune(c), rune(u[i+1])))
			i++
			continue
		}
		sb.WriteRune(rune(c)) // a lone surrogate is written as U+FFFD
	}
	return sb.String()
}
