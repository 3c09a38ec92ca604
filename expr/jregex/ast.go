package jregex

// Java flag bits (java.util.regex.Pattern constants).
const (
	flagUnixLines   = 0x01
	flagCaseIns     = 0x02
	flagComments    = 0x04
	flagMultiline   = 0x08
	flagDotAll      = 0x20
	flagUnicodeCase = 0x40
	flagCanonEq     = 0x80
	flagUnicodeCC   = 0x100
)

type op uint8

const (
	opEmpty      op = iota
	opChar          // set
	opSeq           // subs
	opAlt           // subs
	opCapture       // sub, group
	opGroup         // sub (non-capturing)
	opAtomic        // sub
	opLook          // sub, neg, behind
	opRepeat        // sub, min, max, qkind, rkind
	opBackref       // group, ci
	opBegin         // \A, ^ without MULTILINE
	opEnd           // \z
	opDollar        // $, \Z (flags: multiline, unix)
	opCaret         // ^ with MULTILINE (unix)
	opWordB         // \b (neg = \B, unicode = (?U))
	opLastMatch     // \G
	opLineEnding    // \R
	opGrapheme      // \X
	opGraphemeB     // \b{g}
)

// quantifier kinds
const (
	qGreedy = iota
	qLazy
	qPossessive
)

// Java node shapes a quantifier compiles to; they decide look-behind
// length analysis.
const (
	rCharGreedy = iota // x* x+ on a single character property
	rCurly             // {n,m}, lazy/possessive, non-character operands
	rQues              // ?
	rGroupCurly        // quantified deterministic group
	rLoop              // quantified non-deterministic group
)

type node struct {
	op      op
	set     charset
	subs    []*node
	sub     *node
	min     int
	max     int // -1: unbounded
	qkind   int
	rkind   int
	group   int
	neg     bool
	behind  bool
	multi   bool
	unix    bool
	unicode bool
	ci      bool
	ciU     bool
	// bmpOnlyBehind marks a look-behind whose body is matched in UTF-16
	// units by Java (no literal supplementary character in its text).
	bmpOnlyBehind bool
	// neverBehind marks a look-behind that can never match.
	neverBehind bool
}
