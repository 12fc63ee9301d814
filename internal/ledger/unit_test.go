package ledger

import (
	"errors"
	"testing"
)

func TestUnitNames(t *testing.T) {
	tests := []struct {
		name           string
		unit           Unit
		wantName, sign string
		wantID         int16
	}{
		{"Points", Points, "POINTS", "PTS", 1},
		{"Coins", Coins, "COINS", "$", 2},
		{"Stamps", Stamps, "STAMPS", "STAMPS", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.unit.Name(); got != tt.wantName {
				t.Errorf("Name() = %q, want %q", got, tt.wantName)
			}
			if got := tt.unit.Sign(); got != tt.sign {
				t.Errorf("Sign() = %q, want %q", got, tt.sign)
			}
			if got := int16(tt.unit); got != tt.wantID {
				t.Errorf("id = %d, want %d", got, tt.wantID)
			}
			got, err := ParseUnit(tt.wantName)
			if err != nil || got != tt.unit {
				t.Errorf("ParseUnit(%q) = %v, %v; want %v", tt.wantName, got, err, tt.unit)
			}
		})
	}
}

func TestParseUnit(t *testing.T) {
	for _, name := range []string{"", "points", "PTS", "$", "MILES"} {
		t.Run("ErrUnknownUnit "+name, func(t *testing.T) {
			if _, err := ParseUnit(name); !errors.Is(err, ErrUnknownUnit) {
				t.Errorf("ParseUnit(%q) error = %v, want ErrUnknownUnit", name, err)
			}
		})
	}
}

func TestUnknownUnit(t *testing.T) {
	u := Unit(9)
	if u.Valid() || u.Name() != "" || u.Sign() != "" {
		t.Errorf("Unit(9): Valid %v Name %q Sign %q, want false, empty, empty", u.Valid(), u.Name(), u.Sign())
	}
	if got, want := u.String(), "Unit(9)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
