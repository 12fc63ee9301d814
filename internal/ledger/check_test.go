package ledger

import (
	"reflect"
	"testing"
)

func TestConserves(t *testing.T) {
	tests := []struct {
		name          string
		sums          map[Unit]Amount
		materialised  map[int64]Amount
		derived       map[int64]Amount
		allowNegative bool
		want          CheckReport
	}{
		{"OK empty ledger", nil, nil, nil, false,
			CheckReport{OK: true, SumsByUnit: map[Unit]Amount{}}},
		{"OK conserved", map[Unit]Amount{Points: 0, Stamps: 0}, map[int64]Amount{1: 500, 2: 0}, map[int64]Amount{1: 500}, false,
			CheckReport{OK: true, SumsByUnit: map[Unit]Amount{Points: 0, Stamps: 0}}},
		{"unbalanced unit", map[Unit]Amount{Stamps: 100, Points: 0, Coins: -1}, nil, nil, false,
			CheckReport{SumsByUnit: map[Unit]Amount{Stamps: 100, Points: 0, Coins: -1}, Unbalanced: []Unit{Coins, Stamps}}},
		{"mismatching accounts both ways", nil, map[int64]Amount{3: 10, 1: 500}, map[int64]Amount{1: 400, 2: 7}, false,
			CheckReport{SumsByUnit: map[Unit]Amount{}, Mismatches: []Mismatch{{1, 500, 400}, {2, 0, 7}, {3, 10, 0}}}},
		{"negative account fails by default", nil, map[int64]Amount{5: -100}, map[int64]Amount{5: -100}, false,
			CheckReport{SumsByUnit: map[Unit]Amount{}, Negative: []int64{5}}},
		{"OK negative account listed when allowed", nil, map[int64]Amount{5: -100}, map[int64]Amount{5: -100}, true,
			CheckReport{OK: true, SumsByUnit: map[Unit]Amount{}, Negative: []int64{5}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Conserves(tt.sums, tt.materialised, tt.derived, nil, tt.allowNegative); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Conserves() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// Postings naming a transaction the ledger does not hold fail the check
// even when every sum is right: nothing in the database forbids them.
func TestConservesMissingTransactions(t *testing.T) {
	got := Conserves(map[Unit]Amount{Points: 0}, map[int64]Amount{1: 500}, map[int64]Amount{1: 500}, []int64{9, 4}, true)
	want := CheckReport{SumsByUnit: map[Unit]Amount{Points: 0}, MissingTx: []int64{4, 9}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Conserves() = %+v, want %+v", got, want)
	}
}
