package expr

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"sluice.io/sluice"
	"sluice.io/sluice/expr/jtime"
)

// Date and time styles of java.text.DateFormat for the locale en_US (JDK 17).
var (
	dateStyles = [...]*jtime.Format{
		jtime.MustCompile("MMM d, y"),        // DEFAULT (= MEDIUM)
		jtime.MustCompile("M/d/yy"),          // SHORT
		jtime.MustCompile("MMM d, y"),        // MEDIUM
		jtime.MustCompile("MMMM d, y"),       // LONG
		jtime.MustCompile("EEEE, MMMM d, y"), // FULL
	}
	timeStyles = [...]*jtime.Format{
		jtime.MustCompile("h:mm:ss a"),
		jtime.MustCompile("h:mm a"),
		jtime.MustCompile("h:mm:ss a"),
		jtime.MustCompile("h:mm:ss a z"),
		jtime.MustCompile("h:mm:ss a zzzz"),
	}
	dateTimeShort = jtime.MustCompile("M/d/yy, h:mm a")
)

var (
	typeKeywords     = []string{"", "number", "date", "time", "choice"}
	dateTimeKeywords = []string{"", "short", "medium", "long", "full"}
)

const (
	typeNone = iota
	typeNumber
	typeDate
	typeTime
	typeChoice
)

// dateStyleOf reports whether word names a DateFormat style.
func dateStyleOf(word string) (int, bool) {
	i := findKeyword(word, dateTimeKeywords)
	return i, i > 0
}

// findKeyword is MessageFormat.findKeyword: an exact match, else the
// trimmed, lower-cased text.
func findKeyword(s string, list []string) int {
	for i, k := range list {
		if s == k {
			return i
		}
	}
	ls := strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, sluice.JavaTrim(s))
	for i, k := range list {
		if ls == k {
			return i
		}
	}
	return -1
}

func illegalArgument(format string, args ...any) error {
	return sluice.NewJavaError("IllegalArgumentException", format, args...)
}

// messageFormat is java.text.MessageFormat.format(pattern, new Date(ms)) for
// the locale en_US and the time zone UTC.
func (t *Template) messageFormat(p string, ms int64) (string, error) {
	const (
		segRaw = iota
		segIndex
		segType
		segModifier
	)
	// seg holds the index, type and modifier texts of the current
	// placeholder; they are always short.
	var segBuf [3][32]byte
	seg := [4][]byte{nil, segBuf[0][:0], segBuf[1][:0], segBuf[2][:0]}
	out := make([]byte, 0, len(p)+16)
	part := segRaw
	inQuote := false
	braces := 0
	var fmtErr error
	for i := 0; i < len(p); i++ {
		c := p[i]
		if part == segRaw {
			switch {
			case c == '\'':
				if i+1 < len(p) && p[i+1] == '\'' {
					out = append(out, c)
					i++
				} else {
					inQuote = !inQuote
				}
			case c == '{' && !inQuote:
				part = segIndex
			default:
				out = append(out, c)
			}
			continue
		}
		if inQuote {
			seg[part] = append(seg[part], c)
			if c == '\'' {
				inQuote = false
			}
			continue
		}
		switch c {
		case ',':
			if part < segModifier {
				part++
			} else {
				seg[part] = append(seg[part], c)
			}
		case '{':
			braces++
			seg[part] = append(seg[part], c)
		case '}':
			if braces > 0 {
				braces--
				seg[part] = append(seg[part], c)
				continue
			}
			part = segRaw
			var err, ferr error
			out, ferr, err = t.formatArgument(out, seg[segIndex], seg[segType], seg[segModifier], ms)
			if err != nil {
				return "", err
			}
			if ferr != nil && fmtErr == nil {
				fmtErr = ferr
			}
			seg[segIndex], seg[segType], seg[segModifier] = seg[segIndex][:0], seg[segType][:0], seg[segModifier][:0]
		case ' ':
			if part != segType || len(seg[segType]) > 0 {
				seg[part] = append(seg[part], c)
			}
		case '\'':
			inQuote = true
			seg[part] = append(seg[part], c)
		default:
			seg[part] = append(seg[part], c)
		}
	}
	if braces == 0 && part != segRaw {
		return "", illegalArgument("Unmatched braces in the pattern.")
	}
	if fmtErr != nil {
		return "", fmtErr
	}
	return string(out), nil
}

// formatArgument is MessageFormat.makeFormat followed by the formatting of
// argument 0 (the date) onto out; other argument numbers have no value and
// render as {n}. err is a pattern error (raised at once), ferr a formatting
// error (raised once the whole pattern parsed).
func (t *Template) formatArgument(out, index, typ, modifier []byte, ms int64) (_ []byte, ferr, err error) {
	n64, perr := sluice.ParseJavaInt(string(index), 32)
	if perr != nil {
		return out, nil, illegalArgument("can't parse argument number: %s", index)
	}
	n := int(n64)
	if n < 0 {
		return out, nil, illegalArgument("negative argument number: %d", n)
	}
	var f *jtime.Format
	numeric := false
	if len(typ) > 0 {
		switch kind := findKeyword(string(typ), typeKeywords); kind {
		case typeNone:
		case typeNumber, typeChoice:
			numeric = true
		case typeDate, typeTime:
			mod := findKeyword(string(modifier), dateTimeKeywords)
			switch {
			case mod >= 0 && kind == typeDate:
				f = dateStyles[mod]
			case mod >= 0:
				f = timeStyles[mod]
			default:
				if f = t.dates[string(modifier)]; f == nil {
					if f, perr = jtime.Compile(string(modifier)); perr != nil {
						return out, nil, illegalArgument("%s", perr.Error())
					}
				}
			}
		default:
			return out, nil, illegalArgument("unknown format type: %s", typ)
		}
	}
	if n != 0 {
		out = append(out, '{')
		out = strconv.AppendInt(out, int64(n), 10)
		return append(out, '}'), nil, nil
	}
	if numeric {
		return out, illegalArgument("Cannot format given Object as a Number"), nil
	}
	if f == nil {
		f = dateTimeShort
	}
	return f.AppendFormat(out, ms), nil, nil
}

func decodeRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }
