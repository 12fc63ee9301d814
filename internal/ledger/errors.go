package ledger

import "errors"

// Sentinel errors; callers match them with errors.Is and map them to each
// API's own code, message and status at the HTTP boundary.
var (
	// ErrBadAmount reports an amount that is malformed, out of range, or not positive where it must be.
	ErrBadAmount = errors.New("ledger: bad amount")
	// ErrUnknownUnit reports a unit name or id that the ledger does not count.
	ErrUnknownUnit = errors.New("ledger: unknown unit")
	// ErrInsufficientFunds reports a debit larger than the holder's available balance.
	ErrInsufficientFunds = errors.New("ledger: insufficient funds")
	// ErrAlreadyReversed reports a reversal of a transaction that already has one.
	ErrAlreadyReversed = errors.New("ledger: transaction already reversed")
	// ErrReversalOfReversal reports an attempt to reverse a reversal.
	ErrReversalOfReversal = errors.New("ledger: a reversal cannot be reversed")
	// ErrSameAccount reports a posting whose source and destination are the same account.
	ErrSameAccount = errors.New("ledger: posting from an account to itself")
	// ErrSameCustomer reports a transfer whose sender and receiver are the same owner.
	ErrSameCustomer = errors.New("ledger: transfer to the same customer")
	// ErrUnitMismatch reports a posting or account set mixing units.
	ErrUnitMismatch = errors.New("ledger: unit mismatch")
	// ErrNoPostings reports a transaction with no postings.
	ErrNoPostings = errors.New("ledger: transaction without postings")
	// ErrMixedAccounts reports an account set that is not exactly one owner's accounts in one unit (different owners, or a key twice).
	ErrMixedAccounts = errors.New("ledger: accounts of different holders or duplicated")
	// ErrSystemOwner reports a customer-only operation (transfer) aimed at a system account.
	ErrSystemOwner = errors.New("ledger: operation not allowed on a system account")
	// ErrExpired reports a batch whose expiration date is not in the future.
	ErrExpired = errors.New("ledger: expired")
	// ErrBadBatch reports a batch without an expiration date or with its end before its start.
	ErrBadBatch = errors.New("ledger: bad batch")
	// ErrBadStampCount reports a stamp card state or stamps-to-complete setting that cannot be.
	ErrBadStampCount = errors.New("ledger: bad stamp count")
)
