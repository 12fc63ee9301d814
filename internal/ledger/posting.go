package ledger

import "fmt"

// Posting moves a positive Amount from one account to another of the same unit.
//
// A transaction is a list of postings; since each posting takes from one
// account exactly what it gives to the other, every transaction sums to zero
// per unit by construction.
type Posting struct {
	From, To AccountKey
	Amount   Amount
}

// Validate checks a transaction's postings before the store writes them: ErrNoPostings, ErrBadAmount (not positive), ErrUnknownUnit, ErrUnitMismatch or ErrSameAccount, wrapped with the posting's index.
func Validate(postings []Posting) error {
	if len(postings) == 0 {
		return ErrNoPostings
	}
	for i, p := range postings {
		var err error
		switch {
		case !p.Amount.Positive():
			err = ErrBadAmount
		case !p.From.Unit.Valid() || !p.To.Unit.Valid():
			err = ErrUnknownUnit
		case p.From.Unit != p.To.Unit:
			err = ErrUnitMismatch
		case p.From == p.To:
			err = ErrSameAccount
		}
		if err != nil {
			return fmt.Errorf("posting %d (%v → %v, %v): %w", i, p.From, p.To, p.Amount, err)
		}
	}
	return nil
}

// Net returns each touched account's balance change: what it received minus what it gave; accounts netting to zero are left out.
func Net(postings []Posting) map[AccountKey]Amount {
	net := make(map[AccountKey]Amount, 2*len(postings))
	for _, p := range postings {
		net[p.From] -= p.Amount
		net[p.To] += p.Amount
	}
	for k, v := range net {
		if v == 0 {
			delete(net, k)
		}
	}
	return net
}

// Credit returns the single posting of a credit, e.g. SystemIssued → a holder's (batch) account for an earning; run Validate on the result.
func Credit(from, to AccountKey, amount Amount) []Posting {
	return []Posting{{From: from, To: to, Amount: amount}}
}
