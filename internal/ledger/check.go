package ledger

import (
	"maps"
	"slices"
)

// Mismatch is a holder account whose stored balance differs from the sum of its postings.
type Mismatch struct {
	AccountID    int64
	Materialised Amount // the stored balance (0 if the row is missing)
	Derived      Amount // received minus given over all its postings (0 if it has none)
}

// CheckReport is the admin ledger-check answer: the invariants of ledger.md that can be verified by summing.
type CheckReport struct {
	OK         bool            // every unit sums to zero, no mismatch, no missing transaction, and no disallowed negative
	SumsByUnit map[Unit]Amount // signed sum of all postings per unit; zero when conserved
	Unbalanced []Unit          // units whose sum is not zero, ascending
	Mismatches []Mismatch      // ascending by account id
	Negative   []int64         // holder accounts with a negative derived balance, ascending
	MissingTx  []int64         // transaction ids that postings name and the ledger does not hold, ascending
}

// Conserves builds the CheckReport from sums the store computed in one snapshot: the signed posting sum per unit, and the stored and derived balances of holder accounts.
//
// materialised and derived cover holder accounts only, keyed by account id:
// system balances are never stored, so there is nothing to compare. An
// account in one map and not the other counts as 0 there. Negative accounts
// are always listed but fail the check only when allowNegative (the
// merchant's setting for reversals) is off, since reversals may legitimately
// leave them otherwise. missingTx are the transaction ids that postings name
// and the ledger does not hold (nothing in the database forbids them: see
// migration 0012); any fails the check.
func Conserves(sumsByUnit map[Unit]Amount, materialised, derived map[int64]Amount, missingTx []int64, allowNegative bool) CheckReport {
	r := CheckReport{SumsByUnit: maps.Clone(sumsByUnit), MissingTx: slices.Sorted(slices.Values(missingTx))}
	if r.SumsByUnit == nil {
		r.SumsByUnit = map[Unit]Amount{}
	}
	for u, sum := range sumsByUnit {
		if sum != 0 {
			r.Unbalanced = append(r.Unbalanced, u)
		}
	}
	slices.Sort(r.Unbalanced)

	ids := slices.Collect(maps.Keys(materialised))
	for id := range derived {
		if _, ok := materialised[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		m, d := materialised[id], derived[id]
		if m != d {
			r.Mismatches = append(r.Mismatches, Mismatch{AccountID: id, Materialised: m, Derived: d})
		}
		if d < 0 {
			r.Negative = append(r.Negative, id)
		}
	}
	r.OK = len(r.Unbalanced) == 0 && len(r.Mismatches) == 0 && len(r.MissingTx) == 0 && (allowNegative || len(r.Negative) == 0)
	return r
}
