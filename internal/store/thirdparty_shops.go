package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// Shop is a merchant's store as the third-party API shows it: the same row
// the JSON API reports on, with its pgbsho code.
type Shop struct {
	ID          int64
	Code        string
	Name        string
	Description string
	Website     string
	Address     string
	Phone       string
	Email       string
	WalletKey   *string // the wallet whose cashback its orders earn; nil when none
	Agents      int64
	Customers   int64
	CreatedAt   time.Time
}

// ShopInput is what add-shop accepts; the caller has validated it.
type ShopInput struct {
	Name, Description, Website, Address, Phone, Email string
}

const shopColumns = `s.id, s.code, s.name, s.description, s.website, s.address, s.phone, s.email, w.key,
	(SELECT count(*) FROM thirdparty_agents a WHERE a.merchant_id = s.merchant_id AND a.store_id = s.id),
	(SELECT count(*) FROM thirdparty_customers c WHERE c.merchant_id = s.merchant_id AND c.store_id = s.id),
	s.created_at
	FROM stores s LEFT JOIN wallets w ON w.merchant_id = s.merchant_id AND w.id = s.wallet_id`

func scanShop(row pgx.Row) (Shop, error) {
	var sh Shop
	err := row.Scan(&sh.ID, &sh.Code, &sh.Name, &sh.Description, &sh.Website, &sh.Address, &sh.Phone, &sh.Email,
		&sh.WalletKey, &sh.Agents, &sh.Customers, &sh.CreatedAt)
	return sh, err
}

// CreateShop adds a store to the merchant and returns it with its new code.
func (s *Store) CreateShop(ctx context.Context, merchantID int64, in ShopInput) (Shop, error) {
	var sh Shop
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO stores (merchant_id, name, description, website, address, phone, email, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			merchantID, in.Name, in.Description, in.Website, in.Address, in.Phone, in.Email, s.clock.Now()).Scan(&id)
		if err != nil {
			return err
		}
		sh, err = scanShop(tx.QueryRow(ctx, `SELECT `+shopColumns+` WHERE s.merchant_id = $1 AND s.id = $2`, merchantID, id))
		return err
	})
	return sh, interpretError(err)
}

// ShopByCode returns the merchant's shop with that code, or ErrShopNotFound.
func (s *Store) ShopByCode(ctx context.Context, merchantID int64, code string) (Shop, error) {
	sh, err := scanShop(s.pool.QueryRow(ctx, `SELECT `+shopColumns+` WHERE s.merchant_id = $1 AND s.code = $2`, merchantID, code))
	if errors.Is(err, pgx.ErrNoRows) {
		return Shop{}, ErrShopNotFound
	}
	return sh, interpretError(err)
}

// ListShops returns one page of the merchant's shops, oldest first, whose
// name contains q.Search, and how many shops match in all.
func (s *Store) ListShops(ctx context.Context, merchantID int64, q ThirdpartyQuery) ([]Shop, int64, error) {
	offset, err := q.offset()
	if err != nil {
		return nil, 0, err
	}
	where := ` WHERE s.merchant_id = $1 AND ($2 = '' OR s.name ILIKE $3)`
	args := []any{merchantID, q.Search, likePattern(q.Search)}
	var shops []Shop
	var total int64
	err = s.inSnapshot(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM stores s`+where, args...).Scan(&total); err != nil {
			return err
		}
		shops, err = scanAll(ctx, tx, scanShop, `SELECT `+shopColumns+where+` ORDER BY s.id LIMIT $4 OFFSET $5`,
			append(args, q.Limit, offset)...)
		return err
	})
	return shops, total, interpretError(err)
}

// LinkShopWallet makes the orders of the merchant's shop earn the cashback of
// the wallet with walletKey, or of no wallet when walletKey is nil. It
// returns ErrShopNotFound, or ErrNotFound when no wallet has that key.
func (s *Store) LinkShopWallet(ctx context.Context, merchantID int64, shopCode string, walletKey *string) (Shop, error) {
	var sh Shop
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var walletID *int64
		if walletKey != nil {
			var id int64
			err := tx.QueryRow(ctx, `SELECT id FROM wallets WHERE merchant_id = $1 AND key = $2`, merchantID, *walletKey).Scan(&id)
			if err != nil {
				return err
			}
			walletID = &id
		}
		tag, err := tx.Exec(ctx, `UPDATE stores SET wallet_id = $3 WHERE merchant_id = $1 AND code = $2`, merchantID, shopCode, walletID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrShopNotFound
		}
		sh, err = scanShop(tx.QueryRow(ctx, `SELECT `+shopColumns+` WHERE s.merchant_id = $1 AND s.code = $2`, merchantID, shopCode))
		return err
	})
	return sh, interpretError(err)
}

// inSnapshot runs a read-only transaction that sees one snapshot, so that a
// page and its total agree with each other.
func (s *Store) inSnapshot(ctx context.Context, fn func(pgx.Tx) error) error {
	return s.inTxOpts(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

// scanAll runs a query and scans every row with scan.
func scanAll[T any](ctx context.Context, tx pgx.Tx, scan func(pgx.Row) (T, error), sql string, args ...any) ([]T, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
