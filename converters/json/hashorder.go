package json

import (
	"math"
	"time"
	"unicode/utf8"

	"sluice.io/sluice"
)

// javaOrder returns the indexes of m's entries in Java iteration order: as
// stored for linked maps, java.util.HashMap bucket order for hashed ones
// (table of 16 doubling past 0.75 load, insertion order within a bucket).
func javaOrder(m *sluice.Map, buf []int32) []int32 {
	n := len(m.Entries)
	buf = buf[:0]
	for i := 0; i < n; i++ {
		buf = append(buf, int32(i))
	}
	if !m.Hashed || n < 2 {
		return buf
	}
	capacity := 16
	for float64(n) > 0.75*float64(capacity) {
		capacity *= 2
	}
	mask := uint32(capacity - 1)
	var smallB [16]uint32
	var buckets []uint32
	if n <= len(smallB) {
		buckets = smallB[:n]
	} else {
		buckets = make([]uint32, n)
	}
	for i := range m.Entries {
		h := uint32(javaHash(m.Entries[i].Key))
		buckets[i] = (h ^ h>>16) & mask
	}
	// stable insertion sort by bucket (maps are small); fall back to a
	// merge-friendly approach for larger ones
	if n <= 64 {
		for i := 1; i < n; i++ {
			for j := i; j > 0 && buckets[buf[j-1]] > buckets[buf[j]]; j-- {
				buf[j-1], buf[j] = buf[j], buf[j-1]
			}
		}
		return buf
	}
	counts := make([]int32, capacity+1)
	for _, b := range buckets {
		counts[b+1]++
	}
	for i := 1; i <= capacity; i++ {
		counts[i] += counts[i-1]
	}
	for i, b := range buckets {
		buf[counts[b]] = int32(i)
		counts[b]++
	}
	return buf
}

// javaHash returns Java's hashCode of a Connect value used as a map key.
func javaHash(k any) int32 {
	switch x := k.(type) {
	case nil:
		return 0
	case string:
		return stringHash(x)
	case int8:
		return int32(x)
	case int16:
		return int32(x)
	case int32:
		return x
	case int64:
		return int32(x ^ int64(uint64(x)>>32))
	case float32:
		if x != x {
			return 0x7fc00000
		}
		return int32(math.Float32bits(x))
	case float64:
		b := math.Float64bits(x)
		if x != x {
			b = 0x7ff8000000000000
		}
		return int32(b ^ b>>32)
	case bool:
		if x {
			return 1231
		}
		return 1237
	case time.Time:
		ms := x.UnixMilli()
		return int32(ms ^ int64(uint64(ms)>>32))
	case sluice.Decimal:
		return decimalHash(x)
	case []any:
		h := int32(1)
		for _, e := range x {
			h = 31*h + javaHash(e)
		}
		return h
	case *sluice.Map:
		var h int32
		for _, e := range x.Entries {
			h += javaHash(e.Key) ^ javaHash(e.Value)
		}
		return h
	}
	return 0
}

// stringHash is String.hashCode over UTF-16 code units.
func stringHash(s string) int32 {
	var h int32
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			h = 31*h + int32(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if u, ok := surrogateAt(s, i); ok && r == utf8.RuneError {
			h = 31*h + int32(u)
			i += 3
			continue
		}
		if r >= 0x10000 {
			r -= 0x10000
			h = 31*h + int32(0xD800+(r>>10))
			h = 31*h + int32(0xDC00+(r&0x3FF))
		} else {
			h = 31*h + int32(r)
		}
		i += size
	}
	return h
}

// decimalHash is BigDecimal.hashCode.
func decimalHash(d sluice.Decimal) int32 {
	u := d.Unscaled
	if u != nil && u.IsInt64() && u.Int64() != math.MinInt64 {
		v := u.Int64()
		a := v
		if a < 0 {
			a = -a
		}
		temp := int32(int64(int32(uint64(a)>>32))*31 + int64(uint64(a)&0xFFFFFFFF))
		if v < 0 {
			temp = -temp
		}
		return 31*temp + d.Scale
	}
	return 31*bigIntHash(d) + d.Scale
}

// bigIntHash is BigInteger.hashCode: over 32-bit magnitude words, times sign.
func bigIntHash(d sluice.Decimal) int32 {
	if d.Unscaled == nil {
		return 0
	}
	words := d.Unscaled.Bits()
	var mag []uint32
	for i := len(words) - 1; i >= 0; i-- {
		w := uint64(words[i])
		mag = append(mag, uint32(w>>32), uint32(w))
	}
	for len(mag) > 0 && mag[0] == 0 {
		mag = mag[1:]
	}
	var h int32
	for _, w := range mag {
		h = 31*h + int32(w)
	}
	return h * int32(d.Unscaled.Sign())
}
