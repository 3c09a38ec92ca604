package offsets

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"sluice.io/sluice"
	"sluice.io/sluice/converters/json"
)

// FileStore is the standalone worker's offset store: an in-memory map of
// serialized keys to serialized offsets, written whole to its file on
// Flush, in the format Java's FileOffsetBackingStore uses.
type FileStore struct {
	path string
	conv *json.Converter

	mu    sync.Mutex
	data  map[string][]byte // key bytes → value bytes (nil = deleted)
	dirty bool
}

// Open loads the store from path. A missing file, or one that ends
// prematurely, gives an empty store, as in Java Connect (the second case is
// reported through the returned warning); any other read error fails.
func Open(path string) (s *FileStore, warning error, err error) {
	s = &FileStore{path: path, data: map[string][]byte{}}
	conv := json.New()
	if err := conv.Configure(map[string]string{json.SchemasEnableConfig: "false"}, false); err != nil {
		return nil, nil, fmt.Errorf("configuring the offsets converter: %w", err)
	}
	s.conv = conv
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading offsets file %s: %w", path, err)
	}
	entries, err := ReadHashMap(raw)
	if errors.Is(err, ErrTruncated) {
		return s, fmt.Errorf("offsets file %s ends prematurely; starting with no stored offsets", path), nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading offsets file %s: %w", path, err)
	}
	for _, e := range entries {
		s.data[string(e.Key)] = e.Value
	}
	return s, nil, nil
}

// Path returns the file the store writes.
func (s *FileStore) Path() string { return s.path }

// Key returns the serialized key of a connector's source partition:
// ["<connector>",{partition}] in schemaless JSON, map members in Java
// HashMap order.
func (s *FileStore) Key(connector string, partition map[string]any) ([]byte, error) {
	m, err := toJavaMap(partition)
	if err != nil {
		return nil, err
	}
	return s.conv.FromConnect("", nil, nil, []any{connector, m})
}

// Value returns the serialized form of an offset map (nil for nil).
func (s *FileStore) Value(offset map[string]any) ([]byte, error) {
	if offset == nil {
		return nil, nil
	}
	m, err := toJavaMap(offset)
	if err != nil {
		return nil, err
	}
	return s.conv.FromConnect("", nil, nil, m)
}

// toJavaMap validates an offset or partition map as Connect's OffsetUtils
// does and converts it to a HashMap-ordered map of Connect values.
func toJavaMap(in map[string]any) (*sluice.Map, error) {
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	m := sluice.NewMap(len(in), true)
	for _, k := range keys {
		var v any
		switch x := in[k].(type) {
		case nil, string, bool, int8, int16, int32, int64, float32, float64, []byte:
			v = x
		case int:
			v = int64(x)
		case uint32:
			v = int64(x)
		case uint16:
			v = int32(x)
		case uint8:
			v = int16(x)
		case uint:
			if uint64(x) > math.MaxInt64 {
				return nil, sluice.NewDataError("Offsets may only contain primitive types as values, but field %s contains uint", k)
			}
			v = int64(x)
		default:
			return nil, sluice.NewDataError("Offsets may only contain primitive types as values, but field %s contains %T", k, x)
		}
		m.Put(k, v)
	}
	return m, nil
}

// Offset returns the stored offset of a connector's source partition, nil
// when none is stored.
func (s *FileStore) Offset(connector string, partition map[string]any) (map[string]any, error) {
	key, err := s.Key(connector, partition)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	val := s.data[string(key)]
	s.mu.Unlock()
	if val == nil {
		return nil, nil
	}
	_, v, err := s.conv.ToConnect("", nil, val)
	if err != nil {
		return nil, fmt.Errorf("decoding stored offset %s: %w", val, err)
	}
	jm, ok := v.(*sluice.Map)
	if !ok {
		if v == nil {
			return nil, nil
		}
		return nil, fmt.Errorf("stored offset %s is not a JSON object", val)
	}
	out := make(map[string]any, jm.Len())
	for _, e := range jm.Entries {
		k, ok := e.Key.(string)
		if !ok {
			return nil, fmt.Errorf("stored offset %s has a non-string key", val)
		}
		out[k] = e.Value
	}
	return out, nil
}

// Put records a connector's offset for a source partition (nil deletes
// it). It is written to the file by the next Flush.
func (s *FileStore) Put(connector string, partition, offset map[string]any) error {
	key, err := s.Key(connector, partition)
	if err != nil {
		return err
	}
	val, err := s.Value(offset)
	if err != nil {
		return err
	}
	s.PutRaw(key, val)
	return nil
}

// PutRaw records serialized key and value bytes.
func (s *FileStore) PutRaw(key, value []byte) {
	s.mu.Lock()
	if old, ok := s.data[string(key)]; !ok || !bytes.Equal(old, value) || (old == nil) != (value == nil) {
		s.data[string(key)] = value
		s.dirty = true
	}
	s.mu.Unlock()
}

// Entries returns a copy of the stored entries sorted by key.
func (s *FileStore) Entries() []Entry {
	s.mu.Lock()
	out := make([]Entry, 0, len(s.data))
	for k, v := range s.data {
		out = append(out, Entry{Key: []byte(k), Value: v})
	}
	s.mu.Unlock()
	SortEntries(out)
	return out
}

// Flush writes the whole store to its file when something changed since
// the last flush. The file is replaced atomically (written beside it, then
// renamed).
func (s *FileStore) Flush() error {
	s.mu.Lock()
	if !s.dirty {
		s.mu.Unlock()
		return nil
	}
	entries := make([]Entry, 0, len(s.data))
	for k, v := range s.data {
		entries = append(entries, Entry{Key: []byte(k), Value: v})
	}
	s.dirty = false
	s.mu.Unlock()
	SortEntries(entries)
	if err := writeFileAtomic(s.path, entries); err != nil {
		s.mu.Lock()
		s.dirty = true
		s.mu.Unlock()
		return err
	}
	return nil
}

func writeFileAtomic(path string, entries []Entry) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("writing offsets file %s: %w", path, err)
	}
	tmp := f.Name()
	var buf bytes.Buffer
	if err := WriteHashMap(&buf, entries); err == nil {
		_, err = f.Write(buf.Bytes())
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp, path)
		}
		if err == nil {
			return nil
		}
		os.Remove(tmp)
		return fmt.Errorf("writing offsets file %s: %w", path, err)
	} else {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("writing offsets file %s: %w", path, err)
	}
}

// Reader returns the offsets of one connector as a sluice.OffsetReader.
func (s *FileStore) Reader(connector string) sluice.OffsetReader {
	return connReader{s, connector}
}

type connReader struct {
	s    *FileStore
	name string
}

// Offset implements sluice.OffsetReader.
func (r connReader) Offset(partition map[string]any) (map[string]any, error) {
	return r.s.Offset(r.name, partition)
}
