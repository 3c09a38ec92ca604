package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/twmb/franz-go/pkg/kgo"
)

// consumeOptions are the options of `sluice consume`.
type consumeOptions struct {
	topic         string
	fromBeginning bool
	max           int
	bootstrap     string
	timeout       time.Duration
	format        string
}

func runConsume(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return consumeMain(ctx, args, stdout, stderr)
}

// parseConsumeArgs reads the topic and flags; flags may come before or after
// the topic.
func parseConsumeArgs(args []string, stderr io.Writer) (*consumeOptions, error) {
	o := &consumeOptions{}
	fs := newFlags("consume", stderr)
	fs.BoolVar(&o.fromBeginning, "from-beginning", false, "start at the oldest record instead of the end of each partition")
	fs.IntVar(&o.max, "max", 0, "exit after this many records (0: no limit)")
	fs.StringVar(&o.bootstrap, "bootstrap", "127.0.0.1:9092", "comma-separated `host:port` list of brokers")
	fs.DurationVar(&o.timeout, "timeout", 0, "exit after this long without records (0: wait until interrupted)")
	fs.StringVar(&o.format, "format", "text", "output `format`: text (one line per record) or json (one object per line)")
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case len(pos) != 1:
		fs.Usage()
		return nil, fmt.Errorf("expected exactly one TOPIC, got %d arguments", len(pos))
	case pos[0] == "":
		return nil, errors.New("TOPIC must not be empty")
	case o.max < 0:
		return nil, errors.New("-max must not be negative")
	case o.timeout < 0:
		return nil, errors.New("-timeout must not be negative")
	case o.format != "text" && o.format != "json":
		return nil, fmt.Errorf("-format must be text or json, not %q", o.format)
	}
	o.topic = pos[0]
	return o, nil
}

// consumeMain runs `sluice consume` until ctx ends, -max records were
// printed or -timeout passed without records.
func consumeMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseConsumeArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "sluice consume: %v\n", err)
		return 2
	}
	var seeds []string
	for _, s := range strings.Split(o.bootstrap, ",") {
		if s = strings.TrimSpace(s); s != "" {
			seeds = append(seeds, s)
		}
	}
	start := kgo.NewOffset().AtEnd()
	if o.fromBeginning {
		start = kgo.NewOffset().AtStart()
	}
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(seeds...),
		kgo.ConsumeTopics(o.topic),
		kgo.ConsumeResetOffset(start),
		kgo.FetchMaxWait(500*time.Millisecond),
	)
	if err != nil {
		fmt.Fprintf(stderr, "sluice consume: %v\n", err)
		return 2
	}
	defer cl.Close()

	pr := &recordPrinter{w: stdout, json: o.format == "json"}
	n := 0
	last := time.Now()
	reported := map[string]bool{}
	for {
		pctx, cancel := ctx, context.CancelFunc(func() {})
		if o.timeout > 0 {
			pctx, cancel = context.WithDeadline(ctx, last.Add(o.timeout))
		}
		fetches := cl.PollFetches(pctx)
		cancel()
		if ctx.Err() != nil {
			return 0
		}
		fetches.EachError(func(_ string, _ int32, err error) {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return
			}
			if msg := err.Error(); !reported[msg] {
				reported[msg] = true
				fmt.Fprintf(stderr, "sluice consume: %v\n", err)
			}
		})
		for it := fetches.RecordIter(); !it.Done(); {
			if err := pr.print(it.Next()); err != nil {
				fmt.Fprintf(stderr, "sluice consume: write: %v\n", err)
				return 1
			}
			n++
			last = time.Now()
			if o.max > 0 && n >= o.max {
				return 0
			}
		}
		if o.timeout > 0 && !time.Now().Before(last.Add(o.timeout)) {
			return 0
		}
	}
}

// recordPrinter writes consumed records as text lines or JSON objects.
type recordPrinter struct {
	w    io.Writer
	json bool
	buf  []byte
}

func (p *recordPrinter) print(r *kgo.Record) error {
	if p.json {
		return p.printJSON(r)
	}
	b := p.buf[:0]
	b = append(b, "partition="...)
	b = strconv.AppendInt(b, int64(r.Partition), 10)
	b = append(b, " offset="...)
	b = strconv.AppendInt(b, r.Offset, 10)
	b = append(b, " timestamp="...)
	b = r.Timestamp.UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z")
	b = append(b, " key="...)
	b = appendText(b, r.Key)
	b = append(b, " headers=["...)
	for i, h := range r.Headers {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendText(b, []byte(h.Key))
		b = append(b, '=')
		b = appendText(b, h.Value)
	}
	b = append(b, "] value="...)
	b = appendText(b, r.Value)
	b = append(b, '\n')
	p.buf = b
	_, err := p.w.Write(b)
	return err
}

// appendText appends bytes for a one-line display: null for nil, the text
// itself when it is valid UTF-8 without control characters, otherwise a
// double-quoted Go string literal.
func appendText(b, v []byte) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	if len(v) > 0 && plainText(v) {
		return append(b, v...)
	}
	return strconv.AppendQuote(b, string(v))
}

func plainText(v []byte) bool {
	if !utf8.Valid(v) {
		return false
	}
	for _, r := range string(v) {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// jsonRecord is the -format json form of a record. Keys, values and header
// values are JSON strings when they are valid UTF-8; other bytes appear
// base64-encoded under the *_base64 name instead.
type jsonRecord struct {
	Topic       string       `json:"topic"`
	Partition   int32        `json:"partition"`
	Offset      int64        `json:"offset"`
	Timestamp   int64        `json:"timestamp"`
	Key         *string      `json:"key"`
	KeyBase64   *string      `json:"key_base64,omitempty"`
	Headers     []jsonHeader `json:"headers"`
	Value       *string      `json:"value"`
	ValueBase64 *string      `json:"value_base64,omitempty"`
}

type jsonHeader struct {
	Key         string  `json:"key"`
	Value       *string `json:"value"`
	ValueBase64 *string `json:"value_base64,omitempty"`
}

// jsonBytes splits v into its text or base64 form.
func jsonBytes(v []byte) (text, b64 *string) {
	if v == nil {
		return nil, nil
	}
	if utf8.Valid(v) {
		s := string(v)
		return &s, nil
	}
	s := base64.StdEncoding.EncodeToString(v)
	return nil, &s
}

func (p *recordPrinter) printJSON(r *kgo.Record) error {
	jr := jsonRecord{
		Topic:     r.Topic,
		Partition: r.Partition,
		Offset:    r.Offset,
		Timestamp: r.Timestamp.UnixMilli(),
		Headers:   make([]jsonHeader, 0, len(r.Headers)),
	}
	jr.Key, jr.KeyBase64 = jsonBytes(r.Key)
	jr.Value, jr.ValueBase64 = jsonBytes(r.Value)
	for _, h := range r.Headers {
		jh := jsonHeader{Key: h.Key}
		jh.Value, jh.ValueBase64 = jsonBytes(h.Value)
		jr.Headers = append(jr.Headers, jh)
	}
	b, err := json.Marshal(&jr)
	if err != nil {
		return fmt.Errorf("encode record: %w", err)
	}
	_, err = p.w.Write(append(b, '\n'))
	return err
}
