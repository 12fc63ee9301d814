package store

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// APITransaction is POST /api/transaction: one credit or debit of a
// customer, in the unit and direction of its type.
type APITransaction struct {
	Type, Code, ExternalID string
	// ExpirationDate (a local day, zero = none) puts a credit in a batch
	// that expires at the end of that day (23:59:59) in the merchant's time zone.
	ExpirationDate     time.Time
	Title, Description string
	Total              ledger.Amount
	Customer           CustomerRef
	Store, Vendor      *StoreRef
	CheckbookID        string
	TransferTxID       string
}

// typeScope is the natural-key scope of (type, code): a repeat of the same
// code for the same type is the same transaction (ledger.md).
func typeScope(txType string) string { return "oauth:type:" + txType }

// fingerprint digests a request's content for natural-key repeats.
func fingerprint(v any) []byte {
	b, _ := json.Marshal(v)
	h := sha256.Sum256(b)
	return h[:]
}

// PostAPITransaction records a transaction of the catalogue: the customer
// (and store) created on first use, POINTS ORDER credits multiplied by the
// customer's tier, the stores report rollup and the tier updated, all in one
// database transaction. A repeat of (type, code) with the same content
// answers the original; with other content it is an FieldError on code.
// Errors: FieldError (type, total, expirationDate, code), ErrSystemType.
func (s *Store) PostAPITransaction(ctx context.Context, merchantID int64, in APITransaction) (APITx, error) {
	var out APITx
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		t, err := s.txTypeFor(ctx, tx, merchantID, in.Type, "type")
		if err != nil {
			return err
		}
		if t.Direction == DirTransfer {
			return &FieldError{Field: "type", Message: "a transfer type: use /api/transaction/transfer"}
		}
		data := map[string]any{"externalId": in.ExternalID, "checkbookId": in.CheckbookID, "transferTransactionId": in.TransferTxID}
		if in.Vendor != nil {
			data["vendor"] = in.Vendor
		}
		op := apiOp{typ: t, code: in.Code, title: in.Title, description: in.Description, total: in.Total,
			customer: in.Customer, store: in.Store, expiration: in.ExpirationDate, data: data, fp: fingerprint(in), last: true}
		out, _, err = s.postOp(ctx, tx, merchantID, op)
		return err
	})
	return out, err
}

// apiOp is one credit or debit of a customer, as every write endpoint makes.
type apiOp struct {
	typ                      TxType
	code, title, description string
	total                    ledger.Amount
	customer                 CustomerRef
	store                    *StoreRef
	expiration               time.Time
	purchase                 ledger.Amount
	data                     map[string]any
	fp                       []byte
	scope                    string // natural-key scope; "" = the type's
	// last: nothing follows the op in its transaction, so its commit may
	// ride with its last statements (afterPosting).
	last bool
}

// postResult says what postOp did beyond the view.
type postResult struct {
	customerID, storeID int64
	day                 time.Time
	posted              Posted
}

// postOp writes op in tx and maintains the rollups and the tier; on a
// natural-key replay it writes nothing and answers the original.
func (s *Store) postOp(ctx context.Context, tx pgx.Tx, merchantID int64, op apiOp) (APITx, postResult, error) {
	var res postResult
	loc, err := s.merchantZone(ctx, tx, merchantID)
	if err != nil {
		return APITx{}, res, err
	}
	now := s.clock.Now()
	res.day = dayOf(now, loc)
	facts, err := readAPIFacts(ctx, tx, merchantID, op)
	if err != nil {
		return APITx{}, res, err
	}
	switch {
	case facts.store != nil:
		res.storeID = *facts.store
	case op.store != nil:
		if res.storeID, err = addStore(ctx, tx, merchantID, *op.store); err != nil {
			return APITx{}, res, err
		}
	}
	orders, multiplier := op.typ.Direction == DirCredit && op.typ.ReportColumn == "orders", facts.multiplier
	if facts.customer != nil {
		res.customerID = *facts.customer
	} else {
		if res.customerID, err = addCustomer(ctx, tx, merchantID, op.customer, res.storeID, now, res.day); err != nil {
			return APITx{}, res, err
		}
		// A customer that another request created meanwhile may have a tier already.
		if orders {
			if multiplier, err = orderMultiplier(ctx, tx, merchantID, res.customerID); err != nil {
				return APITx{}, res, err
			}
		}
	}
	owner := ledger.Owner{Kind: ledger.OwnerCustomer, ID: res.customerID}
	amount := op.total
	if orders {
		amount = ledger.Percent(amount, multiplier*100)
		if !amount.Positive() {
			return APITx{}, res, &FieldError{Field: "total", Message: "earns nothing at this tier"}
		}
	}
	title := op.title
	if title == "" {
		title = op.typ.Title
	}
	raw, _ := json.Marshal(op.data)
	info := TxInfo{Type: op.typ.Name, Code: op.code, Fingerprint: op.fp, Title: title, Description: op.description,
		ExternalEntityID: op.code, StoreID: res.storeID, Purchase: op.purchase, Data: raw}
	if op.code != "" {
		info.IdemScope, info.IdemKey = op.scope, op.code
		if info.IdemScope == "" {
			info.IdemScope = typeScope(op.typ.Name)
		}
	}
	switch op.typ.Direction {
	case DirCredit:
		var batch *BatchSpec
		if !op.expiration.IsZero() {
			y, m, d := op.expiration.Date()
			// The last second of the day, so the batch prints with the date the client gave.
			batch = &BatchSpec{ExpiresAt: time.Date(y, m, d, 23, 59, 59, 0, loc)}
		}
		res.posted, err = s.earn(ctx, tx, merchantID, info, owner, op.typ.Unit, amount, batch)
	default:
		res.posted, err = s.spend(ctx, tx, merchantID, info, owner, op.typ.Unit, amount)
	}
	if err != nil {
		return APITx{}, res, postError(err)
	}
	if res.posted.Replayed {
		view, err := s.viewPosted(ctx, tx, merchantID, loc, res.posted, res.customerID)
		return view, res, err
	}
	earns := op.typ.Direction == DirCredit && op.typ.Unit == ledger.Points
	view := s.newCustomerRead(merchantID, res.customerID, txStores(res.posted.Tx))
	last := op.last && !(earns && facts.tiers) // a tier evaluation reads before it writes
	if err := afterPosting(ctx, tx, merchantID, res.day, res.storeID, typeCounts(op.typ, amount), res.customerID, amount, earns, view, last); err != nil {
		return APITx{}, res, err
	}
	return postedView(loc, res.posted, view), res, nil
}

// apiFacts is what a write reads before its posting, in one round trip.
type apiFacts struct {
	store, customer *int64 // nil: not found (or no store named)
	multiplier      int64  // of POINTS ORDER credits, for the customer's tier
	tiers           bool   // the merchant has a default tier: earning points re-evaluates the customer's
}

// apiFactsSQL reads the store named by externalId ($2; NULL when the write
// names none), the customer named by externalId ($3) and its tier's
// multiplier (the default tier's for a customer not created yet), and
// whether the merchant has a default tier (without one, evaluateTier writes
// nothing).
const apiFactsSQL = `SELECT (SELECT id FROM stores WHERE merchant_id = $1 AND external_id = $2), c.id, ` + multiplierSQL + `,
	EXISTS (SELECT FROM customer_groups g WHERE g.merchant_id = $1 AND g.is_default)
FROM (SELECT 1) AS one LEFT JOIN customers c ON c.merchant_id = $1 AND c.external_id = $3`

func readAPIFacts(ctx context.Context, tx pgx.Tx, merchantID int64, op apiOp) (apiFacts, error) {
	var f apiFacts
	var store *string
	if op.store != nil {
		store = &op.store.ExternalID
	}
	err := tx.QueryRow(ctx, apiFactsSQL, merchantID, store, op.customer.ExternalID).Scan(&f.store, &f.customer, &f.multiplier, &f.tiers)
	return f, interpretError(err)
}

// typeCounts is what a transaction of t adds to the stores report.
func typeCounts(t TxType, amount ledger.Amount) storeDayCounts {
	var c storeDayCounts
	switch t.ReportColumn {
	case "orders":
		c.earnedOrders = int64(amount)
	case "coupons":
		c.earnedCoupons = int64(amount)
	case "balance":
		c.earnedBalance = int64(amount)
	case "redeemed":
		c.redeemed = int64(amount)
	case "expired":
		c.expired = int64(amount)
	}
	return c
}

// postError names the request field a ledger refusal is about.
func postError(err error) error {
	switch {
	case errors.Is(err, ledger.ErrInsufficientFunds):
		return &FieldError{Field: "total", Message: "insufficient balance"}
	case errors.Is(err, ledger.ErrBadAmount):
		return &FieldError{Field: "total", Message: "must be greater than 0"}
	case errors.Is(err, ledger.ErrExpired), errors.Is(err, ledger.ErrBadBatch):
		return &FieldError{Field: "expirationDate", Message: "must be a future date"}
	case errors.Is(err, ErrIdemMismatch):
		return &FieldError{Field: "code", Message: "already used for this type with different content"}
	}
	return err
}
