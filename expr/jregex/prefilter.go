package jregex

// prefilter rejects inputs that cannot contain a match: every match
// consumes at least count[i] characters of the ASCII set i, so an input
// with fewer such bytes is skipped without running an engine.
type prefilter struct {
	table [256]uint8 // bit i: byte belongs to set i
	need  []int      // minimum count per set
}

const maxPrefilterSets = 8

func (p *prefilter) ok(s string) bool {
	if len(p.need) == 0 {
		return true
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
	}
	return p
}
