package ledger

import "fmt"

// Reverse returns the mirror image of a transaction's postings: each moved back between the same accounts (same batches), same amounts, same order.
func Reverse(original []Posting) []Posting {
	mirror := make([]Posting, len(original))
	for i, p := range original {
		mirror[i] = Posting{From: p.To, To: p.From, Amount: p.Amount}
	}
	return mirror
}

// TxInfo is what CheckReversible needs to know about the transaction to reverse.
type TxInfo struct {
	IsReversal bool  // the transaction is itself a reversal
	ReversedBy int64 // id of its reversal, 0 = not reversed
}

// CheckReversible enforces "a transaction is reversed at most once, and a reversal never": ErrReversalOfReversal, else ErrAlreadyReversed.
//
// The store must read ReversedBy under the same lock that guards writing it
// (e.g. a unique index on the reversed transaction id), or two concurrent
// reversals could both pass.
func CheckReversible(tx TxInfo) error {
	if tx.IsReversal {
		return ErrReversalOfReversal
	}
	if tx.ReversedBy != 0 {
		return ErrAlreadyReversed
	}
	return nil
}

// ReversalShortfall reports ErrInsufficientFunds if applying the reversal postings (Reverse's output) would leave a holder's account below zero and negatives are not allowed.
//
// balances are the stored balances of the holder accounts the reversal takes
// from (missing = 0), read under lock. Stored, not available, balances are
// the right measure: the reversal returns points to the very batches they
// came from, so a batch that expired but was not yet swept can still give its
// points back, while one the expiry job already emptied cannot: its points
// are gone like spent ones. System accounts may always go negative.
func ReversalShortfall(postings []Posting, balances map[AccountKey]Amount, allowNegative bool) error {
	if allowNegative {
		return nil
	}
	net := Net(postings)
	// Walk postings rather than the map so that the reported account is deterministic.
	for _, p := range postings {
		k := p.From
		if k.Owner.IsSystem() || net[k] >= 0 {
			continue
		}
		if balances[k]+net[k] < 0 {
			return fmt.Errorf("%v has %v, reversal takes %v: %w", k, balances[k], -net[k], ErrInsufficientFunds)
		}
	}
	return nil
}
