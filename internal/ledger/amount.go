package ledger

import (
	"math/bits"
	"strconv"
)

// Amount is an exact quantity of money, points or stamps in hundredths (1250 = 12.50); it is never a float.
type Amount int64

// MaxAmount is the largest amount any API accepts: 1,000,000,000 units.
const MaxAmount Amount = 1_000_000_000 * 100

// ParseAmount parses a non-negative decimal with at most two places ("1000", "99.5", "99.50", "0.01").
//
// The grammar is deliberately narrow, because the POS clients send form
// fields and a lenient parser would let typos move points: one or more ASCII
// digits, optionally followed by "." and one or two digits. So ".5", "5.",
// signs ("+5", "-0"), exponents, spaces, "NaN", "Inf" and values above
// MaxAmount all fail with ErrBadAmount. Leading zeros ("007.5") are accepted:
// they are unambiguous. Zero is a valid amount; endpoints that need a
// positive one check Positive themselves, since their error codes differ.
func ParseAmount(s string) (Amount, error) {
	intPart, frac := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			intPart, frac = s[:i], s[i+1:]
			if frac == "" || len(frac) > 2 {
				return 0, ErrBadAmount
			}
			break
		}
	}
	if intPart == "" || !allDigits(intPart) || !allDigits(frac) {
		return 0, ErrBadAmount
	}
	// Trim leading zeros before the length check so that "0000000000001" is fine
	// while anything with more than ten significant digits is rejected before
	// it could overflow.
	for len(intPart) > 1 && intPart[0] == '0' {
		intPart = intPart[1:]
	}
	if len(intPart) > 10 {
		return 0, ErrBadAmount
	}
	var v int64
	for i := 0; i < len(intPart); i++ {
		v = v*10 + int64(intPart[i]-'0')
	}
	v *= 100
	switch len(frac) {
	case 1:
		v += int64(frac[0]-'0') * 10
	case 2:
		v += int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	}
	if Amount(v) > MaxAmount {
		return 0, ErrBadAmount
	}
	return Amount(v), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Positive reports whether a is greater than zero, the rule for every debit and credit.
func (a Amount) Positive() bool { return a > 0 }

// String formats a with exactly two decimals ("12.50", "-0.05"), the shape of the APIs' string totals.
func (a Amount) String() string { return a.format(false) }

// NumberText formats a as the shortest exact decimal ("152.5", "152", "0.01"), usable verbatim as a JSON number literal.
func (a Amount) NumberText() string { return a.format(true) }

// AppendNumber appends NumberText to b, for encoders that build an answer
// in one buffer (no string per amount).
func (a Amount) AppendNumber(b []byte) []byte { return a.appendFormat(b, true) }

// format writes a in decimal, dropping trailing fractional zeros (and the point) when short is set.
func (a Amount) format(short bool) string {
	return string(a.appendFormat(make([]byte, 0, 24), short))
}

func (a Amount) appendFormat(b []byte, short bool) []byte {
	neg, u := a.abs()
	if neg {
		b = append(b, '-')
	}
	b = strconv.AppendUint(b, u/100, 10)
	tens, ones := byte('0'+u%100/10), byte('0'+u%10)
	switch {
	case !short || ones != '0':
		b = append(b, '.', tens, ones)
	case tens != '0':
		b = append(b, '.', tens)
	}
	return b
}

// Float64 returns a in units as a float, only for encoders that must emit a JSON number; never compute with it.
func (a Amount) Float64() float64 { return float64(a) / 100 }

// abs returns the sign and magnitude of a; the magnitude is unsigned so that the minimum int64 does not overflow.
func (a Amount) abs() (neg bool, u uint64) {
	if a < 0 {
		return true, uint64(-(a + 1)) + 1
	}
	return false, uint64(a)
}

// Percent returns amount × percentHundredths / 10000 rounded down (toward minus infinity) to the hundredth.
//
// The percentage is in hundredths of a percent (5.00% = 500), which is what
// ParseAmount yields for a setting such as "5.00". The product is computed in
// 128 bits, so it cannot overflow; Percent panics only if the result itself
// does not fit an Amount, which needs a percentage far beyond any setting.
func Percent(amount Amount, percentHundredths int64) Amount {
	negA, a := amount.abs()
	negP, p := Amount(percentHundredths).abs()
	hi, lo := bits.Mul64(a, p)
	if hi >= 10000 {
		panic("ledger: Percent overflows")
	}
	q, r := bits.Div64(hi, lo, 10000)
	neg := negA != negP
	if neg && r != 0 {
		q++ // round the magnitude up so that the negative result rounds down
	}
	if (!neg && q > 1<<63-1) || (neg && q > 1<<63) {
		panic("ledger: Percent overflows")
	}
	if neg {
		return Amount(-int64(q-1) - 1)
	}
	return Amount(q)
}
