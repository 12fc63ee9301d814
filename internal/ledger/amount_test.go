package ledger

import (
	"errors"
	"math"
	"math/big"
	"testing"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Amount
		err  error
	}{
		{"OK whole", "1000", 100000, nil},
		{"OK one place", "99.5", 9950, nil},
		{"OK two places", "99.50", 9950, nil},
		{"OK hundredth", "0.01", 1, nil},
		{"OK zero", "0", 0, nil},
		{"OK zero with places", "0.00", 0, nil},
		{"OK leading zeros", "007.5", 750, nil},
		{"OK many leading zeros", "00000000000001", 100, nil},
		{"OK maximum", "1000000000", MaxAmount, nil},
		{"OK maximum with places", "1000000000.00", MaxAmount, nil},
		{"ErrBadAmount over maximum by a hundredth", "1000000000.01", 0, ErrBadAmount},
		{"ErrBadAmount over maximum", "1000000001", 0, ErrBadAmount},
		{"ErrBadAmount huge", "99999999999999999999999", 0, ErrBadAmount},
		{"ErrBadAmount empty", "", 0, ErrBadAmount},
		{"ErrBadAmount letters", "abc", 0, ErrBadAmount},
		{"ErrBadAmount exponent", "1e3", 0, ErrBadAmount},
		{"ErrBadAmount NaN", "NaN", 0, ErrBadAmount},
		{"ErrBadAmount Inf", "Inf", 0, ErrBadAmount},
		{"ErrBadAmount plus sign", "+5", 0, ErrBadAmount},
		{"ErrBadAmount negative", "-5", 0, ErrBadAmount},
		{"ErrBadAmount negative zero", "-0", 0, ErrBadAmount},
		{"ErrBadAmount no integer part", ".5", 0, ErrBadAmount},
		{"ErrBadAmount trailing dot", "5.", 0, ErrBadAmount},
		{"ErrBadAmount three places", "1.005", 0, ErrBadAmount},
		{"ErrBadAmount two dots", "1.0.0", 0, ErrBadAmount},
		{"ErrBadAmount comma", "1,5", 0, ErrBadAmount},
		{"ErrBadAmount space", " 5", 0, ErrBadAmount},
		{"ErrBadAmount trailing space", "5 ", 0, ErrBadAmount},
		{"ErrBadAmount hex", "0x10", 0, ErrBadAmount},
		{"ErrBadAmount underscore", "1_000", 0, ErrBadAmount},
		{"ErrBadAmount non-ASCII digit", "١٢", 0, ErrBadAmount},
		{"ErrBadAmount dot only", ".", 0, ErrBadAmount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAmount(tt.in)
			if !errors.Is(err, tt.err) {
				t.Fatalf("ParseAmount(%q) error = %v, want %v", tt.in, err, tt.err)
			}
			if got != tt.want {
				t.Errorf("ParseAmount(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestAmountFormatting(t *testing.T) {
	tests := []struct {
		name       string
		in         Amount
		wantString string
		wantNumber string
	}{
		{"zero", 0, "0.00", "0"},
		{"hundredth", 1, "0.01", "0.01"},
		{"tenths", 15250, "152.50", "152.5"},
		{"whole", 15200, "152.00", "152"},
		{"both places", 1234, "12.34", "12.34"},
		{"negative", -1250, "-12.50", "-12.5"},
		{"negative hundredth", -5, "-0.05", "-0.05"},
		{"maximum", MaxAmount, "1000000000.00", "1000000000"},
		{"min int64", math.MinInt64, "-92233720368547758.08", "-92233720368547758.08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.String(); got != tt.wantString {
				t.Errorf("String() = %q, want %q", got, tt.wantString)
			}
			if got := tt.in.NumberText(); got != tt.wantNumber {
				t.Errorf("NumberText() = %q, want %q", got, tt.wantNumber)
			}
			if got := string(tt.in.AppendNumber([]byte("x"))); got != "x"+tt.wantNumber {
				t.Errorf("AppendNumber(x) = %q, want %q", got, "x"+tt.wantNumber)
			}
		})
	}
}

func TestAmountFloat64(t *testing.T) {
	if got, want := Amount(15250).Float64(), 152.5; got != want {
		t.Errorf("Float64() = %v, want %v", got, want)
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		name    string
		amount  Amount
		percent int64
		want    Amount
	}{
		{"five percent exact", 10000, 500, 500},
		{"rounds down", 999, 500, 49},                 // 0.4995 → 0.49
		{"rounds down below a hundredth", 19, 500, 0}, // 0.0095 → 0.00
		{"fractional percent", 10000, 1250, 1250},     // 12.50% of 100.00
		{"zero percent", 10000, 0, 0},
		{"hundred percent", 12345, 10000, 12345},
		{"maximum amount at hundred percent", MaxAmount, 10000, MaxAmount},
		{"maximum amount at odd percent", MaxAmount, 333, 3330000000},
		{"negative rounds toward minus infinity", -999, 500, -50},
		{"huge percent without overflow", MaxAmount, 1 << 36, Amount(new(big.Int).Div(new(big.Int).Mul(big.NewInt(int64(MaxAmount)), big.NewInt(1<<36)), big.NewInt(10000)).Int64())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Percent(tt.amount, tt.percent); got != tt.want {
				t.Errorf("Percent(%d, %d) = %d, want %d", tt.amount, tt.percent, got, tt.want)
			}
		})
	}
}

func TestPercentPanicsOnOverflow(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Percent did not panic on a result beyond int64")
		}
	}()
	Percent(math.MaxInt64, math.MaxInt64)
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1000", "99.5", "0.01", "-0", "1e3", ".5", "1000000000.01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAmount(s)
		if err != nil {
			if !errors.Is(err, ErrBadAmount) {
				t.Fatalf("ParseAmount(%q) error = %v, want ErrBadAmount", s, err)
			}
			return
		}
		if a < 0 || a > MaxAmount {
			t.Fatalf("ParseAmount(%q) = %d, out of range", s, a)
		}
		back, err := ParseAmount(a.String())
		if err != nil || back != a {
			t.Fatalf("ParseAmount(%q) = %d; String %q parses back to %d, %v", s, a, a.String(), back, err)
		}
		if back, err := ParseAmount(a.NumberText()); err != nil || back != a {
			t.Fatalf("NumberText %q of %d parses back to %d, %v", a.NumberText(), a, back, err)
		}
		// An exact rational reading of the input must agree with the integer one.
		r, ok := new(big.Rat).SetString(s)
		if !ok || r.Cmp(new(big.Rat).SetFrac64(int64(a), 100)) != 0 {
			t.Fatalf("ParseAmount(%q) = %d disagrees with big.Rat %v", s, a, r)
		}
	})
}
