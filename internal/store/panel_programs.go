package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// ProgramRef names a card or wallet found by its key alone, as the public
// customer and cashier pages receive it.
type ProgramRef struct {
	MerchantID int64
	Program    string // "card" or "wallet"
	ID         int64
	Key        string
	Name       string
	Enabled    bool
}

// ProgramByKey finds a card or wallet by key across merchants. Keys are
// 128-bit random values, so two merchants never share one; should that ever
// happen the key is answered as unknown rather than guessed. Errors: ErrNotFound.
func (s *Store) ProgramByKey(ctx context.Context, key string) (ProgramRef, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT merchant_id, 'card', id, key, name, enabled FROM loyalty_cards WHERE key = $1
		UNION ALL
		SELECT merchant_id, 'wallet', id, key, name, enabled FROM wallets WHERE key = $1
		LIMIT 2`, key)
	if err != nil {
		return ProgramRef{}, interpretError(err)
	}
	refs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ProgramRef, error) {
		var p ProgramRef
		err := r.Scan(&p.MerchantID, &p.Program, &p.ID, &p.Key, &p.Name, &p.Enabled)
		return p, err
	})
	if err != nil {
		return ProgramRef{}, interpretError(err)
	}
	if len(refs) != 1 {
		return ProgramRef{}, ErrNotFound
	}
	return refs[0], nil
}
