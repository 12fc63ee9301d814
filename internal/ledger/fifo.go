package ledger

import (
	"cmp"
	"slices"
	"time"
)

// FIFOOrder returns a sorted copy of accounts in the order debits consume them: batches expiring first (ties by batch id), then non-expiring accounts, the batch-less account last.
//
// The same order answers "soonest expiry first" listings, so the API and the
// debits agree on which points go first.
func FIFOOrder(accounts []Account) []Account {
	sorted := slices.Clone(accounts)
	slices.SortStableFunc(sorted, func(a, b Account) int {
		// A zero ExpiresAt means never, so it sorts after every date.
		if c := cmp.Compare(boolInt(a.ExpiresAt.IsZero()), boolInt(b.ExpiresAt.IsZero())); c != 0 {
			return c
		}
		if c := a.ExpiresAt.Compare(b.ExpiresAt); c != 0 {
			return c
		}
		if c := cmp.Compare(boolInt(a.Key.BatchID == 0), boolInt(b.Key.BatchID == 0)); c != 0 {
			return c
		}
		return cmp.Compare(a.Key.BatchID, b.Key.BatchID)
	})
	return sorted
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Spend debits amount from one holder's accounts in FIFO order, returning one posting per consumed account to the account to.
//
// accounts must be ALL of one holder's accounts in one unit, in any order,
// as the store loaded them under lock; otherwise ErrMixedAccounts. Expired
// accounts are skipped (expired points cannot be spent) and accounts at or
// below zero give nothing. It fails with ErrBadAmount if amount is not
// positive, ErrUnitMismatch for a to in another unit,
// ErrSameAccount for a to of the same holder, and
// ErrInsufficientFunds if amount exceeds Available.
func Spend(accounts []Account, amount Amount, now time.Time, to AccountKey) ([]Posting, error) {
	if len(accounts) > 0 {
		// Checked up front, not per posting, so that a bad destination fails the
		// same way whichever accounts the amount happens to reach.
		if from := accounts[0].Key; to.Unit != from.Unit {
			return nil, ErrUnitMismatch
		} else if to.Owner == from.Owner {
			return nil, ErrSameAccount
		}
	}
	return consume(accounts, amount, now, func(AccountKey) AccountKey { return to })
}

// consume plans a FIFO debit of amount from accounts, one posting per account it takes from, to the account dest names for it; the shared core of Spend and Transfer.
func consume(accounts []Account, amount Amount, now time.Time, dest func(from AccountKey) AccountKey) ([]Posting, error) {
	if !amount.Positive() {
		return nil, ErrBadAmount
	}
	if err := checkAccountSet(accounts); err != nil {
		return nil, err
	}
	// Checking the net available balance first means a negative account must be
	// covered before anything is spent, even though only positive accounts give.
	if amount > Available(accounts, now) {
		return nil, ErrInsufficientFunds
	}
	var postings []Posting
	left := amount
	for _, a := range FIFOOrder(accounts) {
		if left == 0 {
			break
		}
		if a.Expired(now) || a.Balance <= 0 {
			continue
		}
		take := min(a.Balance, left)
		postings = append(postings, Posting{From: a.Key, To: dest(a.Key), Amount: take})
		left -= take
	}
	return postings, nil
}

// checkAccountSet rejects account sets that are not one holder's distinct accounts in one unit: planning over them would silently mix holders.
func checkAccountSet(accounts []Account) error {
	if len(accounts) == 0 {
		return nil
	}
	first := accounts[0].Key
	seen := make(map[AccountKey]bool, len(accounts))
	for _, a := range accounts {
		if a.Key.Owner != first.Owner || seen[a.Key] {
			return ErrMixedAccounts
		}
		if a.Key.Unit != first.Unit {
			return ErrUnitMismatch
		}
		seen[a.Key] = true
	}
	return nil
}
