package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// Customer is a JSON-API customer, identified by the merchant's externalId.
type Customer struct {
	ID           int64
	ExternalID   string
	Name         string
	Data         json.RawMessage // nil when none was given
	Platform     string          // "" until the customer registers
	RegisteredAt string          // "YYYY-MM-DD HH:MM:SS" in the merchant's zone, "" until registered
	Referrer     string          // the referrer's externalId, "" if none
}

// FindCustomer loads a merchant's customer by externalId (ErrNotFound if none).
func (s *Store) FindCustomer(ctx context.Context, merchantID int64, externalID string) (Customer, error) {
	return findCustomer(ctx, s.pool, merchantID, externalID)
}

const customerColumns = `c.id, c.external_id, c.name, c.data, coalesce(c.platform, ''),
	coalesce(to_char(c.registered_at AT TIME ZONE (SELECT m.timezone FROM merchants m WHERE m.id = c.merchant_id), 'YYYY-MM-DD HH24:MI:SS'), ''),
	coalesce((SELECT r.external_id FROM customers r WHERE r.merchant_id = c.merchant_id AND r.id = c.referrer_id), '')`

func findCustomer(ctx context.Context, q querier, merchantID int64, externalID string) (Customer, error) {
	var c Customer
	err := q.QueryRow(ctx, `SELECT `+customerColumns+` FROM customers c WHERE c.merchant_id = $1 AND c.external_id = $2`,
		merchantID, externalID).Scan(&c.ID, &c.ExternalID, &c.Name, &c.Data, &c.Platform, &c.RegisteredAt, &c.Referrer)
	return c, interpretError(err)
}

// Registration is POST /api/customer: a customer signing up from an app or
// the web, possibly referred by another customer.
type Registration struct {
	ExternalID, Name   string
	Data               json.RawMessage
	Platform           string // web, mobile, ios, android or ""
	ReferrerExternalID string
}

// RegisterCustomer creates the customer registered, or registers the one a
// POS write pre-registered; registering twice changes nothing and answers
// the customer. The registration columns of the stores report count it.
func (s *Store) RegisterCustomer(ctx context.Context, merchantID int64, in Registration) (Customer, error) {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var referrerID *int64
		if in.ReferrerExternalID != "" {
			ref, err := findCustomer(ctx, tx, merchantID, in.ReferrerExternalID)
			if err == ErrNotFound || (err == nil && ref.ExternalID == in.ExternalID) {
				return &FieldError{Field: "referrerExternalId", Message: "no such customer"}
			}
			if err != nil {
				return err
			}
			referrerID = &ref.ID
		}
		now := s.clock.Now()
		day, err := localDay(ctx, tx, merchantID, now)
		if err != nil {
			return err
		}
		var (
			id         int64
			storeID    *int64
			registered *time.Time
		)
		err = tx.QueryRow(ctx, `SELECT id, created_store_id, registered_at FROM customers
			WHERE merchant_id = $1 AND external_id = $2 FOR UPDATE`, merchantID, in.ExternalID).Scan(&id, &storeID, &registered)
		switch err = interpretError(err); err {
		case nil:
			if registered != nil {
				return nil // already registered: the first registration stands
			}
			_, err = tx.Exec(ctx, `UPDATE customers SET registered_at = $3, platform = nullif($4, ''), referrer_id = $5,
				data = coalesce($6, data) WHERE merchant_id = $1 AND id = $2`,
				merchantID, id, now, in.Platform, referrerID, nullJSON(in.Data))
		case ErrNotFound:
			err = tx.QueryRow(ctx, `INSERT INTO customers (merchant_id, external_id, name, data, platform, referrer_id, registered_at, created_at, created_day)
				VALUES ($1, $2, $3, $4, nullif($5, ''), $6, $7, $7, $8) RETURNING id`,
				merchantID, in.ExternalID, in.Name, nullJSON(in.Data), in.Platform, referrerID, now, day).Scan(&id)
		}
		if err != nil {
			return interpretError(err)
		}
		var b storeDayCounts
		if storeID != nil {
			b.subscribedAfterPos = 1
		}
		switch in.Platform {
		case "web":
			b.registeredWeb = 1
		case "mobile", "ios", "android":
			b.registeredApp = 1
		}
		if referrerID != nil {
			b.referrals = 1
		}
		sid := int64(0)
		if storeID != nil {
			sid = *storeID
		}
		return bumpStoreDay(ctx, tx, merchantID, day, sid, b)
	})
	if err != nil {
		return Customer{}, err
	}
	return s.FindCustomer(ctx, merchantID, in.ExternalID)
}

// nullJSON keeps an absent or JSON-null data as SQL NULL.
func nullJSON(d json.RawMessage) any {
	if len(d) == 0 || string(d) == "null" {
		return nil
	}
	return []byte(d)
}

// localDay is the merchant's calendar day at t, in its time zone.
func localDay(ctx context.Context, tx pgx.Tx, merchantID int64, t time.Time) (time.Time, error) {
	var d time.Time
	err := tx.QueryRow(ctx, `SELECT ($2::timestamptz AT TIME ZONE timezone)::date FROM merchants WHERE id = $1`,
		merchantID, t).Scan(&d)
	return d, interpretError(err)
}

// CustomerRef names a customer in a write: found by ExternalID, or created
// with Name and Data.
type CustomerRef struct {
	ExternalID, Name string
	Data             json.RawMessage
}

// StoreRef names a store in a write: found by ExternalID, or created with Name.
type StoreRef struct {
	ExternalID, Name string
}

// ensureCustomer finds the customer or creates it, pre-registered by this
// POS write at storeID (0 = none) on day, counting it in the stores report.
func ensureCustomer(ctx context.Context, tx pgx.Tx, merchantID int64, ref CustomerRef, storeID int64, now, day time.Time) (int64, error) {
	// Most calls name a known customer: look first, insert only if absent.
	id, err := customerID(ctx, tx, merchantID, ref.ExternalID)
	if err != ErrNotFound {
		return id, err
	}
	return addCustomer(ctx, tx, merchantID, ref, storeID, now, day)
}

// addCustomer is ensureCustomer for a customer just looked for and not found.
func addCustomer(ctx context.Context, tx pgx.Tx, merchantID int64, ref CustomerRef, storeID int64, now, day time.Time) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO customers (merchant_id, external_id, name, data, created_store_id, created_at, created_day)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (merchant_id, external_id) DO NOTHING RETURNING id`,
		merchantID, ref.ExternalID, ref.Name, nullJSON(ref.Data), nullIfZero(storeID), now, day).Scan(&id)
	if err == nil {
		return id, bumpStoreDay(ctx, tx, merchantID, day, storeID, storeDayCounts{preregisteredPos: 1})
	}
	if err = interpretError(err); err != ErrNotFound {
		return 0, err
	}
	// Created by a concurrent request since the look.
	return customerID(ctx, tx, merchantID, ref.ExternalID)
}

// addStore creates the merchant's store named by ref, just looked for
// (apiFactsSQL) and not found; or finds the one a concurrent request created.
func addStore(ctx context.Context, tx pgx.Tx, merchantID int64, ref StoreRef) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO stores (merchant_id, external_id, name) VALUES ($1, $2, $3)
		ON CONFLICT (merchant_id, external_id) WHERE external_id IS NOT NULL DO NOTHING RETURNING id`,
		merchantID, ref.ExternalID, ref.Name).Scan(&id)
	if err = interpretError(err); err != ErrNotFound {
		return id, err
	}
	// Created by a concurrent request since the look.
	return storeID(ctx, tx, merchantID, ref.ExternalID)
}

// storeID finds a store's id by externalId (ErrNotFound if none).
func storeID(ctx context.Context, q querier, merchantID int64, externalID string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM stores WHERE merchant_id = $1 AND external_id = $2`, merchantID, externalID).Scan(&id)
	return id, interpretError(err)
}

// customerID finds a customer's id by externalId (ErrNotFound if none).
func customerID(ctx context.Context, q querier, merchantID int64, externalID string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM customers WHERE merchant_id = $1 AND external_id = $2`, merchantID, externalID).Scan(&id)
	return id, interpretError(err)
}

// customerAccounts finds a customer by external id together with the ids
// of its accounts in unit (0 = every unit), in one statement: the first
// round trip of a history read. ErrNotFound for an unknown customer.
func customerAccounts(ctx context.Context, q querier, merchantID int64, externalID string, unit ledger.Unit) (int64, []int64, error) {
	var id int64
	var ids []int64
	err := q.QueryRow(ctx, `SELECT c.id, coalesce((SELECT array_agg(a.id) FROM ledger_accounts a
		WHERE a.merchant_id = $1 AND a.owner_kind = 'customer' AND a.owner_id = c.id AND ($3 = 0 OR a.unit = $3)), '{}')
		FROM customers c WHERE c.merchant_id = $1 AND c.external_id = $2`, merchantID, externalID, int16(unit)).Scan(&id, &ids)
	return id, ids, interpretError(err)
}

// merchantZone is the merchant's time zone (UTC when the machine lacks it),
// trusted for cacheTTL once read (UpdateMerchant clears the cache).
func (s *Store) merchantZone(ctx context.Context, q querier, merchantID int64) (*time.Location, error) {
	loc, ok, gen := s.zones.get(merchantID)
	if ok {
		return loc, nil
	}
	var name string
	if err := q.QueryRow(ctx, `SELECT timezone FROM merchants WHERE id = $1`, merchantID).Scan(&name); err != nil {
		return nil, interpretError(err)
	}
	loc = zone(name)
	s.zones.put(merchantID, loc, gen)
	return loc, nil
}

// dayOf is the calendar day of t in loc, as a UTC midnight (a SQL date).
func dayOf(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
