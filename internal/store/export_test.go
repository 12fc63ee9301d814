package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Hooks for the external tests (package store_test cannot see unexported
// names, and testdb imports store, so the tests live outside).

// RollupShard exposes rollupShard.
var RollupShard = rollupShard

// InterpretError exposes interpretError.
var InterpretError = interpretError

// WalletSalesInOneBatch runs ins as one batch of wallet sales, in order,
// then the sales the batch sent to run alone, and returns every answer.
func (s *Store) WalletSalesInOneBatch(ctx context.Context, m Merchant, ins []SaleInput) ([]SaleResult, []error) {
	return s.WalletSalesInOneBatchCtx(sameContext(ctx, len(ins)), m, ins)
}

// WalletSalesInOneBatchCtx is WalletSalesInOneBatch with a context per sale
// (each its own request, e.g. its own Idempotency-Key reservation).
func (s *Store) WalletSalesInOneBatchCtx(ctxs []context.Context, m Merchant, ins []SaleInput) ([]SaleResult, []error) {
	return inOneBatch(s.wallet, ctxs, m, ins)
}

// CardSalesInOneBatch is WalletSalesInOneBatch for card stamps.
func (s *Store) CardSalesInOneBatch(ctx context.Context, m Merchant, ins []SaleInput) ([]SaleResult, []error) {
	return s.CardSalesInOneBatchCtx(sameContext(ctx, len(ins)), m, ins)
}

// CardSalesInOneBatchCtx is WalletSalesInOneBatchCtx for card stamps.
func (s *Store) CardSalesInOneBatchCtx(ctxs []context.Context, m Merchant, ins []SaleInput) ([]SaleResult, []error) {
	return inOneBatch(s.card, ctxs, m, ins)
}

func sameContext(ctx context.Context, n int) []context.Context {
	ctxs := make([]context.Context, n)
	for i := range ctxs {
		ctxs[i] = ctx
	}
	return ctxs
}

func inOneBatch(b *saleBatcher, ctxs []context.Context, m Merchant, ins []SaleInput) ([]SaleResult, []error) {
	jobs := make([]*saleJob, len(ins))
	for i, in := range ins {
		jobs[i] = &saleJob{waiter: newWaiter(ctxs[i]), m: m, in: in}
	}
	b.lanes.runBatch(jobs)
	res, errs := make([]SaleResult, len(ins)), make([]error, len(ins))
	for i, j := range jobs {
		res[i], errs[i] = j.res, j.err
		if j.alone {
			res[i], errs[i] = b.alone(ctxs[i], m, j.in)
		}
	}
	return res, errs
}

// WalletSaleAlone exposes walletSaleAlone.
func (s *Store) WalletSaleAlone(ctx context.Context, m Merchant, in SaleInput) (SaleResult, error) {
	return s.walletSaleAlone(ctx, m, in)
}

// CardSaleAlone exposes cardSaleAlone.
func (s *Store) CardSaleAlone(ctx context.Context, m Merchant, in SaleInput) (SaleResult, error) {
	return s.cardSaleAlone(ctx, m, in)
}

// ExecInTx runs sql in the store's transaction helper (inTx), as a store
// write would.
func (s *Store) ExecInTx(ctx context.Context, sql string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, sql)
		return err
	})
}

// RunInTx exposes runInTx.
var RunInTx = runInTx

// SendLast exposes sendLast.
var SendLast = sendLast
