package registry

import (
	"regexp/syntax"
	"unicode"
)

// Map tries every product's rules in order, and most package names (the
// AL2023 package list has thousands; a host has hundreds) match none of
// them, so each call ran every pattern. byteSet indexes the rules by the
// bytes a matching name can start with: Map then runs, in the same order,
// only the rules a name's first byte allows. The sets are computed from the
// parsed pattern and err on the side of "any byte", so the index never
// skips a rule that could match (TestFirstByteIndexMatchesScan checks it on
// every name the embedded data knows).

// byteSet is a set of bytes.
type byteSet [4]uint64

func (s *byteSet) add(b byte)      { s[b>>6] |= 1 << (b & 63) }
func (s *byteSet) has(b byte) bool { return s[b>>6]&(1<<(b&63)) != 0 }
func (s *byteSet) union(o byteSet) {
	s[0], s[1], s[2], s[3] = s[0]|o[0], s[1]|o[1], s[2]|o[2], s[3]|o[3]
}
func (s *byteSet) addRange(lo, hi rune) { addRuneRange(s, lo, hi) }

func allBytes() byteSet { return byteSet{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)} }

// addRuneRange adds the first bytes of the UTF-8 encodings of lo..hi: the
// ASCII ones exactly, and every byte from 0x80 up for any rune above ASCII
// (more than needed, never less).
func addRuneRange(s *byteSet, lo, hi rune) {
	for r := max(lo, 0); r <= hi && r < 0x80; r++ {
		s.add(byte(r))
	}
	if hi >= 0x80 {
		for b := 0x80; b <= 0xff; b++ {
			s.add(byte(b))
		}
	}
}

// firstBytes returns the bytes a non-empty match of re can start with, and
// whether re can match the empty string.
func firstBytes(re *syntax.Regexp) (set byteSet, nullable bool) {
	switch re.Op {
	case syntax.OpNoMatch:
		return set, false
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return set, true
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return set, true
		}
		r := re.Rune[0]
		addRuneRange(&set, r, r)
		if re.Flags&syntax.FoldCase != 0 {
			// Every rune that folds to r: its ASCII case partner, and
			// non-ASCII ones such as the Kelvin sign for k.
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				addRuneRange(&set, f, f)
			}
		}
		return set, false
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			set.addRange(re.Rune[i], re.Rune[i+1])
		}
		return set, false
	case syntax.OpCapture:
		return firstBytes(re.Sub[0])
	case syntax.OpStar, syntax.OpQuest:
		set, _ = firstBytes(re.Sub[0])
		return set, true
	case syntax.OpPlus:
		return firstBytes(re.Sub[0])
	case syntax.OpRepeat:
		set, nullable = firstBytes(re.Sub[0])
		return set, nullable || re.Min == 0
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			s, n := firstBytes(sub)
			set.union(s)
			if !n {
				return set, false
			}
		}
		return set, true
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			s, n := firstBytes(sub)
			set.union(s)
			nullable = nullable || n
		}
		return set, nullable
	}
	// Any other operator (any character, ...): any byte.
	return allBytes(), true
}

// patternFirstBytes is firstBytes of a pattern as regexp compiles it; a
// pattern it cannot parse can start with anything.
func patternFirstBytes(pattern string) byteSet {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return allBytes()
	}
	set, _ := firstBytes(re.Simplify())
	return set
}

// indexRules fills m.byFirst: for each byte, the rules (in order) whose
// pattern can match a name starting with it.
func (m *mapper) indexRules(patterns []string) {
	for i, p := range patterns {
		m.all = append(m.all, i)
		set := patternFirstBytes(p)
		for b := 0; b < 256; b++ {
			if set.has(byte(b)) {
				m.byFirst[b] = append(m.byFirst[b], i)
			}
		}
	}
}
