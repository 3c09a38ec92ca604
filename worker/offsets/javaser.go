// Package offsets stores source connector offsets in a file that Java Kafka
// Connect's standalone worker can read and write too: a Java Object
// Serialization stream holding one java.util.HashMap<byte[], byte[]>, keyed
// and valued by the schemaless JSON forms Connect uses.
package offsets

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
)

// Java Object Serialization protocol constants (java.io.ObjectStreamConstants).
const (
	streamMagic   = 0xACED
	streamVersion = 5

	tcNull          = 0x70
	tcReference     = 0x71
	tcClassDesc     = 0x72
	tcObject        = 0x73
	tcString        = 0x74
	tcArray         = 0x75
	tcBlockData     = 0x77
	tcEndBlockData  = 0x78
	tcReset         = 0x79
	tcBlockDataLong = 0x7A
	tcLongString    = 0x7C

	baseWireHandle = 0x7E0000

	scWriteMethod  = 0x01
	scSerializable = 0x02
	scExternalize  = 0x04
	scBlockData    = 0x08
	scEnum         = 0x10

	hashMapClass = "java.util.HashMap"
	hashMapUID   = int64(362498820763181265)
	byteArrClass = "[B"
	byteArrUID   = int64(-5984413125824719648)
)

// ErrTruncated reports a stream that ended before the map was complete.
// Java Connect treats such a file as an empty offset store.
var ErrTruncated = errors.New("offsets file ends prematurely")

// Entry is one key/value pair of the serialized map. A nil Value is a Java
// null (a deleted offset).
type Entry struct {
	Key   []byte
	Value []byte
}

// WriteHashMap serializes entries as ObjectOutputStream.writeObject does for
// a java.util.HashMap<byte[], byte[]> holding them (default load factor,
// capacity sized as the map's own growth would leave it). Entries are
// written in the order given.
func WriteHashMap(w io.Writer, entries []Entry) error {
	var b bytes.Buffer
	be := func(v any) { _ = binary.Write(&b, binary.BigEndian, v) }
	utf := func(s string) { be(uint16(len(s))); b.WriteString(s) }
	be(uint16(streamMagic))
	be(uint16(streamVersion))
	// HashMap object with its class descriptor (handle 0), object handle 1.
	b.WriteByte(tcObject)
	b.WriteByte(tcClassDesc)
	utf(hashMapClass)
	be(hashMapUID)
	b.WriteByte(scWriteMethod | scSerializable)
	be(uint16(2))
	b.WriteByte('F')
	utf("loadFactor")
	b.WriteByte('I')
	utf("threshold")
	b.WriteByte(tcEndBlockData) // no class annotation
	b.WriteByte(tcNull)         // no serializable superclass
	capacity, threshold := hashMapSizing(len(entries))
	be(math.Float32bits(0.75))
	be(int32(threshold))
	// HashMap.writeObject's block data: bucket count and size.
	b.WriteByte(tcBlockData)
	b.WriteByte(8)
	be(int32(capacity))
	be(int32(len(entries)))
	next := int32(baseWireHandle + 2)
	arrDesc := int32(-1)
	writeArr := func(a []byte) {
		if a == nil {
			b.WriteByte(tcNull)
			return
		}
		b.WriteByte(tcArray)
		if arrDesc < 0 {
			b.WriteByte(tcClassDesc)
			utf(byteArrClass)
			be(byteArrUID)
			b.WriteByte(scSerializable)
			be(uint16(0))
			b.WriteByte(tcEndBlockData)
			b.WriteByte(tcNull)
			arrDesc = next
			next++
		} else {
			b.WriteByte(tcReference)
			be(arrDesc)
		}
		next++ // the array's own handle
		be(int32(len(a)))
		b.Write(a)
	}
	for _, e := range entries {
		writeArr(e.Key)
		writeArr(e.Value)
	}
	b.WriteByte(tcEndBlockData)
	_, err := w.Write(b.Bytes())
	return err
}

// hashMapSizing returns the table capacity and threshold a java.util.HashMap
// built by successive put calls has after n entries: no table (capacity
// reported as 16, threshold 0) when empty, otherwise a table of 16 doubled
// while n exceeds three quarters of it.
func hashMapSizing(n int) (capacity, threshold int) {
	if n == 0 {
		return 16, 0
	}
	capacity = 16
	for n > capacity*3/4 {
		capacity *= 2
	}
	return capacity, capacity * 3 / 4
}

// SortEntries orders entries by key bytes, a deterministic order for
// writing (Java writes its HashMap's identity-hash order).
func SortEntries(entries []Entry) {
	sort.Slice(entries, func(i, j int) bool { return bytes.Compare(entries[i].Key, entries[j].Key) < 0 })
}

// classDesc is a parsed class descriptor.
type classDesc struct {
	name   string
	flags  byte
	fields []fieldDesc
	super  *classDesc
}

type fieldDesc struct {
	typ  byte
	name string
}

// reader decodes the subset of the serialization protocol a
// HashMap<byte[], byte[]> stream uses: class descriptors, references, null,
// byte arrays, strings, block data and resets.
type reader struct {
	data    []byte
	off     int
	handles []any
	block   []byte // remaining bytes of the current data block
}

func (r *reader) need(n int) ([]byte, error) {
	if n < 0 || len(r.data)-r.off < n {
		r.off = len(r.data)
		return nil, ErrTruncated
	}
	b := r.data[r.off : r.off+n]
	r.off += n
	return b, nil
}

func (r *reader) u8() (byte, error) {
	b, err := r.need(1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

func (r *reader) u16() (uint16, error) {
	b, err := r.need(2)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint16(b), nil
}

func (r *reader) u32() (uint32, error) {
	b, err := r.need(4)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint32(b), nil
}

func (r *reader) utf() (string, error) {
	n, err := r.u16()
	if err != nil {
		return "", err
	}
	b, err := r.need(int(n))
	if err != nil {
		return "", err
	}
	return string(b), nil
}

func (r *reader) assign(v any) int {
	r.handles = append(r.handles, v)
	return len(r.handles) - 1
}

func (r *reader) ref() (any, error) {
	h, err := r.u32()
	if err != nil {
		return nil, err
	}
	i := int64(h) - baseWireHandle
	if i < 0 || i >= int64(len(r.handles)) {
		return nil, fmt.Errorf("invalid object reference 0x%x", h)
	}
	return r.handles[i], nil
}

// classDescriptor reads a class descriptor (new, reference or null).
func (r *reader) classDescriptor() (*classDesc, error) {
	tc, err := r.u8()
	if err != nil {
		return nil, err
	}
	switch tc {
	case tcNull:
		return nil, nil
	case tcReference:
		v, err := r.ref()
		if err != nil {
			return nil, err
		}
		d, ok := v.(*classDesc)
		if !ok {
			return nil, errors.New("reference to a non-class where a class descriptor was expected")
		}
		return d, nil
	case tcClassDesc:
		d := &classDesc{}
		if d.name, err = r.utf(); err != nil {
			return nil, err
		}
		if _, err := r.need(8); err != nil { // serialVersionUID
			return nil, err
		}
		r.assign(d)
		if d.flags, err = r.u8(); err != nil {
			return nil, err
		}
		n, err := r.u16()
		if err != nil {
			return nil, err
		}
		for i := 0; i < int(n); i++ {
			var f fieldDesc
			if f.typ, err = r.u8(); err != nil {
				return nil, err
			}
			if f.name, err = r.utf(); err != nil {
				return nil, err
			}
			if f.typ == 'L' || f.typ == '[' {
				if _, err := r.content(); err != nil { // the field's type name
					return nil, err
				}
			}
			d.fields = append(d.fields, f)
		}
		if err := r.skipAnnotation(); err != nil {
			return nil, err
		}
		if d.super, err = r.classDescriptor(); err != nil {
			return nil, err
		}
		return d, nil
	default:
		return nil, fmt.Errorf("unexpected type code 0x%02x where a class descriptor was expected", tc)
	}
}

// skipAnnotation skips class annotation contents up to TC_ENDBLOCKDATA.
func (r *reader) skipAnnotation() error {
	for {
		if r.off >= len(r.data) {
			return ErrTruncated
		}
		if r.data[r.off] == tcEndBlockData {
			r.off++
			return nil
		}
		if _, err := r.content(); err != nil {
			return err
		}
	}
}

// content reads one content element: an object, or block data (returned
// as a []byte wrapped in blockData).
type blockData []byte

func (r *reader) content() (any, error) {
	tc, err := r.u8()
	if err != nil {
		return nil, err
	}
	switch tc {
	case tcNull:
		return nil, nil
	case tcReference:
		return r.ref()
	case tcReset:
		r.handles = r.handles[:0]
		return r.content()
	case tcString:
		s, err := r.utf()
		if err != nil {
			return nil, err
		}
		r.assign(s)
		return s, nil
	case tcLongString:
		hi, err := r.u32()
		if err != nil {
			return nil, err
		}
		lo, err := r.u32()
		if err != nil {
			return nil, err
		}
		n := int64(hi)<<32 | int64(lo)
		if n > int64(len(r.data)) {
			return nil, ErrTruncated
		}
		b, err := r.need(int(n))
		if err != nil {
			return nil, err
		}
		s := string(b)
		r.assign(s)
		return s, nil
	case tcBlockData:
		n, err := r.u8()
		if err != nil {
			return nil, err
		}
		b, err := r.need(int(n))
		return blockData(b), err
	case tcBlockDataLong:
		n, err := r.u32()
		if err != nil {
			return nil, err
		}
		if int64(n) > int64(len(r.data)) {
			return nil, ErrTruncated
		}
		b, err := r.need(int(n))
		return blockData(b), err
	case tcClassDesc:
		r.off--
		return r.classDescriptor()
	case tcArray:
		d, err := r.classDescriptor()
		if err != nil {
			return nil, err
		}
		if d == nil || d.name != byteArrClass {
			name := "null"
			if d != nil {
				name = d.name
			}
			return nil, fmt.Errorf("unsupported array class %s (only byte[] is expected)", name)
		}
		h := r.assign(nil)
		n, err := r.u32()
		if err != nil {
			return nil, err
		}
		if int32(n) < 0 {
			return nil, fmt.Errorf("negative array length %d", int32(n))
		}
		b, err := r.need(int(n))
		if err != nil {
			return nil, err
		}
		a := append([]byte{}, b...)
		r.handles[h] = a
		return a, nil
	case tcObject:
		d, err := r.classDescriptor()
		if err != nil {
			return nil, err
		}
		if d == nil {
			return nil, errors.New("object without a class descriptor")
		}
		return nil, fmt.Errorf("unexpected object of class %s", d.name)
	default:
		return nil, fmt.Errorf("unsupported type code 0x%02x", tc)
	}
}

// primitiveSize returns the serialized size of a primitive field type code.
func primitiveSize(t byte) int {
	switch t {
	case 'B', 'Z':
		return 1
	case 'C', 'S':
		return 2
	case 'I', 'F':
		return 4
	case 'J', 'D':
		return 8
	}
	return -1
}

// nextBlockBytes returns n bytes of the object's custom block data,
// reading further data blocks as needed.
func (r *reader) nextBlockBytes(n int) ([]byte, error) {
	out := make([]byte, 0, n)
	for len(out) < n {
		if len(r.block) == 0 {
			v, err := r.content()
			if err != nil {
				return nil, err
			}
			bd, ok := v.(blockData)
			if !ok {
				return nil, errors.New("HashMap data: expected block data")
			}
			r.block = bd
			continue
		}
		k := min(n-len(out), len(r.block))
		out = append(out, r.block[:k]...)
		r.block = r.block[k:]
	}
	return out, nil
}

// ReadHashMap decodes a stream written by ObjectOutputStream.writeObject of
// one java.util.HashMap whose keys and values are byte arrays (or null
// values). A stream that ends early yields ErrTruncated (wrapped); other
// malformed input yields a descriptive error.
func ReadHashMap(data []byte) ([]Entry, error) {
	r := &reader{data: data}
	hdr, err := r.need(4)
	if err != nil {
		return nil, err
	}
	if binary.BigEndian.Uint16(hdr) != streamMagic || binary.BigEndian.Uint16(hdr[2:]) != streamVersion {
		return nil, fmt.Errorf("not a Java serialization stream (header % x)", hdr)
	}
	tc, err := r.u8()
	if err != nil {
		return nil, err
	}
	for tc == tcReset {
		if tc, err = r.u8(); err != nil {
			return nil, err
		}
	}
	if tc != tcObject {
		return nil, fmt.Errorf("Expected HashMap but found type code 0x%02x", tc)
	}
	d, err := r.classDescriptor()
	if err != nil {
		return nil, err
	}
	if d == nil || d.name != hashMapClass || d.super != nil {
		name := "null"
		if d != nil {
			name = d.name
		}
		return nil, fmt.Errorf("Expected HashMap but found %s", name)
	}
	if d.flags&scSerializable == 0 || d.flags&(scExternalize|scEnum) != 0 || d.flags&scWriteMethod == 0 {
		return nil, fmt.Errorf("unexpected HashMap class flags 0x%02x", d.flags)
	}
	r.assign(d) // the map object's own handle
	for _, f := range d.fields {
		n := primitiveSize(f.typ)
		if n < 0 {
			return nil, fmt.Errorf("unexpected non-primitive HashMap field %s", f.name)
		}
		if _, err := r.need(n); err != nil {
			return nil, err
		}
	}
	hdrBytes, err := r.nextBlockBytes(8)
	if err != nil {
		return nil, err
	}
	size := int32(binary.BigEndian.Uint32(hdrBytes[4:]))
	if size < 0 {
		return nil, fmt.Errorf("Illegal mappings count: %d", size)
	}
	if int64(size)*2 > int64(len(data)) {
		return nil, ErrTruncated
	}
	entries := make([]Entry, 0, size)
	readArr := func() ([]byte, error) {
		if len(r.block) > 0 {
			return nil, errors.New("HashMap data: unexpected block data between entries")
		}
		for {
			v, err := r.content()
			if err != nil {
				return nil, err
			}
			switch x := v.(type) {
			case nil:
				return nil, nil
			case []byte:
				return x, nil
			case blockData:
				if len(x) == 0 {
					continue
				}
				return nil, errors.New("HashMap data: unexpected block data between entries")
			default:
				return nil, fmt.Errorf("HashMap entry of unexpected type %T", v)
			}
		}
	}
	for i := int32(0); i < size; i++ {
		k, err := readArr()
		if err != nil {
			return nil, err
		}
		v, err := readArr()
		if err != nil {
			return nil, err
		}
		entries = append(entries, Entry{Key: k, Value: v})
	}
	// Custom data ends with TC_ENDBLOCKDATA; anything after is ignored,
	// as ObjectInputStream.readObject reads one object only.
	if len(r.block) == 0 {
		if _, err := r.need(1); err != nil {
			return nil, err
		}
	}
	return entries, nil
}
