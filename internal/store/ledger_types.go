package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/puntos/puntos/internal/ledger"
)

// ErrIdemMismatch reports a natural idempotency key (a ticket, a type+code)
// reused with different content: the APIs answer it as a conflict. The
// operation that returns it also returns the original transaction.
var ErrIdemMismatch = errors.New("idempotency key reused with different content")

// querier is what the ledger's unexported helpers need: a pgx.Tx (inside
// another store method's transaction) or the pool (plain reads).
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// TxInfo describes the business event a ledger transaction records. Only
// Type is required; zero values are stored as NULL / empty.
type TxInfo struct {
	// Type names the event, e.g. "POINTS ORDER", "WALLET SALE", "POINTS EXPIRED".
	Type string
	// Code is the client's code for the event ("" = none).
	Code string
	// IdemScope and IdemKey are the natural idempotency key, unique per
	// merchant: e.g. scope "wallet:12:ticket" with the ticket, or scope
	// "type:POINTS ORDER" with the code. Both empty = no natural key.
	IdemScope, IdemKey string
	// Fingerprint is a digest of the request content that carried the natural
	// key; a repeat with another fingerprint is ErrIdemMismatch. nil = not compared.
	Fingerprint []byte
	// Title and Description are free text shown in histories.
	Title, Description string
	// ExternalEntityID is the client's id of the entity (order, ticket...) behind the event.
	ExternalEntityID string
	// StoreID and CollaboratorID link the event to a store and a staff user (0 = none).
	StoreID, CollaboratorID int64
	// Purchase is the sale's money in hundredths (0 = the event has none).
	Purchase ledger.Amount
	// Data holds API-specific extras as JSON (nil = none); it is the only
	// column of a ledger transaction that may be updated later.
	Data json.RawMessage
}

// Tx is a stored ledger transaction.
type Tx struct {
	ID int64
	TxInfo
	// ReversesTxID is the transaction this one reverses (0 = not a reversal).
	ReversesTxID int64
	// ReversedByID is the reversal of this transaction (0 = not reversed),
	// filled by reads; a freshly posted transaction has none.
	ReversedByID int64
	CreatedAt    time.Time
}

// BatchSpec asks for a credit into a batch (lote). The batch is found by its
// content (set name, dates) or created, so credits expiring on the same date
// in the same set share one batch and one account per holder.
type BatchSpec struct {
	SetName string
	// StartDate and EndDate are informative dates of the batch (zero = none).
	StartDate, EndDate time.Time
	// ExpiresAt is when the batch's points stop counting; it must be after the store clock.
	ExpiresAt time.Time
}

// Posted is the outcome of a posting operation.
type Posted struct {
	// Tx is the stored transaction: the new one, or the original on a replay.
	Tx Tx
	// Postings are the transaction's postings in order.
	Postings []ledger.Posting
	// Unit is the unit the transaction moved.
	Unit ledger.Unit
	// Balance is the holder's available balance in Unit right after the
	// transaction, as of the store clock (expired batches excluded). For a
	// transfer leg it is that leg's holder; for an expiry, the expired holder.
	Balance ledger.Amount
	// Replayed is true when the natural idempotency key already existed:
	// nothing was posted and Tx/Postings are the original's (Balance is the
	// current one). Callers must then skip their own side effects too.
	Replayed bool
}

// AccountView is one holder account as the APIs list it (seed 003's totals).
type AccountView struct {
	ledger.Account
	// Batch is the account's batch, nil for the non-expiring account.
	Batch *ledger.Batch
}

func nullIfZero(n int64) *int64 {
	if n == 0 {
		return nil
	}
	return &n
}

func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
