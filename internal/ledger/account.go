package ledger

import (
	"strconv"
	"time"
)

// OwnerKind says who holds an account; each API family has its own kind of holder.
type OwnerKind string

// The kinds of account holder.
const (
	// OwnerCustomer is a JSON-API (OAuth) customer, identified there by its externalId.
	OwnerCustomer OwnerKind = "customer"
	// OwnerWalletMember is an agenda contact enrolled in a cashback wallet.
	OwnerWalletMember OwnerKind = "wallet_member"
	// OwnerCardMember is an agenda contact enrolled in a stamp card.
	OwnerCardMember OwnerKind = "card_member"
	// OwnerSystem is one of the merchant's system accounts; its ID is one of the System* constants.
	OwnerSystem OwnerKind = "system"
)

// The ids of the merchant's system accounts (Owner{Kind: OwnerSystem, ID: ...}).
//
// System accounts are batch-less, may go negative, and their balances are
// never stored: they are derived from postings, so that no shared row is
// updated (and locked) by every sale.
const (
	// SystemIssued is the source of every earned point, coin and stamp.
	SystemIssued int64 = 1
	// SystemRedeemed receives what holders spend.
	SystemRedeemed int64 = 2
	// SystemExpired receives the balances of expired batches.
	SystemExpired int64 = 3
	// SystemAdjustment is the other side of manual balance updates.
	SystemAdjustment int64 = 4
	// SystemCompleted receives a card's stamps when the card completes.
	SystemCompleted int64 = 5
	// SystemTransfer holds points between the two legs of a transfer recorded as two transactions.
	SystemTransfer int64 = 6
)

// Owner identifies an account holder within one merchant.
type Owner struct {
	Kind OwnerKind
	ID   int64
}

// System returns the owner of the system account with the given System* id.
func System(id int64) Owner { return Owner{Kind: OwnerSystem, ID: id} }

// IsSystem reports whether o is a system account holder, which may go negative.
func (o Owner) IsSystem() bool { return o.Kind == OwnerSystem }

// String renders o as "kind:id" for error messages and logs.
func (o Owner) String() string { return string(o.Kind) + ":" + strconv.FormatInt(o.ID, 10) }

// Batch is a parcel of credited points (lote) that expires as a whole.
//
// Non-expiring points do not live in a batch but in the holder's account with
// BatchID 0, so a batch always has an expiration date.
type Batch struct {
	ID                 int64
	SetName            string
	StartDate, EndDate time.Time
	ExpiresAt          time.Time
}

// Validate checks a batch about to receive a credit: ErrBadBatch without an expiry or with EndDate before StartDate, ErrExpired if it expires at or before now.
func (b Batch) Validate(now time.Time) error {
	if b.ExpiresAt.IsZero() {
		return ErrBadBatch
	}
	if !b.StartDate.IsZero() && !b.EndDate.IsZero() && b.EndDate.Before(b.StartDate) {
		return ErrBadBatch
	}
	if !now.Before(b.ExpiresAt) {
		return ErrExpired
	}
	return nil
}

// AccountKey names an account: holder, unit and batch (0 = the holder's non-expiring account).
type AccountKey struct {
	Owner   Owner
	Unit    Unit
	BatchID int64
}

// SystemAccount returns the key of a merchant's system account in unit u; system accounts never carry a batch.
func SystemAccount(id int64, u Unit) AccountKey {
	return AccountKey{Owner: System(id), Unit: u}
}

// String renders k as "kind:id/UNIT[/batch]" for error messages and logs.
func (k AccountKey) String() string {
	s := k.Owner.String() + "/" + k.Unit.String()
	if k.BatchID != 0 {
		s += "/batch:" + strconv.FormatInt(k.BatchID, 10)
	}
	return s
}

// Account is a stored account with its materialised balance, as the store loads it under lock.
type Account struct {
	ID        int64
	Key       AccountKey
	Balance   Amount
	ExpiresAt time.Time // zero = never; a batch account carries its batch's expiry
}

// Expired reports whether the account's points are expired at now: expiry is inclusive, so points expiring at 10:00 are gone at 10:00.
func (a Account) Expired(now time.Time) bool {
	return !a.ExpiresAt.IsZero() && !now.Before(a.ExpiresAt)
}

// Available returns the balance as of now: the sum over accounts that have not expired.
//
// Expired batches are excluded even before the expiry job has removed them
// (ledger invariant 6). Negative accounts (left by a reversal that was allowed
// to go negative) count, so they must be covered before anything is spendable.
func Available(accounts []Account, now time.Time) Amount {
	var sum Amount
	for _, a := range accounts {
		if !a.Expired(now) {
			sum += a.Balance
		}
	}
	return sum
}
