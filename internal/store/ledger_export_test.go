package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// PostUnchecked writes a debit of amount from the holder's non-expiring
// POINTS account to SystemRedeemed without the Go-side funds check, so that a
// test can show the database's conditional update refusing an overdraft.
func (s *Store) PostUnchecked(ctx context.Context, merchantID int64, owner ledger.Owner, amount ledger.Amount) (Posted, error) {
	var out Posted
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = s.post(ctx, tx, merchantID, plan{info: TxInfo{Type: "UNCHECKED"},
			postings: ledger.Credit(ledger.AccountKey{Owner: owner, Unit: ledger.Points}, ledger.SystemAccount(ledger.SystemRedeemed, ledger.Points), amount),
			holder:   owner, unit: ledger.Points})
		return err
	})
	return out, err
}
