package jregex

// treeInfo is Java's TreeInfo: the length analysis that decides whether a
// look-behind has an obvious maximum length. Arithmetic wraps like Java int.
type treeInfo struct {
	minLength, maxLength int32
	maxValid, det        bool
}

func newInfo() treeInfo { return treeInfo{maxValid: true, det: true} }

func (t *treeInfo) reset() { *t = newInfo() }

// study walks n like Pattern.Node.study and reports determinism.
func study(n *node, info *treeInfo) bool {
	switch n.op {
	case opChar:
		info.minLength++
		info.maxLength++
	case opSeq:
		for _, s := range n.subs {
			study(s, info)
		}
	case opAlt:
		minL, maxL, maxV := info.minLength, info.maxLength, info.maxValid
		minL2, maxL2 := int32(maxReps), int32(-1)
		for _, s := range n.subs {
			info.reset()
			study(s, info)
			minL2 = min(minL2, info.minLength)
			maxL2 = max(maxL2, info.maxLength)
			maxV = maxV && info.maxValid
		}
		info.minLength = minL + minL2
		info.maxLength = maxL + maxL2
		info.maxValid = maxV
		info.det = false
	case opCapture, opGroup:
		study(n.sub, info)
	case opAtomic:
		study(n.sub, info)
	case opRepeat:
		studyRepeat(n, info)
	case opBackref:
		info.maxValid = false
	case opLineEnding:
		info.minLength++
		info.maxLength += 2
	case opGrapheme:
		info.minLength++
		info.det = false
	}
	return info.det
}

func studyRepeat(n *node, info *treeInfo) {
	cmax := int32(n.max)
	if n.max < 0 {
		cmax = maxReps
	}
	cmin := int32(n.min)
	switch n.rkind {
	case rCharGreedy:
		info.minLength += cmin
		if info.maxValid {
			info.maxLength += maxReps
		}
		info.det = false
	case rQues:
		if n.sub.op == opCapture || n.sub.op == opGroup {
			if n.qkind != qPossessive {
				// a group with ? is a branch with an empty alternative
				alt := &node{op: opAlt, subs: []*node{n.sub, {op: opEmpty}}}
				study(alt, info)
				return
			}
		}
		minL := info.minLength
		study(n.sub, info)
		info.minLength = minL
		info.det = false
	case rLoop:
		info.maxValid = false
		info.det = false
	default: // rCurly, rGroupCurly
		minL, maxL, maxV, detm := info.minLength, info.maxLength, info.maxValid, info.det
		info.reset()
		study(n.sub, info)
		temp := info.minLength*cmin + minL
		if temp < minL {
			temp = 0xFFFFFFF
		}
		info.minLength = temp
		if maxV && info.maxValid {
			temp = info.maxLength*cmax + maxL
			info.maxLength = temp
			if temp < maxL {
				info.maxValid = false
			}
		} else {
			info.maxValid = false
		}
		if info.det && cmin == cmax {
			info.det = detm
		} else {
			info.det = false
		}
	}
}
