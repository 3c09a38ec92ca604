package netsource

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"sluice.io/sluice"
)

// frame is a decoded frame and the chunk index that completed it (-1: close).
type frame struct {
	data string
	at   int
}

// decodeAll feeds chunks to a fresh decoder, then closes it when close is
// set, and returns the frames and what was buffered after the last chunk.
func (f frame) String() string { return strconv.Quote(f.data) + "@" + strconv.Itoa(f.at) }

func decodeAll(t testing.TB, f *Framer, chunks [][]byte, close bool) ([]frame, string) {
	t.Helper()
	d := f.NewDecoder()
	var out []frame
	for i, c := range chunks {
		if err := d.Feed(c, func(b []byte) { out = append(out, frame{string(b), i}) }); err != nil {
			t.Fatalf("feed %d: %v", i, err)
		}
	}
	buffered := string(d.Buffered())
	if close {
		d.Close(func(b []byte) { out = append(out, frame{string(b), -1}) })
	}
	return out, buffered
}

// refDecode is a reference model of the Java decoders, written for clarity:
// it keeps every received byte in one buffer, searches the whole buffer for
// every delimiter after each read and cuts frames until none is complete.
func refDecode(s FramingSettings, chunks [][]byte) ([]frame, string) {
	var buf []byte
	var out []frame
	for i, c := range chunks {
		buf = append(buf, c...)
		for len(buf) > 0 {
			var consume, flen int
			if s.Simple {
				limit := max(s.MaxLength, 1)
				n := -1
				for k := 0; k < len(buf); k++ {
					if buf[k] == s.Delimiters[0][0] || k+1 >= limit {
						n = k + 1
						break
					}
				}
				if n < 0 {
					break
				}
				consume, flen = n, n
				if s.StripDelimiter {
					flen = n - 1
				}
			} else {
				pos, sel := -1, -1
				for j, dl := range s.Delimiters {
					if p := bytes.Index(buf, dl); p >= 0 && (pos < 0 || p < pos) {
						pos, sel = p, j
					}
				}
				switch {
				case pos > s.MaxLength:
					consume, flen = s.MaxLength, s.MaxLength
				case pos >= 0:
					consume, flen = pos+len(s.Delimiters[sel]), pos
					if !s.StripDelimiter {
						flen = consume
					}
				case len(buf) > s.MaxLength:
					consume, flen = s.MaxLength, s.MaxLength
				default:
					consume = 0
				}
				if consume == 0 {
					break
				}
			}
			out = append(out, frame{string(buf[:flen]), i})
			buf = buf[consume:]
		}
	}
	return out, string(buf)
}

func mustFramer(t testing.TB, props map[string]string) *Framer {
	t.Helper()
	f, err := NewFramer(props)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func chunksOf(parts ...string) [][]byte {
	out := make([][]byte, len(parts))
	for i, p := range parts {
		out[i] = []byte(p)
	}
	return out
}

func TestDecoderCases(t *testing.T) {
	cases := []struct {
		name     string
		props    map[string]string
		chunks   []string
		want     []frame
		buffered string
	}{
		{"lines", nil, []string{"a\nb\n"}, []frame{{"a", 0}, {"b", 0}}, ""},
		{"nul and lf", nil, []string{"a\x00b\nc"}, []frame{{"a", 0}, {"b", 0}}, "c"},
		{"only the chosen delimiter is stripped", nil, []string{"abc\r\n"}, []frame{{"abc\r", 0}}, ""},
		{"line across chunks", nil, []string{"ab", "", "cd\ne"}, []frame{{"abcd", 2}}, "e"},
		{"over-long line is split", map[string]string{"channel.tcp.frame.maxLength": "4"},
			[]string{"abcdefghij\n"}, []frame{{"abcd", 0}, {"efgh", 0}, {"ij", 0}}, ""},
		{"exactly max waits", map[string]string{"channel.tcp.frame.maxLength": "4"},
			[]string{"abcd", "\n"}, []frame{{"abcd", 1}}, ""},
		{"max plus one is cut", map[string]string{"channel.tcp.frame.maxLength": "4"},
			[]string{"abcde"}, []frame{{"abcd", 0}}, "e"},
		{"keep delimiter", map[string]string{"channel.tcp.frame.stripDelimiter": "false"},
			[]string{"a\r\nb\n"}, []frame{{"a\r\n", 0}, {"b\n", 0}}, ""},
		{"multi-byte delimiter split across chunks", map[string]string{"channel.tcp.frame.delimeters": "END"},
			[]string{"oneEN", "DtwoE", "ND"}, []frame{{"one", 1}, {"two", 2}}, ""},
		{"partial delimiter at max is cut", map[string]string{"channel.tcp.frame.delimeters": "END", "channel.tcp.frame.maxLength": "4"},
			[]string{"abcdEN", "D"}, []frame{{"abcd", 0}, {"", 1}}, ""},
		{"tie goes to the first listed", map[string]string{"channel.tcp.frame.delimeters": `\r,\r\n`},
			[]string{"a\r\nb\r\n"}, []frame{{"a", 0}, {"\nb", 0}}, "\n"},
		{"tie goes to the first listed, reversed", map[string]string{"channel.tcp.frame.delimeters": `\r\n,\r`},
			[]string{"a\r\nb\r\n"}, []frame{{"a", 0}, {"b", 0}}, ""},
		{"winner changes between frames", map[string]string{"channel.tcp.frame.delimeters": `;,\n`},
			[]string{"a;b\nc;d\n"}, []frame{{"a", 0}, {"b", 0}, {"c", 0}, {"d", 0}}, ""},
		{"older prefix", map[string]string{"pipeline.factory.tcp.frame.delimeters": ";", "pipeline.factory.tcp.frame.maxLength": "3"},
			[]string{"a\nb;abcdef;"}, []frame{{"a\nb", 0}, {"abc", 0}, {"def", 0}}, ""},
		{"newer prefix wins", map[string]string{"pipeline.factory.tcp.frame.delimeters": ";", "channel.tcp.frame.delimeters": ":"},
			[]string{"a;b:"}, []frame{{"a;b", 0}}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := mustFramer(t, c.props)
			got, buffered := decodeAll(t, f, chunksOf(c.chunks...), false)
			if !slices.Equal(got, c.want) {
				t.Errorf("frames: got %v, want %v", got, c.want)
			}
			if buffered != c.buffered {
				t.Errorf("buffered: got %q, want %q", buffered, c.buffered)
			}
		})
	}
}

func TestSimpleDecoderCases(t *testing.T) {
	cases := []struct {
		name     string
		props    map[string]string
		chunks   []string
		want     []frame
		buffered string
	}{
		{"defaults", nil, []string{"ab", "c\nd"}, []frame{{"abc", 1}}, "d"},
		{"cut drops a data byte", map[string]string{"maxFrameLength": "3"}, []string{"abcdef\n"},
			[]frame{{"ab", 0}, {"de", 0}, {"", 0}}, ""},
		{"keep", map[string]string{"maxFrameLength": "3", "stripDelimiter": "false"}, []string{"abcd\n"},
			[]frame{{"abc", 0}, {"d\n", 0}}, ""},
		{"non-positive maximum acts as one", map[string]string{"maxFrameLength": "-5", "stripDelimiter": "false"}, []string{"ab"},
			[]frame{{"a", 0}, {"b", 0}}, ""},
		{"first byte of the delimiter", map[string]string{"delimiter": `\r\n`}, []string{"a\rb\n"}, []frame{{"a", 0}}, "b\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := NewSimpleFramer(c.props)
			if err != nil {
				t.Fatal(err)
			}
			got, buffered := decodeAll(t, f, chunksOf(c.chunks...), false)
			if !slices.Equal(got, c.want) {
				t.Errorf("frames: got %v, want %v", got, c.want)
			}
			if buffered != c.buffered {
				t.Errorf("buffered: got %q, want %q", buffered, c.buffered)
			}
		})
	}
}

func TestDefaultSettings(t *testing.T) {
	s := mustFramer(t, nil).Settings()
	if !slices.EqualFunc(s.Delimiters, [][]byte{{0}, {'\n'}}, bytes.Equal) {
		t.Errorf("delimiters %q", s.Delimiters)
	}
	if s.MaxLength != 8192 || !s.StripDelimiter || s.FailFast || s.Simple || s.NoDataTimeout != 0 ||
		s.MaxConnections != 0 || s.MaxConnectionsPerIP != nil {
		t.Errorf("settings %+v", s)
	}
	s = mustFramer(t, map[string]string{
		"channel.tcp.frame.failFast":          "TRUE",
		"channel.tcp.nodataTimeout":           "1500",
		"pipeline.factory.tcp.maxConnections": "7",
		"channel.tcp.maxConnectionsPerIP":     "3",
	}).Settings()
	if !s.FailFast || s.NoDataTimeout != 1500*time.Millisecond || s.MaxConnections != 7 ||
		s.MaxConnectionsPerIP == nil || *s.MaxConnectionsPerIP != 3 {
		t.Errorf("settings %+v", s)
	}
}

func TestConfigErrors(t *testing.T) {
	cases := []struct {
		props map[string]string
		class string
		msg   string // substring of the message
	}{
		{map[string]string{"channel.tcp.frame.maxLength": "abc"}, "ConfigException",
			"Invalid value abc for configuration channel.tcp.frame.maxLength: Not a number of type INT"},
		{map[string]string{"pipeline.factory.tcp.frame.maxLength": "1.5"}, "ConfigException",
			"Invalid value 1.5 for configuration pipeline.factory.tcp.frame.maxLength: Not a number of type INT"},
		{map[string]string{"channel.tcp.frame.stripDelimiter": "yes"}, "ConfigException",
			"Invalid value yes for configuration channel.tcp.frame.stripDelimiter: Expected value to be either true or false"},
		{map[string]string{"channel.tcp.nodataTimeout": "x"}, "ConfigException", "channel.tcp.nodataTimeout"},
		{map[string]string{"channel.tcp.frame.delimeters": ""}, "NullPointerException", "channel.tcp.frame.delimeters is empty"},
		{map[string]string{"pipeline.factory.tcp.frame.delimeters": " "}, "NullPointerException", "pipeline.factory.tcp.frame.delimeters is empty"},
		{map[string]string{"channel.tcp.frame.maxLength": "0"}, "IllegalArgumentException", "must be a positive integer: 0"},
		{map[string]string{"channel.tcp.frame.maxLength": "-3"}, "IllegalArgumentException", "must be a positive integer: -3"},
		{map[string]string{"channel.tcp.frame.delimeters": `\n,,x`}, "IllegalArgumentException", "empty delimiter"},
		{map[string]string{"channel.tcp.frame.delimeters": `\`}, "IllegalArgumentException", "empty delimiter"},
		{map[string]string{"channel.tcp.frame.delimeters": `\u12`}, "IllegalArgumentException", "Less than 4 hex digits"},
		{map[string]string{"channel.tcp.frame.delimeters": `\u12zz`}, "IllegalArgumentException", "Unable to parse unicode value: 12zz"},
	}
	for _, c := range cases {
		_, err := NewFramer(c.props)
		if err == nil {
			t.Errorf("%v: no error", c.props)
			continue
		}
		if got := sluice.ErrorClass(err); got != c.class || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%v: got %s %q, want %s containing %q", c.props, got, err, c.class, c.msg)
		}
	}
	simple := []struct {
		props map[string]string
		class string
	}{
		{map[string]string{"delimiter": " "}, "ArrayIndexOutOfBoundsException"},
		{map[string]string{"delimiter": `\uZZZZ`}, "IllegalArgumentException"},
		{map[string]string{"maxFrameLength": "x"}, "ConfigException"},
	}
	for _, c := range simple {
		_, err := NewSimpleFramer(c.props)
		if got := sluice.ErrorClass(err); err == nil || got != c.class {
			t.Errorf("simple %v: got %v (%s), want %s", c.props, err, got, c.class)
		}
	}
	var ce *sluice.ConfigError
	if _, err := NewFramer(map[string]string{"channel.tcp.frame.maxLength": "abc"}); !errors.As(err, &ce) {
		t.Errorf("ConfigError not in the chain of %v", err)
	}
}

func TestConfigDefDocumentsEveryKey(t *testing.T) {
	for _, def := range []*sluice.ConfigDef{TCPFramingConfigDef(), SimpleFramingConfigDef()} {
		for _, k := range def.Keys() {
			if k.Doc == "" {
				t.Errorf("%s has no doc", k.Name)
			}
		}
	}
	def := TCPFramingConfigDef()
	for _, p := range []string{ChannelTCPPrefix, PipelineTCPPrefix} {
		for _, s := range tcpKeySuffixes {
			if def.Key(p+s) == nil {
				t.Errorf("%s%s not defined", p, s)
			}
		}
	}
	if k := def.Key("channel.tcp.frame.delimeters"); k.Type != sluice.TypeList || !slices.Equal(k.Default.([]string), []string{`\0`, `\n`}) {
		t.Errorf("delimeters key %+v", k)
	}
}

func TestCloseDeliversTheRest(t *testing.T) {
	f := mustFramer(t, nil)
	got, buffered := decodeAll(t, f, chunksOf("a\nbc"), true)
	want := []frame{{"a", 0}, {"bc", -1}}
	if !slices.Equal(got, want) || buffered != "bc" {
		t.Errorf("got %v buffered %q", got, buffered)
	}
	got, _ = decodeAll(t, f, chunksOf("a\n"), true)
	if !slices.Equal(got, []frame{{"a", 0}}) {
		t.Errorf("close with nothing buffered: %v", got)
	}

	d := f.NewDecoder()
	d.Close(func([]byte) { t.Error("frame from an empty decoder") })
	if err := d.Feed([]byte("x\n"), func([]byte) {}); !errors.Is(err, ErrDecoderClosed) {
		t.Errorf("feed after close: %v", err)
	}
	d.Close(func([]byte) { t.Error("second close emitted") })
	d.Reset()
	var n int
	if err := d.Feed([]byte("x\ny"), func([]byte) { n++ }); err != nil || n != 1 || string(d.Buffered()) != "y" {
		t.Errorf("after reset: err %v, %d frames, buffered %q", err, n, d.Buffered())
	}
	d.Reset()
	if len(d.Buffered()) != 0 {
		t.Errorf("reset kept %q", d.Buffered())
	}
}

// TestMatchesReference compares the decoder with the reference model on
// random streams, configurations and chunkings.
func TestMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	delimSets := [][]string{{`\0`, `\n`}, {`\n`}, {`\r\n`, `\n`}, {`\r`, `\r\n`}, {`\r\n`, `\r`}, {"END"}, {`\n\n`, `\n`},
		{"ab", "a"}, {"a", "ab", "ba"}, {"aaa"}, {"aba", "b"}}
	alphabet := []byte("abENDx\r\n\x00")
	for iter := 0; iter < 20000; iter++ {
		set := delimSets[rng.IntN(len(delimSets))]
		props := map[string]string{
			"channel.tcp.frame.delimeters":     strings.Join(set, ","),
			"channel.tcp.frame.maxLength":      strconv.Itoa(1 + rng.IntN(12)),
			"channel.tcp.frame.stripDelimiter": strconv.FormatBool(rng.IntN(2) == 0),
		}
		f := mustFramer(t, props)
		if rng.IntN(5) == 0 {
			var err error
			f, err = NewSimpleFramer(map[string]string{
				"delimiter":      []string{"a", "b", "E", "x", `\r`, `\n`, `\0`}[rng.IntN(7)],
				"maxFrameLength": strconv.Itoa(rng.IntN(10) - 1),
				"stripDelimiter": strconv.FormatBool(rng.IntN(2) == 0),
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		input := make([]byte, rng.IntN(60))
		for i := range input {
			input[i] = alphabet[rng.IntN(len(alphabet))]
		}
		var chunks [][]byte
		for rest := input; len(rest) > 0; {
			n := min(rng.IntN(8), len(rest))
			chunks = append(chunks, rest[:n])
			rest = rest[n:]
		}
		got, gotBuf := decodeAll(t, f, chunks, false)
		want, wantBuf := refDecode(f.Settings(), chunks)
		if !slices.Equal(got, want) || gotBuf != wantBuf {
			t.Fatalf("%v simple=%v chunks %q:\n got %v buffered %q\nwant %v buffered %q",
				props, f.Settings().Simple, chunks, got, gotBuf, want, wantBuf)
		}
	}
}

// TestSingleByteDelimitersIgnoreChunking checks that with one-byte
// delimiters the frames do not depend on how the stream was cut into reads.
func TestSingleByteDelimitersIgnoreChunking(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	f := mustFramer(t, map[string]string{"channel.tcp.frame.maxLength": "5"})
	for iter := 0; iter < 2000; iter++ {
		input := make([]byte, rng.IntN(80))
		for i := range input {
			input[i] = "ab \n\x00"[rng.IntN(5)]
		}
		whole, wholeBuf := decodeAll(t, f, [][]byte{input}, true)
		var chunks [][]byte
		for rest := input; len(rest) > 0; {
			n := min(1+rng.IntN(6), len(rest))
			chunks = append(chunks, rest[:n])
			rest = rest[n:]
		}
		parts, partsBuf := decodeAll(t, f, chunks, true)
		if !sameData(whole, parts) || wholeBuf != partsBuf {
			t.Fatalf("%q: whole %v, chunked %v", input, whole, parts)
		}
	}
}

func sameData(a, b []frame) bool {
	return slices.EqualFunc(a, b, func(x, y frame) bool { return x.data == y.data })
}

// TestLongLineInTinyChunks feeds a long line one byte at a time: the
// decoder must not rescan what it has already searched.
func TestLongLineInTinyChunks(t *testing.T) {
	f := mustFramer(t, map[string]string{"channel.tcp.frame.maxLength": "100000", "channel.tcp.frame.delimeters": `\r\n`})
	d := f.NewDecoder()
	line := append(bytes.Repeat([]byte("x\r"), 40000), "\r\n"...)
	var got [][]byte
	start := time.Now()
	for i := range line {
		if err := d.Feed(line[i:i+1], func(b []byte) { got = append(got, append([]byte(nil), b...)) }); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 1 || len(got[0]) != 80000 {
		t.Fatalf("got %d frames", len(got))
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %v", el)
	}
}

func TestFeedAllocatesNothingPerFrame(t *testing.T) {
	f := mustFramer(t, nil)
	d := f.NewDecoder()
	data := bytes.Repeat([]byte("<13>Feb  5 17:32:18 10.0.0.99 some message text\n"), 100)
	chunk1, chunk2 := data[:2000], data[2000:]
	var n int
	emit := func([]byte) { n++ }
	allocs := testing.AllocsPerRun(100, func() {
		_ = d.Feed(chunk1, emit)
		_ = d.Feed(chunk2, emit)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run", allocs)
	}
	if n == 0 {
		t.Error("no frames")
	}
}

func TestUnescapeJavaGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/unescape-java.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	n := 0
	for sc.Scan() {
		var c struct {
			In    string    `json:"in"`
			Units *[]uint16 `json:"units"`
			B64   string    `json:"b64"`
			Error *string   `json:"error"`
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		n++
		units, err := UnescapeJava(c.In)
		b, berr := UnescapeJavaBytes(c.In)
		if c.Error != nil {
			if err == nil || err.Error() != *c.Error || sluice.ErrorClass(err) != "IllegalArgumentException" || berr == nil {
				t.Errorf("%q: got %v (%v), want IllegalArgumentException %q", c.In, units, err, *c.Error)
			}
			continue
		}
		if err != nil || berr != nil {
			t.Errorf("%q: %v", c.In, err)
			continue
		}
		if !slices.Equal(units, *c.Units) {
			t.Errorf("%q: units %v, want %v", c.In, units, *c.Units)
		}
		if got := base64.StdEncoding.EncodeToString(b); got != c.B64 {
			t.Errorf("%q: bytes %q, want %s", c.In, b, c.B64)
		}
	}
	if n < 100 {
		t.Fatalf("only %d cases", n)
	}
}

func TestJavaWhitespaceGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/java-whitespace.txt")
	if err != nil {
		t.Fatal(err)
	}
	ws := map[rune]bool{}
	for _, f := range strings.Fields(string(data)) {
		v, err := strconv.ParseUint(f, 16, 32)
		if err != nil {
			t.Fatal(err)
		}
		ws[rune(v)] = true
	}
	for r := rune(0); r <= 0x10FFFF; r++ {
		if isJavaWhitespace(r) != ws[r] {
			t.Errorf("U+%04X: got %v, Java %v", r, !ws[r], ws[r])
		}
	}
}

func TestRecordValue(t *testing.T) {
	cases := []struct {
		in     string
		value  string
		record bool
	}{
		{"", "", false},
		{" \t\r", " \t\r", false},
		{"\u3000\u2028", "\u3000\u2028", false},
		{"\u00a0", "\u00a0", true},
		{"\u0085", "\u0085", true},
		{"\x00", "\x00", true},
		{"a\xffb", "a\uFFFDb", true},
		{" x ", " x ", true},
	}
	for _, c := range cases {
		v, ok := RecordValue([]byte(c.in))
		if v != c.value || ok != c.record {
			t.Errorf("%q: got %q %v, want %q %v", c.in, v, ok, c.value, c.record)
		}
	}
}

// FuzzFrameDecoder feeds random input in random chunks: the decoder must
// agree with the reference model, give the frames of a single read when the
// delimiters are one byte long, and deliver exactly the buffered rest at close.
func FuzzFrameDecoder(f *testing.F) {
	f.Add([]byte("a\nb\x00c\r\nd"), []byte{1, 3, 0, 2}, uint16(4), "", "", true, false)
	f.Add([]byte("oneENDtwoEN"), []byte{5, 1, 1}, uint16(8), "END", "", true, false)
	f.Add([]byte("a\r\nb\r\n\r"), []byte{2}, uint16(3), `\r`, `\r\n`, false, false)
	f.Add([]byte("abcdefgh\n"), []byte{9}, uint16(4), `\n`, "", true, true)
	f.Fuzz(func(t *testing.T, data, cuts []byte, maxLen uint16, d1, d2 string, strip, simple bool) {
		var s FramingSettings
		for _, d := range []string{d1, d2} {
			if len(d) > 4 {
				d = d[:4]
			}
			if b, err := UnescapeJavaBytes(d); err == nil && len(b) > 0 {
				s.Delimiters = append(s.Delimiters, b)
			}
		}
		if len(s.Delimiters) == 0 {
			s.Delimiters = [][]byte{{0}, {'\n'}}
		}
		s.MaxLength = 1 + int(maxLen%64)
		s.StripDelimiter = strip
		if simple {
			s.Simple = true
			s.Delimiters = s.Delimiters[:1]
			s.Delimiters[0] = s.Delimiters[0][:1]
			s.MaxLength = int(maxLen%64) - 1
		}
		fr := newFramer(s)
		var chunks [][]byte
		rest := data
		for i := 0; len(rest) > 0; i++ {
			n := len(rest)
			if i < len(cuts) {
				n = min(int(cuts[i]%24), len(rest))
			}
			chunks = append(chunks, rest[:n])
			rest = rest[n:]
		}
		got, gotBuf := decodeAll(t, fr, chunks, true)
		want, wantBuf := refDecode(s, chunks)
		if wantBuf != "" {
			want = append(want, frame{wantBuf, -1})
		}
		if !slices.Equal(got, want) || gotBuf != wantBuf {
			t.Fatalf("chunks %q:\n got %v buffered %q\nwant %v buffered %q", chunks, got, gotBuf, want, wantBuf)
		}
		if fr.maxDelim == 1 {
			whole, wholeBuf := decodeAll(t, fr, [][]byte{data}, true)
			if !sameData(whole, got) || wholeBuf != gotBuf {
				t.Fatalf("chunking changed the frames: whole %v, chunked %v", whole, got)
			}
		}
		var total int
		for _, g := range got {
			total += len(g.data)
		}
		if total > len(data) {
			t.Fatalf("%d frame bytes from %d input bytes", total, len(data))
		}
	})
}

// FuzzUnescapeJava checks that any configuration text is decoded without a
// panic, that text without a backslash is unchanged, and that the bytes are
// the UTF-8 form of the units.
func FuzzUnescapeJava(f *testing.F) {
	for _, s := range []string{`\0`, `\n,\r\n`, `\u00e9`, `\uuu+0041`, `\400`, `\`, `\uD83D\uDE00`, `\u-123`, "é\\é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		units, err := UnescapeJava(s)
		b, berr := UnescapeJavaBytes(s)
		if (err == nil) != (berr == nil) {
			t.Fatalf("%q: %v vs %v", s, err, berr)
		}
		if err != nil {
			if sluice.ErrorClass(err) != "IllegalArgumentException" || !strings.Contains(s, `\u`) {
				t.Fatalf("%q: unexpected error %v", s, err)
			}
			return
		}
		if !strings.Contains(s, `\`) && !slices.Equal(units, utf16.Encode([]rune(s))) {
			t.Fatalf("%q changed to %v", s, units)
		}
		if len(units) > len(utf16.Encode([]rune(s))) {
			t.Fatalf("%q grew to %v", s, units)
		}
		if !strings.ContainsRune(string(b), '?') && string(b) != string(utf16.Decode(units)) {
			t.Fatalf("%q: bytes %q, units %v", s, b, units)
		}
	})
}
