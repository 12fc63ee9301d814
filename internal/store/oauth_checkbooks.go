package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// CheckbookLine is one product line of an order.
type CheckbookLine struct {
	Name, ProductCode     string
	Total, EarnedRedeemed ledger.Amount
	Quantity              int64 // ≥ 1
}

// Checkbook is an order receipt with its product lines, recorded with the
// points it earned or redeemed (POST /api/transaction/checkbook and
// /redeemFullBalance).
type Checkbook struct {
	Type, Code, ExternalID, Title string
	Total, EarnedRedeemed         ledger.Amount
	Customer                      CustomerRef
	Store                         *StoreRef
	ExpirationDate                time.Time
	Lines                         []CheckbookLine
}

// PostCheckbook posts the checkbook's earnedRedeemed points in its type's
// direction (earn for a CREDIT type, spend for a DEBIT one) and stores the
// order and its lines for the products report, in one transaction. Errors
// and repeats as PostAPITransaction.
func (s *Store) PostCheckbook(ctx context.Context, merchantID int64, cb Checkbook) (APITx, error) {
	var out APITx
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		t, err := s.txTypeFor(ctx, tx, merchantID, cb.Type, "type")
		if err != nil {
			return err
		}
		if t.Direction == DirTransfer {
			return &FieldError{Field: "type", Message: "a transfer type cannot record a checkbook"}
		}
		op := apiOp{typ: t, code: cb.Code, title: cb.Title, total: cb.EarnedRedeemed, customer: cb.Customer,
			store: cb.Store, expiration: cb.ExpirationDate, purchase: cb.Total, fp: fingerprint(cb),
			data: map[string]any{"externalId": cb.ExternalID, "checkbook": true}}
		if cb.Store != nil {
			op.description = cb.Store.Name
		}
		var res postResult
		if out, res, err = s.postOp(ctx, tx, merchantID, op); err != nil || res.posted.Replayed {
			return postFieldError(err, "earnedRedeemed")
		}
		return s.storeCheckbook(ctx, tx, merchantID, cb, t, t.Direction == DirDebit, res)
	})
	return out, err
}

// postFieldError renames the "total" of a ledger refusal to the field the
// endpoint's points come from.
func postFieldError(err error, field string) error {
	var ie *FieldError
	if errors.As(err, &ie) && ie.Field == "total" {
		return &FieldError{Field: field, Message: ie.Message}
	}
	return err
}

// storeCheckbook writes the order, its lines and the products rollup.
func (s *Store) storeCheckbook(ctx context.Context, tx pgx.Tx, merchantID int64, cb Checkbook, t TxType, redemption bool, res postResult) error {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO checkbooks (merchant_id, transaction_id, type, code, external_id, customer_id,
		store_id, title, total, earned_redeemed, redemption, day, created_at)
		VALUES ($1, $2, $3, nullif($4, ''), nullif($5, ''), $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		merchantID, res.posted.Tx.ID, cb.Type, cb.Code, cb.ExternalID, res.customerID, nullIfZero(res.storeID), cb.Title,
		int64(cb.Total), int64(cb.EarnedRedeemed), redemption, res.day, res.posted.Tx.CreatedAt).Scan(&id)
	if err != nil {
		return interpretError(err)
	}
	perProduct := map[string]*productDayCounts{}
	var order []string
	for i, l := range cb.Lines {
		if _, err := tx.Exec(ctx, `INSERT INTO checkbook_lines (merchant_id, checkbook_id, line_no, name, product_code,
			total, earned_redeemed, quantity) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			merchantID, id, i+1, l.Name, l.ProductCode, int64(l.Total), int64(l.EarnedRedeemed), l.Quantity); err != nil {
			return interpretError(err)
		}
		c := perProduct[l.ProductCode]
		if c == nil {
			c = &productDayCounts{orders: 1}
			perProduct[l.ProductCode] = c
			order = append(order, l.ProductCode)
		}
		c.products += l.Quantity
		switch {
		case redemption:
			c.redeemedQty += l.Quantity
			c.pointRedeemed += int64(l.EarnedRedeemed)
		case t.ReportColumn == "coupons":
			c.earnedCoupons += int64(l.EarnedRedeemed)
		case t.ReportColumn == "balance":
			c.earnedBal += int64(l.EarnedRedeemed)
		default:
			c.earnedOrders += int64(l.EarnedRedeemed)
		}
	}
	for _, code := range order {
		if err := bumpProductDay(ctx, tx, merchantID, res.day, res.storeID, code, *perProduct[code]); err != nil {
			return err
		}
	}
	return nil
}

// redeemType is the catalogue type redeemFullBalance posts.
const redeemType = "POINTS REDEEM"

// RedeemFullBalance spends the customer's whole POINTS balance (every batch)
// as one POINTS REDEEM transaction and stores the checkbook (recorded with
// cb.Type, the order's type) as a redemption. A zero balance or unknown
// customer is an FieldError on customer. A repeat of the code answers the
// customer as it is. It answers the customer with its totals after.
func (s *Store) RedeemFullBalance(ctx context.Context, merchantID int64, cb Checkbook) (CustomerView, error) {
	var out CustomerView
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := s.txTypeFor(ctx, tx, merchantID, cb.Type, "type"); err != nil {
			return err
		}
		redeem, err := s.txTypeFor(ctx, tx, merchantID, redeemType, "type")
		if err != nil {
			return err
		}
		id, err := customerID(ctx, tx, merchantID, cb.Customer.ExternalID)
		if errors.Is(err, ErrNotFound) {
			return &FieldError{Field: "customer", Message: "no points to redeem"}
		} else if err != nil {
			return err
		}
		const scope = "oauth:redeemFullBalance"
		fp := fingerprint(cb)
		if cb.Code != "" {
			prior, err := s.txByIdem(ctx, tx, merchantID, scope, cb.Code)
			if err == nil {
				if string(prior.Fingerprint) != string(fp) {
					return &FieldError{Field: "code", Message: "already used with different content"}
				}
				out, err = s.customerView(ctx, tx, merchantID, id)
				return err
			} else if !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		owner := ledger.Owner{Kind: ledger.OwnerCustomer, ID: id}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM ledger_accounts WHERE merchant_id = $1 AND owner_kind = $2 AND owner_id = $3
			AND unit = $4 ORDER BY id FOR UPDATE`, merchantID, string(owner.Kind), owner.ID, int16(ledger.Points)); err != nil {
			return interpretError(err)
		}
		bal, err := s.balance(ctx, tx, merchantID, owner, ledger.Points)
		if err != nil {
			return err
		}
		if !bal.Positive() {
			return &FieldError{Field: "customer", Message: "no points to redeem"}
		}
		op := apiOp{typ: redeem, code: cb.Code, title: cb.Title, total: bal, customer: cb.Customer, store: cb.Store,
			purchase: cb.Total, fp: fp, scope: scope, data: map[string]any{"externalId": cb.ExternalID, "checkbook": true, "orderType": cb.Type}}
		if cb.Store != nil {
			op.description = cb.Store.Name
		}
		_, res, err := s.postOp(ctx, tx, merchantID, op)
		if err != nil {
			return err
		}
		cb.EarnedRedeemed = bal
		if err := s.storeCheckbook(ctx, tx, merchantID, cb, redeem, true, res); err != nil {
			return err
		}
		out, err = s.customerView(ctx, tx, merchantID, id)
		return err
	})
	return out, err
}
