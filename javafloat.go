package sluice

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"
)

// FormatJavaDouble formats a float64 exactly like JDK 17's Double.toString.
func FormatJavaDouble(f float64) string { return string(AppendJavaDouble(nil, f)) }

// FormatJavaFloat formats a float32 exactly like JDK 17's Float.toString.
func FormatJavaFloat(f float32) string { return string(AppendJavaFloat(nil, f)) }

// AppendJavaDouble appends the JDK 17 Double.toString form of f to dst.
func AppendJavaDouble(dst []byte, f float64) []byte {
	b := math.Float64bits(f)
	neg := b>>63 != 0
	fract := b & (1<<52 - 1)
	exp := int((b >> 52) & 0x7ff)
	if exp == 0x7ff {
		return appendNonFinite(dst, fract != 0, neg)
	}
	var nSig int
	if exp == 0 {
		if fract == 0 {
			return appendZero(dst, neg)
		}
		lz := bits.LeadingZeros64(fract)
		shift := lz - (63 - 52)
		fract <<= uint(shift)
		exp = 1 - shift
		nSig = 64 - lz
	} else {
		fract |= 1 << 52
		nSig = 53
	}
	var d jdigits
	d.dtoa(exp-1023, fract, nSig)
	return d.appendTo(dst, neg)
}

// AppendJavaFloat appends the JDK 17 Float.toString form of f to dst.
func AppendJavaFloat(dst []byte, f float32) []byte {
	b := math.Float32bits(f)
	neg := b>>31 != 0
	fract := b & (1<<23 - 1)
	exp := int((b >> 23) & 0xff)
	if exp == 0xff {
		return appendNonFinite(dst, fract != 0, neg)
	}
	var nSig int
	if exp == 0 {
		if fract == 0 {
			return appendZero(dst, neg)
		}
		lz := bits.LeadingZeros32(fract)
		shift := lz - (31 - 23)
		fract <<= uint(shift)
		exp = 1 - shift
		nSig = 32 - lz
	} else {
		fract |= 1 << 23
		nSig = 24
	}
	var d jdigits
	d.dtoa(exp-127, uint64(fract)<<(52-23), nSig)
	return d.appendTo(dst, neg)
}

func appendNonFinite(dst []byte, nan, neg bool) []byte {
	switch {
	case nan:
		return append(dst, "NaN"...)
	case neg:
		return append(dst, "-Infinity"...)
	}
	return append(dst, "Infinity"...)
}

func appendZero(dst []byte, neg bool) []byte {
	if neg {
		return append(dst, "-0.0"...)
	}
	return append(dst, "0.0"...)
}

// jdigits holds the decimal digits produced by the JDK's binary-to-decimal
// conversion (FloatingDecimal's dtoa): digits[first:first+n] scaled by
// 10^(decExp-len).
type jdigits struct {
	buf    [24]byte
	first  int
	n      int
	decExp int
}

// insignificantPow2 gives, for 2^p, the number of decimal digits of 2^p
// minus one (floor(log10(2^p))) for 1 < p < 64, as the JDK tabulates it.
var insignificantPow2 = [...]int{
	0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3,
	4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7,
	8, 8, 8, 9, 9, 9, 9, 10, 10, 10, 11, 11, 11,
	12, 12, 12, 12, 13, 13, 13, 14, 14, 14,
	15, 15, 15, 15, 16, 16, 16, 17, 17, 17,
	18, 18, 18, 19,
}

// n5bits[i] is the bit length of 5^i.
var n5bits [32]int

// pow5 holds 5^i for i < 27 (all fit in 63 bits).
var pow5 [27]int64

func init() {
	p := int64(1)
	for i := range pow5 {
		pow5[i] = p
		p *= 5
	}
	for i := range n5bits {
		n5bits[i] = new(big.Int).Exp(big.NewInt(5), big.NewInt(int64(i)), nil).BitLen()
	}
}

func n5(i int) int {
	if i < len(n5bits) {
		return n5bits[i]
	}
	return i * 3
}

// estimateDecExp returns the JDK's estimate of floor(log10(value)).
func estimateDecExp(fract uint64, binExp int) int {
	d2 := math.Float64frombits(0x3ff0000000000000 | (fract & (1<<52 - 1)))
	// explicit conversions keep each operation separately rounded, as in Java
	d := float64(float64(float64(d2-1.5)*0.289529654)+0.176091259) + float64(float64(binExp)*0.301029995663981)
	return int(math.Floor(d))
}

func (d *jdigits) dtoa(binExp int, fract uint64, nSig int) {
	tailZeros := bits.TrailingZeros64(fract)
	nFractBits := 53 - tailZeros
	nTinyBits := max(0, nFractBits-binExp-1)
	if binExp <= 62 && binExp >= -21 && nTinyBits < len(pow5) && nFractBits+n5(nTinyBits) < 64 && nTinyBits == 0 {
		insignificant := 0
		if binExp > nSig {
			if p := binExp - nSig - 1; p > 1 && p < len(insignificantPow2) {
				insignificant = insignificantPow2[p]
			}
		}
		if binExp >= 52 {
			fract <<= uint(binExp - 52)
		} else {
			fract >>= uint(52 - binExp)
		}
		d.developLong(int64(fract), insignificant)
		return
	}
	decExp := estimateDecExp(fract, binExp)
	B5 := max(0, -decExp)
	B2 := B5 + nTinyBits + binExp
	S5 := max(0, decExp)
	S2 := S5 + nTinyBits
	M5 := B5
	M2 := B2 - nSig
	fract >>= uint(tailZeros)
	B2 -= nFractBits - 1
	common := min(B2, S2)
	B2 -= common
	S2 -= common
	M2 -= common
	if nFractBits == 1 {
		M2--
	}
	if M2 < 0 {
		B2 -= M2
		S2 -= M2
		M2 = 0
	}
	nd := 0
	var low, high bool
	var lowDiff int64
	Bbits := nFractBits + B2 + n5(B5)
	tenSbits := S2 + 1 + n5(S5+1)
	switch {
	case Bbits < 32 && tenSbits < 32:
		nd, decExp, low, high, lowDiff = fixedDigits(d.buf[:], (int32(fract)*int32(pow5[B5]))<<uint(B2),
			int32(pow5[S5])<<uint(S2), int32(pow5[M5])<<uint(M2), decExp)
	case Bbits < 64 && tenSbits < 64:
		nd, decExp, low, high, lowDiff = fixedDigits(d.buf[:], (int64(fract)*pow5[B5])<<uint(B2),
			pow5[S5]<<uint(S2), pow5[M5]<<uint(M2), decExp)
	default:
		S := pow52(S5, S2)
		B := pow52(B5, B2)
		B.Mul(B, new(big.Int).SetUint64(fract))
		M := pow52(M5+1, M2+1)
		tenS := pow52(S5+1, S2+1)
		var q, sum big.Int
		ten := big.NewInt(10)
		quoRem := func() int {
			q.QuoRem(B, S, B)
			B.Mul(B, ten)
			return int(q.Int64())
		}
		qd := quoRem()
		low = B.Cmp(M) < 0
		high = tenS.Cmp(sum.Add(B, M)) <= 0
		if qd == 0 && !high {
			decExp--
		} else {
			d.buf[nd] = byte('0' + qd)
			nd++
		}
		if decExp < -3 || decExp >= 8 {
			high, low = false, false
		}
		for !low && !high {
			qd = quoRem()
			M.Mul(M, ten)
			low = B.Cmp(M) < 0
			high = tenS.Cmp(sum.Add(B, M)) <= 0
			d.buf[nd] = byte('0' + qd)
			nd++
		}
		if high && low {
			B.Lsh(B, 1)
			lowDiff = int64(B.Cmp(tenS))
		}
	}
	d.decExp = decExp + 1
	d.first = 0
	d.n = nd
	if high {
		if low {
			if lowDiff == 0 {
				if d.buf[d.first+d.n-1]&1 != 0 {
					d.roundup()
				}
			} else if lowDiff > 0 {
				d.roundup()
			}
		} else {
			d.roundup()
		}
	}
}

func pow52(p5, p2 int) *big.Int {
	r := new(big.Int).Exp(big.NewInt(5), big.NewInt(int64(p5)), nil)
	return r.Lsh(r, uint(p2))
}

func (d *jdigits) roundup() {
	i := d.first + d.n - 1
	q := d.buf[i]
	if q == '9' {
		for q == '9' && i > d.first {
			d.buf[i] = '0'
			i--
			q = d.buf[i]
		}
		if q == '9' {
			d.decExp++
			d.buf[d.first] = '1'
			return
		}
	}
	d.buf[i] = q + 1
}

func (d *jdigits) developLong(v int64, insignificant int) {
	decExp := 0
	if insignificant != 0 {
		pow10 := pow5[insignificant] << uint(insignificant)
		residue := v % pow10
		v /= pow10
		decExp += insignificant
		if residue >= pow10>>1 {
			v++
		}
	}
	i := len(d.buf) - 1
	c := v % 10
	v /= 10
	for c == 0 {
		decExp++
		c = v % 10
		v /= 10
	}
	for v != 0 {
		d.buf[i] = byte('0' + c)
		i--
		decExp++
		c = v % 10
		v /= 10
	}
	d.buf[i] = byte('0' + c)
	d.decExp = decExp + 1
	d.first = i
	d.n = len(d.buf) - i
}

func (d *jdigits) appendTo(dst []byte, neg bool) []byte {
	if neg {
		dst = append(dst, '-')
	}
	digits := d.buf[d.first : d.first+d.n]
	e := d.decExp
	switch {
	case e > 0 && e < 8:
		k := min(len(digits), e)
		dst = append(dst, digits[:k]...)
		if k < e {
			for range e - k {
				dst = append(dst, '0')
			}
			return append(dst, '.', '0')
		}
		dst = append(dst, '.')
		if k < len(digits) {
			return append(dst, digits[k:]...)
		}
		return append(dst, '0')
	case e <= 0 && e > -3:
		dst = append(dst, '0', '.')
		for range -e {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	dst = append(dst, digits[0], '.')
	if len(digits) > 1 {
		dst = append(dst, digits[1:]...)
	} else {
		dst = append(dst, '0')
	}
	dst = append(dst, 'E')
	if e <= 0 {
		dst = append(dst, '-')
		return strconv.AppendInt(dst, int64(-e+1), 10)
	}
	return strconv.AppendInt(dst, int64(e-1), 10)
}

// fixedDigits generates the decimal digits of b/s into buf with machine
// integers of type T, as JDK 17's FloatingDecimal does with int and then
// long arithmetic (m is the precision margin, decExp the estimated decimal
// exponent). It returns the digit count, the adjusted exponent, the
// low/high stop conditions and the remainder test value for rounding.
func fixedDigits[T int32 | int64](buf []byte, b, s, m T, decExp int) (nd, exp int, low, high bool, lowDiff int64) {
	tens := s * 10
	q := b / s
	b = 10 * (b % s)
	m *= 10
	low = b < m
	high = b+m > tens
	if q == 0 && !high {
		decExp--
	} else {
		buf[nd] = byte('0' + q)
		nd++
	}
	if decExp < -3 || decExp >= 8 {
		high, low = false, false
	}
	for !low && !high {
		q = b / s
		b = 10 * (b % s)
		m *= 10
		if m > 0 {
			low = b < m
			high = b+m > tens
		} else {
			low, high = true, true
		}
		buf[nd] = byte('0' + q)
		nd++
	}
	return nd, decExp, low, high, int64(b<<1 - tens)
}
