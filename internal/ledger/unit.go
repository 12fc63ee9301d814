package ledger

import "strconv"

// Unit is what an account counts; its numeric id is the one seed 003 shows in unit objects.
type Unit int16

// The units the ledger counts.
const (
	// Points are loyalty points: wallet cashback and the JSON API's POINTS.
	Points Unit = 1
	// Coins are the JSON API's prepaid balance (COINS, sign "$").
	Coins Unit = 2
	// Stamps are stamp-card stamps, one stamp being Amount 100.
	Stamps Unit = 3
)

var unitNames = map[Unit][2]string{
	Points: {"POINTS", "PTS"},
	Coins:  {"COINS", "$"},
	Stamps: {"STAMPS", "STAMPS"},
}

// Valid reports whether u is one of the units the ledger counts.
func (u Unit) Valid() bool { _, ok := unitNames[u]; return ok }

// Name returns the unit's API name ("POINTS"), or "" for an unknown unit.
func (u Unit) Name() string { return unitNames[u][0] }

// Sign returns the unit's display sign ("PTS", "$"), or "" for an unknown unit.
func (u Unit) Sign() string { return unitNames[u][1] }

// String returns the unit's name, or "Unit(N)" for an unknown one, so that logs never show an empty unit.
func (u Unit) String() string {
	if !u.Valid() {
		return "Unit(" + strconv.Itoa(int(u)) + ")"
	}
	return u.Name()
}

// ParseUnit returns the unit with the given API name (exact, upper case), or ErrUnknownUnit.
func ParseUnit(name string) (Unit, error) {
	for u, n := range unitNames {
		if n[0] == name {
			return u, nil
		}
	}
	return 0, ErrUnknownUnit
}
