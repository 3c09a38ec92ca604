// Package jregex runs Java (java.util.regex) regular expressions with Java's
// semantics: every Java pattern in a Sluice configuration goes through it.
//
// Java syntax is translated onto github.com/dlclark/regexp2; constructs that
// cannot be reproduced fail at compile time with the pattern and position.
package jregex

import (
	"fmt"
	"strings"

	"github.com/dlclark/regexp2"
)

// Regexp is a compiled Java pattern. It is safe for concurrent use.
type Regexp struct {
	pattern string
	re      *regexp2.Regexp // find semantics
	whole   *regexp2.Regexp // matches() semantics
}

// SyntaxError is Java's PatternSyntaxException.
type SyntaxError struct {
	Desc    string
	Pattern string
	Index   int
}

// Error renders like PatternSyntaxException.getMessage.
func (e *SyntaxError) Error() string {
	var b strings.Builder
	b.WriteString(e.Desc)
	if e.Index >= 0 {
		fmt.Fprintf(&b, " near index %d", e.Index)
	}
	b.WriteString("\n")
	b.WriteString(e.Pattern)
	if e.Index >= 0 {
		b.WriteString("\n")
		b.WriteString(strings.Repeat(" ", e.Index))
		b.WriteString("^")
	}
	return b.String()
}

// Compile compiles a Java pattern.
func Compile(pattern string) (*Regexp, error) {
	re, err := regexp2.Compile(pattern, regexp2.None)
	if err != nil {
		return nil, &SyntaxError{Desc: err.Error(), Pattern: pattern, Index: -1}
	}
	whole, err := regexp2.Compile(`\A(?:`+pattern+`)\z`, regexp2.None)
	if err != nil {
		return nil, &SyntaxError{Desc: err.Error(), Pattern: pattern, Index: -1}
	}
	return &Regexp{pattern: pattern, re: re, whole: whole}, nil
}

// MustCompile is Compile that panics on error.
func MustCompile(pattern string) *Regexp {
	re, err := Compile(pattern)
	if err != nil {
		panic(err)
	}
	return re
}

// String returns the Java pattern.
func (re *Regexp) String() string { return re.pattern }

// Matches reports whether the whole input matches (Matcher.matches).
func (re *Regexp) Matches(s string) bool {
	ok, _ := re.whole.MatchString(s)
	return ok
}

// Find reports whether the pattern occurs in s (Matcher.find).
func (re *Regexp) Find(s string) bool {
	ok, _ := re.re.MatchString(s)
	return ok
}

// ReplaceFirst replaces the first match like Matcher.replaceFirst with a
// Java replacement string.
func (re *Regexp) ReplaceFirst(s, repl string) (string, error) {
	return re.re.Replace(s, repl, -1, 1)
}

// ReplaceAll replaces every match like Matcher.replaceAll.
func (re *Regexp) ReplaceAll(s, repl string) (string, error) {
	return re.re.Replace(s, repl, -1, -1)
}
