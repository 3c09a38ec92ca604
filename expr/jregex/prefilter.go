package jregex

import "math/bits"

// prefilter rejects inputs that cannot contain a match: every match
// consumes at least count[i] characters of the ASCII set i, so an input
// with fewer such bytes is skipped without running an engine.
type prefilter struct {
	table [256]uint8 // bit i: byte belongs to set i
	need  []int      // minimum count per set
	// ranges holds each set as byte ranges when every set has few, for
	// counting eight bytes at a time.
	ranges [][]byteRange
}

type byteRange struct{ lo, hi byte }

// swarRange holds the constants inRange derives from a byte range.
type swarRange struct{ hi, lo uint64 }

func (r byteRange) swar() swarRange {
	return swarRange{hi: lsb * (128 + uint64(r.hi)), lo: lsb * (128 - uint64(r.lo))}
}

// mask marks with 0x80 the bytes of x in the range.
func (r swarRange) mask(x uint64) uint64 {
	t := x & (lsb * 0x7F)
	return (r.hi - t) &^ x & (t + r.lo) & msb
}

func load64(s string, i int) uint64 {
	b := s[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

const (
	maxPrefilterSets = 8
	maxSWARRanges    = 4
	lsb              = 0x0101010101010101
	msb              = 0x8080808080808080
)

func (p *prefilter) ok(s string) bool {
	if len(p.need) == 0 {
		return true
	}
	if p.ranges != nil {
		if len(p.need) == 1 && len(p.ranges[0]) == 1 {
			return p.okOne(s)
		}
		if len(p.need) == 2 && len(p.ranges[0]) == 1 && len(p.ranges[1]) == 1 {
			return p.okTwo(s)
		}
		return p.okSWAR(s)
	}
	var have [maxPrefilterSets]int
	for i := 0; i < len(s); i++ {
		m := p.table[s[i]]
		for m != 0 {
			j := trailingZeros8(m)
			have[j]++
			m &= m - 1
		}
	}
	for i, n := range p.need {
		if have[i] < n {
			return false
		}
	}
	return true
}

// okOne is okSWAR for one set of one range.
func (p *prefilter) okOne(s string) bool {
	r := p.ranges[0][0].swar()
	need := p.need[0]
	have := 0
	i := 0
	for ; i+32 <= len(s); i += 32 {
		// one 0/1 per byte lane, summed by the multiplication
		a := r.mask(load64(s, i))>>7 + r.mask(load64(s, i+8))>>7 +
			r.mask(load64(s, i+16))>>7 + r.mask(load64(s, i+24))>>7
		have += int(a * lsb >> 56)
		if have >= need {
			return true
		}
	}
	for ; i+8 <= len(s); i += 8 {
		have += bits.OnesCount64(r.mask(load64(s, i)))
	}
	for ; i < len(s); i++ {
		if p.table[s[i]] != 0 {
			have++
		}
	}
	return have >= need
}

// okTwo is okSWAR for two sets of one range each.
func (p *prefilter) okTwo(s string) bool {
	r0, r1 := p.ranges[0][0].swar(), p.ranges[1][0].swar()
	n0, n1 := p.need[0], p.need[1]
	h0, h1 := 0, 0
	i := 0
	for ; i+32 <= len(s); i += 32 {
		x0, x1, x2, x3 := load64(s, i), load64(s, i+8), load64(s, i+16), load64(s, i+24)
		a := r0.mask(x0)>>7 + r0.mask(x1)>>7 + r0.mask(x2)>>7 + r0.mask(x3)>>7
		b := r1.mask(x0)>>7 + r1.mask(x1)>>7 + r1.mask(x2)>>7 + r1.mask(x3)>>7
		h0 += int(a * lsb >> 56)
		h1 += int(b * lsb >> 56)
		if h0 >= n0 && h1 >= n1 {
			return true
		}
	}
	for ; i+8 <= len(s); i += 8 {
		x := load64(s, i)
		h0 += bits.OnesCount64(r0.mask(x))
		h1 += bits.OnesCount64(r1.mask(x))
	}
	for ; i < len(s); i++ {
		m := p.table[s[i]]
		h0 += int(m & 1)
		h1 += int(m >> 1 & 1)
	}
	return h0 >= n0 && h1 >= n1
}

// okSWAR counts eight bytes at a time and stops once every count is met.
func (p *prefilter) okSWAR(s string) bool {
	var have [maxPrefilterSets]int
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := load64(s, i)
		done := true
		for j, rs := range p.ranges {
			var m uint64
			for _, r := range rs {
				m |= r.swar().mask(x)
			}
			have[j] += bits.OnesCount64(m)
			done = done && have[j] >= p.need[j]
		}
		if done {
			return true
		}
	}
	for ; i < len(s); i++ {
		m := p.table[s[i]]
		for m != 0 {
			have[bits.TrailingZeros8(m)]++
			m &= m - 1
		}
	}
	for j, n := range p.need {
		if have[j] < n {
			return false
		}
	}
	return true
}

func trailingZeros8(m uint8) int {
	n := 0
	for m&1 == 0 {
		m >>= 1
		n++
	}
	return n
}

// required collects the characters every match consumes.
type required struct {
	sets   []charset
	counts []int
}

func (r *required) add(c charset, n int) {
	for i := range r.sets {
		if r.sets[i].equal(c) {
			r.counts[i] += n
			return
		}
	}
	r.sets = append(r.sets, c)
	r.counts = append(r.counts, n)
}

func collect(n *node, mult int, r *required) {
	switch n.op {
	case opChar:
		if n.set.isASCII() && len(n.set) > 0 {
			r.add(n.set, mult)
		}
	case opSeq:
		for _, s := range n.subs {
			collect(s, mult, r)
		}
	case opCapture, opGroup, opAtomic:
		collect(n.sub, mult, r)
	case opRepeat:
		if n.min > 0 && n.min <= 1<<16 {
			collect(n.sub, mult*n.min, r)
		}
	}
}

func buildPrefilter(root *node) prefilter {
	var r required
	collect(root, 1, &r)
	var p prefilter
	for i, c := range r.sets {
		if len(p.need) == maxPrefilterSets {
			break
		}
		// sets covering most of ASCII filter nothing useful
		size := 0
		for _, x := range c {
			size += int(x.hi-x.lo) + 1
		}
		if size > 64 {
			continue
		}
		bit := uint8(1) << len(p.need)
		for _, x := range c {
			for b := x.lo; b <= x.hi; b++ {
				p.table[b] |= bit
			}
		}
		p.need = append(p.need, r.counts[i])
		var rs []byteRange
		for _, x := range c {
			rs = append(rs, byteRange{byte(x.lo), byte(x.hi)})
		}
		p.ranges = append(p.ranges, rs)
	}
	for _, rs := range p.ranges {
		if len(rs) > maxSWARRanges {
			p.ranges = nil
			break
		}
	}
	return p
}
