// Package ledger is the pure domain core of the points ledger: amounts, units,
// accounts, batches, postings, FIFO consumption, transfers, reversals, expiry,
// stamp-card completion and the conservation check.
//
// It imports only the standard library and never touches storage. The store
// calls these functions inside one database transaction, after it has locked
// the holder's accounts (in account-id order, to avoid deadlocks), and then
// persists the postings they return. Everything here works within a single
// merchant: the store adds merchant_id to every key it persists.
//
// System accounts (issued, redeemed, expired, ...) are batch-less and may go
// negative; their balances are derived from postings rather than stored, so no
// shared row is updated per sale.
package ledger
