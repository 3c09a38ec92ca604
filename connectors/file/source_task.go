package file

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"time"
	"unicode/utf8"

	"sluice.io/sluice"
)

const (
	// retryWait is how long the task waits for a missing file to appear, or
	// for new data when there is none, before returning from Poll.
	retryWait = time.Second
	// readChunk is the minimum free buffer space for one read.
	readChunk = 64 << 10
)

// SourceTask is FileStreamSourceTask: it reads lines from a file or from
// standard input.
type SourceTask struct {
	topic     string
	batchSize int
	filename  string // "" → standard input
	partition map[string]any
	offsets   sluice.OffsetReader
	logger    *slog.Logger

	// Hooks, set before Start (tests use them).
	stdin io.Reader     // default os.Stdin
	wait  time.Duration // default retryWait

	mu      sync.Mutex // held by Poll; Stop waits for it
	f       *os.File
	chunks  chan []byte // standard input, filled by a reader goroutine
	inErr   error       // standard input's read error, valid once chunks is closed
	atEOF   bool        // standard input is exhausted
	buf     []byte      // buf[r:] holds unread input
	r       int
	pos     int64 // bytes consumed; the next record's offset base
	spans   []span
	tracked bool // whether offsets are tracked (a file, not stdin)
	stopped bool

	stop     chan struct{}
	stopOnce sync.Once
}

var _ sluice.SourceTask = (*SourceTask)(nil)

// Start reads the configuration. Standard input is attached now; a file is
// opened by the first Poll, which also skips to the stored offset.
func (t *SourceTask) Start(ctx context.Context, cfg map[string]string, offsets sluice.OffsetReader) error {
	pc, err := SourceConfigDef().Parse(cfg)
	if err != nil {
		return fmt.Errorf("FileStreamSourceTask: %w", err)
	}
	t.topic = pc.String(TopicConfig)
	t.batchSize = int(pc.Int(BatchSizeConfig))
	var fn any
	if p := pc.StringOrNil(FileConfig); p != nil {
		t.filename, fn = *p, *p
	}
	t.partition = map[string]any{FilenameField: fn}
	t.offsets = offsets
	if t.wait <= 0 {
		t.wait = retryWait
	}
	t.stop = make(chan struct{})
	t.logger = slog.Default().With("connector", "FileStreamSource", "file", t.logName())
	t.buf = make([]byte, 0, readChunk)
	if t.filename == "" {
		in := t.stdin
		if in == nil {
			in = os.Stdin
		}
		t.chunks = make(chan []byte, 4)
		go t.readStdin(in)
	}
	return nil
}

func (t *SourceTask) logName() string {
	if t.filename == "" {
		return "stdin"
	}
	return t.filename
}

// readStdin copies standard input into chunks until end of input, an error
// or Stop.
func (t *SourceTask) readStdin(in io.Reader) {
	defer close(t.chunks)
	for {
		b := make([]byte, readChunk)
		n, err := in.Read(b)
		if n > 0 {
			select {
			case t.chunks <- b[:n]:
			case <-t.stop:
				return
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				t.inErr = err
			}
			return
		}
	}
}

// Poll returns the lines read since the last call, at most batch.size of
// them. With nothing to return it waits up to a second (less when standard
// input delivers data, ctx ends or the task stops) and returns nil.
func (t *SourceTask) Poll(ctx context.Context) ([]*sluice.Record, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return nil, nil
	}
	if t.filename != "" && t.f == nil {
		ok, err := t.open(ctx)
		if err != nil || !ok {
			return nil, err
		}
	}
	var records []*sluice.Record
	for {
		records = t.extract(records)
		if len(records) >= t.batchSize {
			return records, nil
		}
		got, err := t.read()
		if err != nil {
			return records, err
		}
		if got {
			continue
		}
		if len(records) > 0 {
			return records, nil
		}
		if !t.idle(ctx) {
			return nil, nil
		}
	}
}

// extract appends to records the complete lines in buf, up to batch.size
// records in all. The values of one call share a single string allocation
// when the bytes are valid UTF-8.
func (t *SourceTask) extract(records []*sluice.Record) []*sluice.Record {
	base := t.r
	t.spans = t.spans[:0]
	for len(records)+len(t.spans) < t.batchSize {
		line, adv := nextLine(t.buf[t.r:], t.atEOF)
		if adv == 0 {
			break
		}
		start := t.r - base
		t.r += adv
		t.spans = append(t.spans, span{start, start + len(line), t.r - base})
	}
	if len(t.spans) == 0 {
		return records
	}
	region := t.buf[base:t.r]
	var text string
	valid := utf8.Valid(region)
	if valid {
		text = string(region)
	}
	now := time.Now().UnixMilli()
	block := make([]sluice.Record, len(t.spans))
	for i, sp := range t.spans {
		var value string
		if valid {
			value = text[sp.start:sp.end]
		} else {
			value = sluice.DecodeUTF8Java(region[sp.start:sp.end])
		}
		var pos any
		if t.tracked {
			pos = t.pos + int64(sp.next)
		}
		block[i] = sluice.Record{
			Topic:           t.topic,
			ValueSchema:     sluice.StringSchema,
			Value:           value,
			Timestamp:       now,
			HasTimestamp:    true,
			SourcePartition: t.partition,
			SourceOffset:    map[string]any{PositionField: pos},
		}
		records = append(records, &block[i])
	}
	t.pos += int64(len(region))
	return records
}

// span locates one line in the region extract consumed: its text is
// [start, end), and the next line starts at next.
type span struct{ start, end, next int }

// open opens the file and skips to the stored position. It reports false
// when the file does not exist yet (after waiting for it).
func (t *SourceTask) open(ctx context.Context) (bool, error) {
	f, err := os.Open(t.filename)
	if errors.Is(err, fs.ErrNotExist) {
		t.logger.Warn("Couldn't find file for FileStreamSourceTask, sleeping to wait for it to be created")
		t.sleep(ctx)
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("FileStreamSourceTask: open %s: %w", t.filename, err)
	}
	var stored any
	if t.offsets != nil {
		off, err := t.offsets.Offset(t.partition)
		if err != nil {
			f.Close()
			return false, fmt.Errorf("FileStreamSourceTask: read stored offset of %s: %w", t.filename, err)
		}
		stored = off[PositionField]
	}
	var pos int64
	switch p := stored.(type) {
	case nil:
	case int64:
		pos = p
	case int:
		pos = int64(p)
	default:
		f.Close()
		return false, sluice.NewJavaError("ConnectException", "Offset position is the incorrect type")
	}
	if pos > 0 {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() < pos {
			t.logger.Warn("stored position is beyond the end of the file; waiting for the file to reach it",
				"position", pos, "size", fi.Size())
		}
		if _, err := f.Seek(pos, io.SeekStart); err != nil {
			// Not seekable (a pipe): skip by reading, as a stream would.
			if _, err := io.CopyN(io.Discard, f, pos); err != nil && !errors.Is(err, io.EOF) {
				f.Close()
				return false, fmt.Errorf("FileStreamSourceTask: skip to position %d of %s: %w", pos, t.filename, err)
			}
		}
		t.logger.Debug("skipped to stored position", "position", pos)
	}
	t.f, t.pos, t.tracked = f, pos, true
	return true, nil
}

// read appends available input to buf. It reports whether anything changed
// (data arrived, or standard input ended) without blocking for more.
func (t *SourceTask) read() (bool, error) {
	if t.r > 0 && (t.r == len(t.buf) || cap(t.buf)-len(t.buf) < readChunk) {
		n := copy(t.buf, t.buf[t.r:])
		t.buf, t.r = t.buf[:n], 0
	}
	if t.f == nil {
		select {
		case c, ok := <-t.chunks:
			return t.take(c, ok)
		default:
			return false, nil
		}
	}
	if cap(t.buf)-len(t.buf) < readChunk {
		t.buf = append(t.buf, make([]byte, readChunk)...)[:len(t.buf)]
	}
	n, err := t.f.Read(t.buf[len(t.buf):cap(t.buf)])
	t.buf = t.buf[:len(t.buf)+n]
	if err != nil && !errors.Is(err, io.EOF) {
		return n > 0, fmt.Errorf("FileStreamSourceTask: read %s: %w", t.filename, err)
	}
	return n > 0, nil
}

// take handles one receive from the standard input channel.
func (t *SourceTask) take(c []byte, ok bool) (bool, error) {
	if !ok {
		if t.atEOF {
			return false, nil
		}
		t.atEOF = true
		if t.inErr != nil {
			return true, fmt.Errorf("FileStreamSourceTask: read stdin: %w", t.inErr)
		}
		return true, nil
	}
	t.buf = append(t.buf, c...)
	return true, nil
}

// idle waits for input. For standard input it returns true as soon as data
// arrives; otherwise it waits out the retry interval (or until ctx ends or
// the task stops) and returns false.
func (t *SourceTask) idle(ctx context.Context) bool {
	if t.f == nil && !t.atEOF {
		timer := time.NewTimer(t.wait)
		defer timer.Stop()
		select {
		case c, ok := <-t.chunks:
			got, _ := t.take(c, ok)
			return got
		case <-timer.C:
		case <-ctx.Done():
		case <-t.stop:
		}
		return false
	}
	t.sleep(ctx)
	return false
}

// sleep waits for the retry interval, ctx or Stop.
func (t *SourceTask) sleep(ctx context.Context) {
	timer := time.NewTimer(t.wait)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
	case <-t.stop:
	}
}

// Commit does nothing: positions travel in the records' offsets.
func (t *SourceTask) Commit(context.Context, []*sluice.Record) error { return nil }

// Stop wakes a waiting Poll and closes the file. Standard input is left
// open.
func (t *SourceTask) Stop() error {
	if t.stop == nil {
		return nil
	}
	t.stopOnce.Do(func() { close(t.stop) })
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stopped = true
	if t.f != nil {
		err := t.f.Close()
		t.f = nil
		if err != nil {
			return fmt.Errorf("FileStreamSourceTask: close %s: %w", t.filename, err)
		}
	}
	return nil
}
