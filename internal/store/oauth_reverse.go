package store

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// ReverseAPI reverses the merchant's transaction of (type, code): the
// mirror of its postings, titled by its type's reversal title, described by
// its store's name. Errors: ErrNotFound; FieldError on code when it is
// already reversed, is a reversal, or its points were spent (and the
// merchant does not allow negative balances); FieldError on type, ErrSystemType.
func (s *Store) ReverseAPI(ctx context.Context, merchantID int64, txType, code string) (APITx, error) {
	var out APITx
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = s.reverseOne(ctx, tx, merchantID, txType, code, "code", ErrNotFound)
		return err
	})
	return out, err
}

// ReverseManyAPI reverses every code of one type, all or nothing: the first
// code that is unknown, already reversed, a reversal or not reversible is an
// FieldError on "codes.N" (N from 0) and nothing is reversed.
func (s *Store) ReverseManyAPI(ctx context.Context, merchantID int64, txType string, codes []string) ([]APITx, error) {
	var out []APITx
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		out = make([]APITx, 0, len(codes))
		for i, code := range codes {
			field := "codes." + strconv.Itoa(i)
			v, err := s.reverseOne(ctx, tx, merchantID, txType, code, field, &FieldError{Field: field, Message: "no transaction of this type with this code"})
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

// reverseOne reverses one transaction in tx; notFound is what an unknown
// code answers, field the request field errors name.
func (s *Store) reverseOne(ctx context.Context, tx pgx.Tx, merchantID int64, txType, code, field string, notFound error) (APITx, error) {
	t, err := s.txTypeFor(ctx, tx, merchantID, txType, "type")
	if err != nil {
		return APITx{}, err
	}
	loc, err := s.merchantZone(ctx, tx, merchantID)
	if err != nil {
		return APITx{}, err
	}
	var origID int64
	var allow bool
	err = tx.QueryRow(ctx, `SELECT t.id, m.allow_negative_on_reversal FROM ledger_transactions t JOIN merchants m ON m.id = t.merchant_id
		WHERE t.merchant_id = $1 AND t.type = $2 AND t.code = $3 ORDER BY t.reverses_tx_id NULLS FIRST, t.id LIMIT 1`,
		merchantID, txType, code).Scan(&origID, &allow)
	if errors.Is(interpretError(err), ErrNotFound) || code == "" {
		return APITx{}, notFound
	} else if err != nil {
		return APITx{}, interpretError(err)
	}
	orig, err := s.txByID(ctx, tx, merchantID, origID)
	if err != nil {
		return APITx{}, err
	}
	info := TxInfo{Type: orig.Type, Code: orig.Code, Title: t.ReversalTitle, ExternalEntityID: orig.Code, StoreID: orig.StoreID}
	if orig.StoreID != 0 {
		st, err := storeView(ctx, tx, merchantID, orig.StoreID)
		if err != nil {
			return APITx{}, err
		}
		info.Description = st.Name
	}
	p, err := s.reverse(ctx, tx, merchantID, info, orig.ID, allow)
	switch {
	case errors.Is(err, ledger.ErrAlreadyReversed):
		return APITx{}, &FieldError{Field: field, Message: "already reversed"}
	case errors.Is(err, ledger.ErrReversalOfReversal):
		return APITx{}, &FieldError{Field: field, Message: "a reversal cannot be reversed"}
	case errors.Is(err, ledger.ErrInsufficientFunds):
		return APITx{}, &FieldError{Field: field, Message: "the points were already spent"}
	case err != nil:
		return APITx{}, err
	}
	holder := holderOf(p.Postings)
	_, delta := customerDelta(p.Postings, holder.ID)
	amount := -delta
	day := dayOf(p.Tx.CreatedAt, loc)
	var c storeDayCounts
	switch t.ReportColumn {
	case "orders":
		c.reversedOrder = int64(amount)
	case "coupons":
		c.reversedCoupon = int64(amount)
	}
	earns := t.Direction == DirCredit && t.Unit == ledger.Points
	view := s.newCustomerRead(merchantID, holder.ID, txStores(p.Tx))
	if err := afterPosting(ctx, tx, merchantID, day, orig.StoreID, c, holder.ID, -amount, earns, view, false); err != nil {
		return APITx{}, err
	}
	return postedView(loc, p, view), nil
}

// Transfer is POST /api/transaction/transfer.
type Transfer struct {
	Type, Code, Title string
	Total             ledger.Amount
	From, To          CustomerRef
}

// TransferAPI moves points between two customers as two transactions, the
// sender's DEBIT and the receiver's CREDIT, keeping each batch's expiry. The
// sender must exist (ErrNotFound); the receiver is created on first use.
// FieldError: type (not a transfer type), customerTo (same customer), total
// (insufficient), code (reused with other content).
func (s *Store) TransferAPI(ctx context.Context, merchantID int64, in Transfer) (from, to APITx, err error) {
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		t, err := s.txTypeFor(ctx, tx, merchantID, in.Type, "type")
		if err != nil {
			return err
		}
		if t.Direction != DirTransfer {
			return &FieldError{Field: "type", Message: "not a transfer type"}
		}
		loc, err := s.merchantZone(ctx, tx, merchantID)
		if err != nil {
			return err
		}
		fromID, err := customerID(ctx, tx, merchantID, in.From.ExternalID)
		if err != nil {
			return err
		}
		if in.From.ExternalID == in.To.ExternalID {
			return &FieldError{Field: "customerTo", Message: "must be another customer"}
		}
		now := s.clock.Now()
		toID, err := ensureCustomer(ctx, tx, merchantID, in.To, 0, now, dayOf(now, loc))
		if err != nil {
			return err
		}
		var fromName, toName string
		if err := tx.QueryRow(ctx, `SELECT (SELECT name FROM customers WHERE merchant_id = $1 AND id = $2),
			(SELECT name FROM customers WHERE merchant_id = $1 AND id = $3)`, merchantID, fromID, toID).Scan(&fromName, &toName); err != nil {
			return interpretError(err)
		}
		title := in.Title
		if title == "" {
			title = t.Title
		}
		debitInfo := TxInfo{Type: t.Name, Title: title, Description: toName}
		creditInfo := TxInfo{Type: t.Name, Title: title, Description: fromName}
		if in.Code != "" {
			fp := fingerprint(in)
			debitInfo.Code, debitInfo.IdemScope, debitInfo.IdemKey, debitInfo.Fingerprint = in.Code, "oauth:transfer:"+t.Name, in.Code, fp
			creditInfo.Code, creditInfo.IdemScope, creditInfo.IdemKey = in.Code, "oauth:transfer-in:"+t.Name, in.Code
			debitInfo.ExternalEntityID, creditInfo.ExternalEntityID = in.Code, in.Code
		}
		debit, credit, err := s.transfer(ctx, tx, merchantID, debitInfo, creditInfo,
			ledger.Owner{Kind: ledger.OwnerCustomer, ID: fromID}, ledger.Owner{Kind: ledger.OwnerCustomer, ID: toID}, t.Unit, in.Total)
		switch {
		case errors.Is(err, ledger.ErrSameCustomer):
			return &FieldError{Field: "customerTo", Message: "must be another customer"}
		case err != nil:
			return postError(err)
		}
		if from, err = s.viewPosted(ctx, tx, merchantID, loc, debit, fromID); err != nil {
			return err
		}
		to, err = s.viewPosted(ctx, tx, merchantID, loc, credit, toID)
		return err
	})
	return from, to, err
}
