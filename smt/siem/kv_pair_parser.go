package siem

import (
	"strings"
	"unicode/utf8"

	"sluice.io/sluice"
	"sluice.io/sluice/expr"
	"sluice.io/sluice/expr/jregex"
)

// KVPairParser configuration keys.
const (
	kvPairDelimiter   = "pairDelimiter"
	kvKVDelimiter     = "kvDelimiter"
	kvHeaderSplit     = "headerSplitRegexp"
	kvQuotesSymbol    = "quotesSymbol"
	kvEscapeSymbol    = "escapeSymbol"
	kvTrimValues      = "trimValues"
	kvFieldPrefix     = "fieldPrefix"
	kvHeaderName      = "headerName"
	kvAddEmptyValues  = "addEmptyValues"
	kvDefaultHeader   = "DATA_HEADER"
	kvDefaultPairDlm  = " "
	kvRegexMetaChars  = `\^$.|?*+()[]{}`
	kvPatternSyntaxEx = "PatternSyntaxException"
)

var kvPairParserDef = sluice.NewConfigDef().
	Define(sluice.ConfigKey{Name: kvPairDelimiter, Type: sluice.TypeString, Default: nil, Importance: sluice.Medium,
		Doc: "Separates the pairs; blank means one space. Removed from keys as a Java regex."}).
	Define(sluice.ConfigKey{Name: kvKVDelimiter, Type: sluice.TypeString, Default: "=", Importance: sluice.Medium,
		Doc: "Separates a key from its value (a single character; each of its characters splits the text)."}).
	Define(sluice.ConfigKey{Name: kvHeaderSplit, Type: sluice.TypeString, Default: nil, Importance: sluice.Medium,
		Doc: "Java regex splitting a leading header from the pairs: the text before its first match becomes the entry named by headerName."}).
	Define(sluice.ConfigKey{Name: kvQuotesSymbol, Type: sluice.TypeString, Default: `"`, Importance: sluice.Medium,
		Doc: "Quote symbol: quoted text keeps delimiters; one surrounding pair is removed from values."}).
	Define(sluice.ConfigKey{Name: kvEscapeSymbol, Type: sluice.TypeString, Default: `\`, Importance: sluice.Medium,
		Doc: "Escape symbol: an escaped quote or key/value delimiter is kept as text (the escape is not removed)."}).
	Define(sluice.ConfigKey{Name: kvTrimValues, Type: sluice.TypeBoolean, Default: true, Importance: sluice.Medium,
		Doc: "Trim the keys (despite the name, values are not trimmed)."}).
	Define(sluice.ConfigKey{Name: kvFieldPrefix, Type: sluice.TypeString, Default: "", Importance: sluice.Low,
		Doc: "Prefix added to every key."}).
	Define(sluice.ConfigKey{Name: kvHeaderName, Type: sluice.TypeString, Default: kvDefaultHeader, Importance: sluice.Low,
		Doc: "Key of the header part split off by headerSplitRegexp (CEF2Map: the CEF prefix)."}).
	Define(sluice.ConfigKey{Name: kvAddEmptyValues, Type: sluice.TypeBoolean, Default: true, Importance: sluice.Medium,
		Doc: "Keep pairs whose value is empty."})

func init() {
	registerTransform("KVPairParser", kvPairParserDef,
		"Parses `k1=v1 k2=\"v 2\"` text (String or bytes value) into a map of strings; the value schema is kept.",
		func() any { return &KVPairParser{} })
}

// splitMode selects how a KVPairParser separates a leading header.
type splitMode uint8

const (
	splitRegex splitMode = iota // headerSplitRegexp (KVPairParser)
	splitCEF                    // the CEF prefix (CEF2Map)
)

// KVPairParser is com.vrudenskyi.kafka.connect.transform.KVPairParser: it
// turns a String (or byte[]) value of key/value pairs into a
// Map<String,String>, with the quirks of the Java tokenizer (values may hold
// the pair delimiter, the key is what follows the last pair delimiter of a
// chunk, escapes are kept).
type KVPairParser struct {
	mode         splitMode
	pairDelim    string
	kvDelim      string
	quotes       string
	quotesBlank  bool
	escape       string
	prefix       string
	headerName   string
	addEmpty     bool
	trimKeys     bool
	delims       string // kvDelim + escape + quotes: the tokenizer's delimiter characters
	asciiDelims  [256]bool
	asciiOnly    bool // every delimiter character is ASCII
	headerSplit  *jregex.Regexp
	headerErr    error // a headerSplitRegexp Java only compiles when splitting
	pairLiteral  bool  // pairDelim has no regex metacharacter
	pairRegex    *jregex.Regexp
	pairRegexErr error
}

var _ sluice.Transformation = (*KVPairParser)(nil)

// Configure implements sluice.Transformation.
func (t *KVPairParser) Configure(cfg map[string]string) error {
	c, err := kvPairParserDef.Parse(cfg)
	if err != nil {
		return err
	}
	t.pairDelim = c.String(kvPairDelimiter)
	if expr.JavaIsBlank(t.pairDelim) {
		t.pairDelim = kvDefaultPairDlm
	}
	t.kvDelim = c.String(kvKVDelimiter)
	t.quotes = c.String(kvQuotesSymbol)
	t.quotesBlank = expr.JavaIsBlank(t.quotes)
	t.escape = c.String(kvEscapeSymbol)
	t.prefix = c.String(kvFieldPrefix)
	t.headerName = c.String(kvHeaderName)
	t.addEmpty = c.Bool(kvAddEmptyValues)
	t.trimKeys = c.Bool(kvTrimValues)
	t.delims = t.kvDelim + t.escape + t.quotes
	t.asciiOnly = true
	for _, r := range t.delims {
		if r >= utf8.RuneSelf {
			t.asciiOnly = false
			continue
		}
		t.asciiDelims[r] = true
	}
	if hs := c.StringOrNil(kvHeaderSplit); t.mode == splitRegex && hs != nil && !expr.JavaIsBlank(*hs) {
		if t.headerSplit, err = jregex.Compile(*hs); err != nil {
			t.headerErr = err
		}
	}
	t.pairLiteral = !strings.ContainsAny(t.pairDelim, kvRegexMetaChars)
	if !t.pairLiteral {
		t.pairRegex, t.pairRegexErr = jregex.Compile(t.pairDelim)
	}
	return nil
}

// Apply implements sluice.Transformation.
func (t *KVPairParser) Apply(r *sluice.Record) (*sluice.Record, error) {
	var text string
	switch v := r.Value.(type) {
	case string:
		text = v
	case []byte:
		text = sluice.DecodeUTF8Java(v)
	default:
		return r, nil
	}
	m, err := t.Parse(text)
	if err != nil {
		return nil, err
	}
	out := r.Clone()
	out.Value = m
	return out, nil
}

// Parse parses one line into a HashMap-like map of strings.
func (t *KVPairParser) Parse(text string) (*sluice.Map, error) {
	m := sluice.NewMap(8, true)
	data, err := t.splitHeader(text, m)
	if err != nil {
		return nil, err
	}
	tz := kvTokenizer{t: t, s: data}
	key, keyOK := t.readChunk(&tz)
	for tz.more() {
		chunk, ok := t.readChunk(&tz)
		if !ok {
			return nil, sluice.NewJavaError("NullPointerException",
				"KVPairParser: empty chunk after key %q (a key/value delimiter follows another one)", key)
		}
		idx := strings.LastIndex(chunk, t.pairDelim)
		if idx < 0 {
			idx = len(chunk)
		}
		value := chunk
		if tz.more() {
			value = chunk[:idx]
		}
		if len(value) > 0 || t.addEmpty {
			var k any
			switch {
			case !keyOK && t.trimKeys:
				return nil, sluice.NewJavaError("NullPointerException",
					"KVPairParser: the text starts with the key/value delimiter, so the first key is null")
			case !keyOK && t.prefix == "":
				k = nil
			case !keyOK:
				k = t.prefix + "null"
			default:
				ks := key
				if t.trimKeys {
					ks = sluice.JavaTrim(ks)
				}
				k = t.prefix + ks
			}
			v, err := t.unquote(stripEndChars(value, t.pairDelim))
			if err != nil {
				return nil, err
			}
			m.Put(k, v)
		}
		if key, err = t.removePairDelims(chunk[idx:]); err != nil {
			return nil, err
		}
		keyOK = true
	}
	return m, nil
}

// splitHeader separates the header part (stored under headerName) from the
// pairs and returns the pairs' text.
func (t *KVPairParser) splitHeader(text string, m *sluice.Map) (string, error) {
	if t.mode == splitCEF {
		return cefSplit(text, m, t.headerName), nil
	}
	if t.headerErr != nil {
		return "", sluice.NewJavaError(kvPatternSyntaxEx, "KVPairParser: headerSplitRegexp: %v", t.headerErr)
	}
	if t.headerSplit == nil {
		return text, nil
	}
	parts, err := t.headerSplit.Split(text, 2)
	if err != nil {
		return "", sluice.NewJavaError("RuntimeException", "KVPairParser: headerSplitRegexp: %v", err)
	}
	if len(parts) > 1 {
		m.Put(t.headerName, parts[0])
		return parts[1], nil
	}
	return parts[0], nil
}

// cefSplit puts the CEF prefix (up to and including the 7th pipe after
// "CEF:", or the last pipe found) under name and returns the extension.
func cefSplit(text string, m *sluice.Map, name string) string {
	idx := strings.Index(text, "CEF:")
	for i := 0; i < 7; i++ {
		p := strings.IndexByte(text[idx+1:], '|')
		if p < 0 {
			break
		}
		idx += 1 + p
	}
	if idx > 0 {
		m.Put(name, text[:idx+1])
		return text[idx+1:]
	}
	return text
}

// removePairDelims is key.replaceAll(pairDelimiter, "").
func (t *KVPairParser) removePairDelims(s string) (string, error) {
	if t.pairLiteral {
		if !strings.Contains(s, t.pairDelim) {
			return s, nil
		}
		return strings.ReplaceAll(s, t.pairDelim, ""), nil
	}
	if t.pairRegexErr != nil {
		return "", sluice.NewJavaError(kvPatternSyntaxEx, "KVPairParser: pairDelimiter used as a regex: %v", t.pairRegexErr)
	}
	out, err := t.pairRegex.ReplaceAll(s, "")
	if err != nil {
		return "", sluice.NewJavaError("RuntimeException", "KVPairParser: pairDelimiter used as a regex: %v", err)
	}
	return out, nil
}

// unquote removes one surrounding pair of quote symbols.
func (t *KVPairParser) unquote(s string) (string, error) {
	if t.quotesBlank || !strings.HasPrefix(s, t.quotes) || !strings.HasSuffix(s, t.quotes) {
		return s, nil
	}
	if len(s) < 2*len(t.quotes) {
		q, n := utf16Len(t.quotes), utf16Len(s)
		return "", sluice.NewJavaError("StringIndexOutOfBoundsException", "begin %d, end %d, length %d", q, n-q, n)
	}
	return s[len(t.quotes) : len(s)-len(t.quotes)], nil
}

// readChunk reads tokens up to the next active key/value delimiter (which is
// consumed). It returns false when Java's result is null: no token at all,
// or a delimiter as the very first token.
func (t *KVPairParser) readChunk(tz *kvTokenizer) (string, bool) {
	start := tz.pos
	has := false
	quoted := false
	for tz.more() {
		tokStart := tz.pos
		tok := tz.next()
		cur := tz.s[start:tokStart]
		if strings.Contains(t.quotes, tok) && (!has || !strings.HasSuffix(cur, t.escape)) {
			quoted = !quoted
		}
		if quoted || has && (tok == t.escape || tok == t.kvDelim && strings.HasSuffix(cur, t.escape)) {
			has = true
			continue
		}
		if tok == t.kvDelim {
			if !has {
				return "", false
			}
			return cur, true
		}
		has = true
	}
	if !has {
		return "", false
	}
	return tz.s[start:tz.pos], true
}

// kvTokenizer is java.util.StringTokenizer with returnDelims=true: each
// delimiter character is a token, and so is each run of other characters.
type kvTokenizer struct {
	t   *KVPairParser
	s   string
	pos int
}

func (z *kvTokenizer) more() bool { return z.pos < len(z.s) }

func (z *kvTokenizer) isDelim(i int) (bool, int) {
	c := z.s[i]
	if c < utf8.RuneSelf {
		return z.t.asciiDelims[c], 1
	}
	r, n := utf8.DecodeRuneInString(z.s[i:])
	if z.t.asciiOnly {
		return false, n
	}
	return strings.ContainsRune(z.t.delims, r), n
}

func (z *kvTokenizer) next() string {
	start := z.pos
	d, n := z.isDelim(z.pos)
	z.pos += n
	if d {
		return z.s[start:z.pos]
	}
	for z.pos < len(z.s) {
		d, n := z.isDelim(z.pos)
		if d {
			break
		}
		z.pos += n
	}
	return z.s[start:z.pos]
}

// stripEndChars is commons-lang StringUtils.stripEnd(s, chars).
func stripEndChars(s, chars string) string {
	if chars == "" {
		return s
	}
	for len(s) > 0 {
		r, n := utf8.DecodeLastRuneInString(s)
		if !strings.ContainsRune(chars, r) {
			break
		}
		s = s[:len(s)-n]
	}
	return s
}

// utf16Len is the length of s in Java chars.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// Close implements sluice.Transformation.
func (t *KVPairParser) Close() error { return nil }
