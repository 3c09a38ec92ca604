// Package framevec runs TCP framing vectors: a network source's framing
// configuration, the chunks one TCP connection delivered (one read each) and
// whether the peer closed, with the frames, records and left-over bytes the
// Java connector produced, or its configuration error. Importing the package
// registers the kind with the conformance runner; vectors are detected by
// their "chunks" field.
//
// Java drops the bytes still buffered when the peer closes; Sluice delivers
// them as one more frame. The kind expects that frame (and its record, when
// it is not blank) after the vector's own frames.
package framevec

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"sluice.io/sluice"
	"sluice.io/sluice/conformance"
	"sluice.io/sluice/connectors/netsource"
)

func init() {
	conformance.Register(conformance.Kind{
		Name:     "framing",
		Priority: 20,
		Detect: func(fields map[string]json.RawMessage) bool {
			return conformance.Has(fields, "chunks")
		},
		Run: Run,
	})
}

// Vector is one framing vector.
type Vector struct {
	ID      string            `json:"id"`
	Config  map[string]string `json:"config"`
	Decoder string            `json:"decoder"`
	Chunks  []string          `json:"chunks"`
	Close   bool              `json:"close"`
	// Effective settings (default framer only).
	Delimiters     []string `json:"delimiters"`
	MaxLength      *int     `json:"maxLength"`
	StripDelimiter *bool    `json:"stripDelimiter"`
	Expect         struct {
		Frames   []Frame  `json:"frames"`
		Records  []string `json:"records"`
		Buffered *string  `json:"buffered"`
		Error    *struct {
			Stage   string `json:"stage"`
			Class   string `json:"class"`
			Message string `json:"message"`
		} `json:"error"`
	} `json:"expect"`
}

// Frame is one expected frame.
type Frame struct {
	B64   string          `json:"b64"`
	Text  string          `json:"text"`
	Blank bool            `json:"blank"`
	At    json.RawMessage `json:"at"` // chunk index, or "close"
}

// closeAt marks a frame delivered when the peer closed.
const closeAt = -1

type gotFrame struct {
	data []byte
	at   int
}

// Run runs one vector line and reports the first difference.
func Run(line []byte) error {
	var v Vector
	if err := json.Unmarshal(line, &v); err != nil {
		return fmt.Errorf("decoding framing vector: %w", err)
	}
	var framer *netsource.Framer
	var err error
	switch v.Decoder {
	case "", "default":
		framer, err = netsource.NewFramer(v.Config)
	case "simple":
		framer, err = netsource.NewSimpleFramer(v.Config)
	default:
		return fmt.Errorf("unknown decoder %q", v.Decoder)
	}
	if e := v.Expect.Error; e != nil {
		return checkError(e.Stage, e.Class, e.Message, err)
	}
	if err != nil {
		return fmt.Errorf("expected success, got config error (%s): %v", sluice.ErrorClass(err), err)
	}
	if err := checkSettings(&v, framer.Settings()); err != nil {
		return err
	}

	chunks := make([][]byte, len(v.Chunks))
	for i, c := range v.Chunks {
		if chunks[i], err = base64.StdEncoding.DecodeString(c); err != nil {
			return fmt.Errorf("chunk %d: %w", i, err)
		}
	}
	var got []gotFrame
	dec := framer.NewDecoder()
	for i, c := range chunks {
		at := i
		if err := dec.Feed(c, func(f []byte) { got = append(got, gotFrame{append([]byte(nil), f...), at}) }); err != nil {
			return fmt.Errorf("chunk %d: %w", i, err)
		}
	}
	var buffered []byte
	if v.Expect.Buffered != nil {
		if buffered, err = base64.StdEncoding.DecodeString(*v.Expect.Buffered); err != nil {
			return fmt.Errorf("expected buffered: %w", err)
		}
		if b := dec.Buffered(); !bytes.Equal(b, buffered) {
			return fmt.Errorf("buffered after the last chunk: expected %q, got %q", buffered, b)
		}
	}
	if v.Close {
		dec.Close(func(f []byte) { got = append(got, gotFrame{append([]byte(nil), f...), closeAt}) })
	}

	want, err := expectedFrames(&v, buffered)
	if err != nil {
		return err
	}
	if err := compareFrames(want, got); err != nil {
		return err
	}
	wantRecords := append([]string{}, v.Expect.Records...)
	if v.Close && len(buffered) > 0 {
		if s, ok := netsource.RecordValue(buffered); ok {
			wantRecords = append(wantRecords, s)
		}
	}
	var gotRecords []string
	for _, f := range got {
		if s, ok := netsource.RecordValue(f.data); ok {
			gotRecords = append(gotRecords, s)
		}
	}
	if len(gotRecords) != len(wantRecords) {
		return fmt.Errorf("records: expected %d %q, got %d %q", len(wantRecords), wantRecords, len(gotRecords), gotRecords)
	}
	for i := range wantRecords {
		if gotRecords[i] != wantRecords[i] {
			return fmt.Errorf("record %d: expected %q, got %q", i, wantRecords[i], gotRecords[i])
		}
	}
	return nil
}

// checkError compares an expected configuration error with the outcome. The
// class must be equal for ConfigException and DataException (whose message
// must be Java's too); another Java class is matched by any error.
func checkError(stage, class, message string, err error) error {
	if stage != "config" {
		return fmt.Errorf("unsupported error stage %q", stage)
	}
	if err == nil {
		return fmt.Errorf("expected %s %q at config, got success", class, message)
	}
	got := sluice.ErrorClass(err)
	switch class {
	case "ConfigException":
		var ce *sluice.ConfigError
		if !errors.As(err, &ce) {
			return fmt.Errorf("expected ConfigException %q, got %s: %v", message, got, err)
		}
		if ce.Error() != message {
			return fmt.Errorf("expected ConfigException %q, got %q", message, ce.Error())
		}
	case "DataException":
		if got != class {
			return fmt.Errorf("expected DataException %q, got %s: %v", message, got, err)
		}
	}
	return nil
}

func checkSettings(v *Vector, s netsource.FramingSettings) error {
	if v.Delimiters != nil {
		if len(v.Delimiters) != len(s.Delimiters) {
			return fmt.Errorf("delimiters: expected %d, got %q", len(v.Delimiters), s.Delimiters)
		}
		for i, d := range v.Delimiters {
			b, err := base64.StdEncoding.DecodeString(d)
			if err != nil {
				return fmt.Errorf("delimiter %d: %w", i, err)
			}
			if !bytes.Equal(b, s.Delimiters[i]) {
				return fmt.Errorf("delimiter %d: expected %q, got %q", i, b, s.Delimiters[i])
			}
		}
	}
	if v.MaxLength != nil && *v.MaxLength != s.MaxLength {
		return fmt.Errorf("maxLength: expected %d, got %d", *v.MaxLength, s.MaxLength)
	}
	if v.StripDelimiter != nil && *v.StripDelimiter != s.StripDelimiter {
		return fmt.Errorf("stripDelimiter: expected %v, got %v", *v.StripDelimiter, s.StripDelimiter)
	}
	return nil
}

type wantFrame struct {
	data  []byte
	text  string
	blank bool
	at    int
}

// expectedFrames returns the vector's frames followed, when the peer closed
// with bytes still buffered, by the frame Sluice delivers for them.
func expectedFrames(v *Vector, buffered []byte) ([]wantFrame, error) {
	var out []wantFrame
	for i, f := range v.Expect.Frames {
		b, err := base64.StdEncoding.DecodeString(f.B64)
		if err != nil {
			return nil, fmt.Errorf("expected frame %d: %w", i, err)
		}
		at, err := parseAt(f.At)
		if err != nil {
			return nil, fmt.Errorf("expected frame %d: %w", i, err)
		}
		out = append(out, wantFrame{b, f.Text, f.Blank, at})
	}
	if v.Close && len(buffered) > 0 {
		s := netsource.FrameText(buffered)
		out = append(out, wantFrame{buffered, s, netsource.IsBlank(s), closeAt})
	}
	return out, nil
}

func parseAt(raw json.RawMessage) (int, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if s == "close" {
			return closeAt, nil
		}
		return 0, fmt.Errorf("bad at %q", s)
	}
	var n int
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, fmt.Errorf("bad at %s", raw)
	}
	return n, nil
}

func showAt(at int) string {
	if at == closeAt {
		return "close"
	}
	return strconv.Itoa(at)
}

func compareFrames(want []wantFrame, got []gotFrame) error {
	for i := 0; i < len(want) || i < len(got); i++ {
		switch {
		case i >= len(got):
			return fmt.Errorf("frame %d: expected %q at %s, got no more frames (%d in all)", i, want[i].data, showAt(want[i].at), len(got))
		case i >= len(want):
			return fmt.Errorf("frame %d: expected no more frames (%d in all), got %q at %s", i, len(want), got[i].data, showAt(got[i].at))
		}
		w, g := want[i], got[i]
		if !bytes.Equal(w.data, g.data) {
			return fmt.Errorf("frame %d: expected %q, got %q", i, w.data, g.data)
		}
		if w.at != g.at {
			return fmt.Errorf("frame %d (%q): expected at chunk %s, got %s", i, w.data, showAt(w.at), showAt(g.at))
		}
		text := netsource.FrameText(g.data)
		if text != w.text {
			return fmt.Errorf("frame %d text: expected %q, got %q", i, w.text, text)
		}
		if blank := netsource.IsBlank(text); blank != w.blank {
			return fmt.Errorf("frame %d (%q) blank: expected %v, got %v", i, text, w.blank, blank)
		}
	}
	return nil
}
