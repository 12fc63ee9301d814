package ledger

import "time"

// ExpirePostings plans the expiry of one account: if it is a holder's account past its ExpiresAt with a positive balance, one posting of the whole balance to the unit's SystemExpired account, and true.
//
// The expiry job calls it per batch account under lock (SKIP LOCKED), so a
// second run finds the balance at zero and does nothing: expiry is
// idempotent. Points a reversal restores into an already expired batch are
// caught by the next run the same way. System accounts never expire.
func ExpirePostings(acc Account, now time.Time) ([]Posting, bool) {
	if acc.Key.Owner.IsSystem() || !acc.Expired(now) || acc.Balance <= 0 {
		return nil, false
	}
	return Credit(acc.Key, SystemAccount(SystemExpired, acc.Key.Unit), acc.Balance), true
}
