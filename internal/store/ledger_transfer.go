package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// transfer moves amount from one holder to another in unit, FIFO from the
// sender's batches, keeping each batch (points keep their expiry), as two
// ledger transactions: debitInfo's (sender → SystemTransfer) and
// creditInfo's (SystemTransfer → receiver), each balanced and reversible on
// its own. Three round trips: both holders' accounts are locked FOR UPDATE in
// one statement in account-id order, so A→B and B→A at once never deadlock
// (a residual deadlock on accounts created meanwhile is retried by inTx),
// then one write per leg. A natural key on debitInfo replays the transfer:
// the debit leg is the original, the credit leg is found by creditInfo's
// natural key (give both legs keys) or left zero. Extra errors:
// ledger.ErrSameCustomer, ledger.ErrSystemOwner.
func (s *Store) transfer(ctx context.Context, tx pgx.Tx, merchantID int64, debitInfo, creditInfo TxInfo, from, to ledger.Owner, unit ledger.Unit, amount ledger.Amount) (debit, credit Posted, err error) {
	if err := ledger.CheckTransfer(from, to); err != nil {
		return Posted{}, Posted{}, err
	}
	if err := checkHolder(from, unit, amount); err != nil {
		return Posted{}, Posted{}, err
	}
	accounts, orig, err := s.lockHolders(ctx, tx, merchantID, unit, debitInfo, from, to)
	if err != nil {
		return Posted{}, Posted{}, err
	}
	if orig != nil {
		return s.replayTransfer(ctx, tx, merchantID, *orig, debitInfo, creditInfo, from, to)
	}
	direct, err := ledger.Transfer(accounts[from], to, amount, s.clock.Now())
	if err != nil {
		return Posted{}, Posted{}, err
	}
	debitPostings, creditPostings := ledger.TransferLegs(direct)
	expires := expiries(accounts[from])
	for k, t := range expiries(accounts[from]) {
		k.Owner = to // the receiver's account in the same batch expires with it
		expires[k] = t
	}
	debit, err = s.post(ctx, tx, merchantID, plan{info: debitInfo, postings: debitPostings, expires: expires, holder: from, unit: unit})
	if err != nil {
		return Posted{}, Posted{}, err
	}
	credit, err = s.post(ctx, tx, merchantID, plan{info: creditInfo, postings: creditPostings, expires: expires, holder: to, unit: unit})
	if err != nil {
		return Posted{}, Posted{}, err
	}
	return debit, credit, nil
}

// replayTransfer answers a transfer whose debit leg's natural key exists.
func (s *Store) replayTransfer(ctx context.Context, q querier, merchantID int64, orig Tx, debitInfo, creditInfo TxInfo, from, to ledger.Owner) (Posted, Posted, error) {
	debit, err := s.replayOf(ctx, q, merchantID, orig, debitInfo.Fingerprint, from)
	if err != nil {
		return debit, Posted{}, err
	}
	credit := Posted{Replayed: true}
	if creditInfo.IdemKey != "" {
		tx, err := s.txByIdem(ctx, q, merchantID, creditInfo.IdemScope, creditInfo.IdemKey)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return debit, Posted{}, err
		}
		if err == nil {
			if credit, err = s.replayOf(ctx, q, merchantID, tx, nil, to); err != nil {
				return debit, Posted{}, err
			}
		}
	}
	return debit, credit, nil
}

// Transfer runs transfer in its own transaction: amount moved FIFO from one
// holder to another keeping batches, as a debit and a credit transaction.
// See transfer for locks and errors.
func (s *Store) Transfer(ctx context.Context, merchantID int64, debitInfo, creditInfo TxInfo, from, to ledger.Owner, unit ledger.Unit, amount ledger.Amount) (debit, credit Posted, err error) {
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		debit, credit, err = s.transfer(ctx, tx, merchantID, debitInfo, creditInfo, from, to, unit, amount)
		return err
	})
	return debit, credit, err
}
