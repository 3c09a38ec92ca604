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
	var seg [4]strings.Builder
	var out strings.Builder
	out.Grow(len(p) + 16)
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
					out.WriteByte(c)
					i++
				} else {
					inQuote = !inQuote
				}
			case c == '{' && !inQuote:
				part = segIndex
			default:
				out.WriteByte(c)
			}
			continue
		}
		if inQuote {
			seg[part].WriteByte(c)
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
				seg[part].WriteByte(c)
			}
		case '{':
			braces++
			seg[part].WriteByte(c)
		case '}':
			if braces > 0 {
				braces--
				seg[part].WriteByte(c)
				continue
			}
			part = segRaw
			text, err := t.formatArgument(seg[segIndex].String(), seg[segType].String(), seg[segModifier].String(), ms)
			if err != nil {
				return "", err
			}
			if text.err != nil && fmtErr == nil {
				fmtErr = text.err
			}
			out.WriteString(text.s)
			seg[segIndex].Reset()
			seg[segType].Reset()
			seg[segModifier].Reset()
		case ' ':
			if part != segType || seg[segType].Len() > 0 {
				seg[part].WriteByte(c)
			}
		case '\'':
			inQuote = true
			seg[part].WriteByte(c)
		default:
			seg[part].WriteByte(c)
		}
	}
	if braces == 0 && part != segRaw {
		return "", illegalArgument("Unmatched braces in the pattern.")
	}
	if fmtErr != nil {
		return "", fmtErr
	}
	return out.String(), nil
}

type formatted struct {
	s   string
	err error // a formatting failure, raised once the pattern parsed
}

// formatArgument is MessageFormat.makeFormat followed by the formatting of
// argument 0 (the date); other argument numbers have no value and render as
// {n}.
func (t *Template) formatArgument(index, typ, modifier string, ms int64) (formatted, error) {
	n64, err := sluice.ParseJavaInt(index, 32)
	if err != nil {
		return formatted{}, illegalArgument("can't parse argument number: %s", index)
	}
	n := int(n64)
	if n < 0 {
		return formatted{}, illegalArgument("negative argument number: %d", n)
	}
	var f *jtime.Format
	numeric := false
	if typ != "" {
		switch findKeyword(typ, typeKeywords) {
		case typeNone:
		case typeNumber, typeChoice:
			numeric = true
		case typeDate, typeTime:
			mod := findKeyword(modifier, dateTimeKeywords)
			switch {
			case mod >= 0 && findKeyword(typ, typeKeywords) == typeDate:
				f = dateStyles[mod]
			case mod >= 0:
				f = timeStyles[mod]
			default:
				f = t.dates[modifier]
				if f == nil {
					f, err = jtime.Compile(modifier)
					if err != nil {
						return formatted{}, illegalArgument("%s", err.Error())
					}
				}
			}
		default:
			return formatted{}, illegalArgument("unknown format type: %s", typ)
		}
	}
	if n != 0 {
		return formatted{s: "{" + strconv.Itoa(n) + "}"}, nil
	}
	if numeric {
		return formatted{err: illegalArgument("Cannot format given Object as a Number")}, nil
	}
	if f == nil {
		f = dateTimeShort
	}
	return formatted{s: string(f.AppendFormat(nil, ms))}, nil
}

func decodeRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }
