package file

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"sync"

	"sluice.io/sluice"
)

// SinkConfigDef returns FileStreamSinkConnector's configuration.
func SinkConfigDef() *sluice.ConfigDef {
	return sluice.NewConfigDef().
		Define(sluice.ConfigKey{Name: FileConfig, Type: sluice.TypeString, Default: nil, Importance: sluice.High,
			Doc: "Destination filename. If not specified, the standard output will be used"})
}

// SinkConnector is FileStreamSinkConnector.
type SinkConnector struct {
	props map[string]string
}

var (
	_ sluice.Connector    = (*SinkConnector)(nil)
	_ sluice.Configurable = (*SinkConnector)(nil)
)

// ConfigDef returns the connector's configuration definition.
func (c *SinkConnector) ConfigDef() *sluice.ConfigDef { return SinkConfigDef() }

// Configure validates the connector properties.
func (c *SinkConnector) Configure(cfg map[string]string) error {
	pc, err := SinkConfigDef().Parse(cfg)
	if err != nil {
		return err
	}
	name := pc.String(FileConfig)
	if name == "" {
		name = "standard output"
	}
	slog.Info("Starting file sink connector", "file", name)
	c.props = maps.Clone(cfg)
	return nil
}

// TaskConfigs returns maxTasks identical task configurations.
func (c *SinkConnector) TaskConfigs(maxTasks int) ([]map[string]string, error) {
	out := make([]map[string]string, 0, max(maxTasks, 0))
	for range maxTasks {
		out = append(out, maps.Clone(c.props))
	}
	return out, nil
}

// NewTask returns an unstarted *SinkTask.
func (c *SinkConnector) NewTask() any { return &SinkTask{} }

// SinkTask is FileStreamSinkTask: it appends each record's value, in Java's
// String.valueOf form, and a line separator to a file or standard output.
type SinkTask struct {
	stdout io.Writer // hook for tests; default os.Stdout

	mu       sync.Mutex
	filename string
	f        *os.File // nil when writing to standard output
	w        *bufio.Writer
	toStdout bool
}

var _ sluice.SinkTask = (*SinkTask)(nil)

// Start opens the file in create+append mode, or attaches standard output
// when file is unset or empty.
func (t *SinkTask) Start(_ context.Context, cfg map[string]string) error {
	pc, err := SinkConfigDef().Parse(cfg)
	if err != nil {
		return fmt.Errorf("FileStreamSinkTask: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.filename = pc.String(FileConfig)
	if t.filename == "" {
		out := t.stdout
		if out == nil {
			out = os.Stdout
		}
		t.w, t.toStdout = bufio.NewWriter(out), true
		return nil
	}
	f, err := os.OpenFile(t.filename, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o666)
	if err != nil {
		return &sluice.JavaError{Class: "ConnectException",
			Msg: fmt.Sprintf("Couldn't find or create file '%s' for FileStreamSinkTask: %v", t.filename, err)}
	}
	t.f, t.w = f, bufio.NewWriterSize(f, 64<<10)
	return nil
}

// Put writes one line per record. Output to standard output is flushed at
// the end of each call; a file is flushed by Flush and Stop.
func (t *SinkTask) Put(_ context.Context, rs []*sluice.Record) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.w == nil {
		return fmt.Errorf("FileStreamSinkTask: put on a task that is not started")
	}
	for _, r := range rs {
		t.w.WriteString(sluice.JavaToString(r.Value))
		t.w.WriteString(lineSeparator)
	}
	if t.toStdout {
		return t.flushLocked()
	}
	// bufio.Writer keeps the first write error; report it now.
	if _, err := t.w.Write(nil); err != nil {
		return fmt.Errorf("FileStreamSinkTask: write %s: %w", t.logName(), err)
	}
	return nil
}

// Flush writes buffered lines to the file (no fsync, as Java).
func (t *SinkTask) Flush(context.Context) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.flushLocked()
}

func (t *SinkTask) flushLocked() error {
	if t.w == nil {
		return nil
	}
	if err := t.w.Flush(); err != nil {
		return fmt.Errorf("FileStreamSinkTask: write %s: %w", t.logName(), err)
	}
	return nil
}

func (t *SinkTask) logName() string {
	if t.toStdout {
		return "stdout"
	}
	return t.filename
}

// Stop flushes and closes the file; standard output stays open.
func (t *SinkTask) Stop() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	err := t.flushLocked()
	if t.f != nil {
		if cerr := t.f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("FileStreamSinkTask: close %s: %w", t.filename, cerr)
		}
		t.f = nil
	}
	t.w = nil
	return err
}
