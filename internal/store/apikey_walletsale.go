package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// walletSaleTx is one wallet sale in tx (see WalletSale).
func (s *Store) walletSaleTx(ctx context.Context, tx pgx.Tx, m Merchant, in SaleInput) (SaleResult, error) {
	var res SaleResult
	now := s.clock.Now()
	r, err := s.readSale(ctx, tx, m, ProgramWallet, in)
	if err != nil {
		return res, err
	}
	if err := r.walletRefusal(in); err != nil {
		return res, err
	}
	if prior, ok, err := r.replay(); ok {
		res = prior
		return res, err
	}
	if r.blacklisted || r.disabled {
		return res, ErrBlacklisted
	}
	owner := ledger.Owner{Kind: ledger.OwnerWalletMember, ID: *r.memberID}
	info := TxInfo{Type: "WALLET SALE", ExternalEntityID: in.Ticket, CollaboratorID: in.CollaboratorID, Title: r.name}
	if in.AmountGiven {
		info.Purchase = in.Amount
	}
	rec := saleRecord{program: ProgramWallet, programID: *r.programID, memberID: *r.memberID, contactID: *r.contactID,
		collaboratorID: in.CollaboratorID, ticket: in.Ticket}
	if in.AmountGiven {
		rec.amount = &in.Amount
	}
	var posted Posted
	if in.Spend {
		info.Type, rec.kind, rec.points = "WALLET REDEEM", "spend", in.Points
		posted, err = s.spend(ctx, tx, m.ID, info, owner, ledger.Points, in.Points)
		if errors.Is(err, ledger.ErrInsufficientFunds) {
			return res, ErrInsufficientPoints
		}
		if err != nil {
			return res, err
		}
		if err := s.takeOperation(ctx, tx, m); err != nil {
			return res, err
		}
	} else {
		rec.kind, rec.points = "earn", ledger.Percent(in.Amount, r.setting1)
		if posted, err = s.creditWallet(ctx, tx, m, info, owner, rec.points, r.setting2, now); err != nil {
			return res, err
		}
	}
	if res.NewBalance, err = s.walletBalance(ctx, tx, m, owner, posted); err != nil {
		return res, err
	}
	rec.newBalance, rec.ledgerTxID = res.NewBalance, ledgerTxID(posted)
	if err := s.walletSideEffects(ctx, tx, m, r, in.Phone, res.NewBalance, now); err != nil {
		return res, err
	}
	if err := s.recordSale(ctx, tx, m, now, rec); err != nil {
		return res, err
	}
	if r.webhookURL != "" {
		ev := outboxEvent{program: ProgramWallet, programID: *r.programID, now: now}
		return res, enqueueWebhook(ctx, tx, m, ev, r.webhookURL, "Purchase", purchase(ProgramWallet, r.name, info.Purchase, localTime(now, m)))
	}
	return res, nil
}

// BalanceUpdate adds (Spend false) or removes (Spend true) exactly Points
// from a wallet contact (/wallet/balance/update), against the merchant's
// adjustment account. Checks, in the seed table's order: ErrProgramNotFound
// (also disabled), ErrNotEnrolled, ErrCollaboratorNotFound,
// ErrCollaboratorNotAllowed, ErrBlacklisted, ErrInsufficientPoints,
// ErrNoMessagingChannel, ErrMessageCredit.
func (s *Store) BalanceUpdate(ctx context.Context, m Merchant, in SaleInput) (SaleResult, error) {
	in.Ticket = "" // adjustments carry no ticket
	var res SaleResult
	err := s.runSale(ctx, func(tx pgx.Tx) error {
		now := s.clock.Now()
		r, err := s.readSale(ctx, tx, m, ProgramWallet, in)
		if err != nil {
			return err
		}
		switch {
		case r.programID == nil || !r.enabled:
			return ErrProgramNotFound
		case r.memberID == nil:
			return ErrNotEnrolled
		case !r.collabFound:
			return ErrCollaboratorNotFound
		case !r.collabAllowed:
			return ErrCollaboratorNotAllowed
		case r.blacklisted || r.disabled:
			return ErrBlacklisted
		}
		owner := ledger.Owner{Kind: ledger.OwnerWalletMember, ID: *r.memberID}
		info := TxInfo{Type: "WALLET ADJUSTMENT", CollaboratorID: in.CollaboratorID, Title: r.name}
		rec := saleRecord{program: ProgramWallet, programID: *r.programID, memberID: *r.memberID, contactID: *r.contactID,
			collaboratorID: in.CollaboratorID, kind: "add", points: in.Points}
		var posted Posted
		if in.Spend {
			rec.kind = "remove"
			posted, err = s.adjust(ctx, tx, m.ID, info, owner, ledger.Points, -in.Points, nil)
			if errors.Is(err, ledger.ErrInsufficientFunds) {
				return ErrInsufficientPoints
			}
		} else {
			posted, err = s.creditWalletAdjust(ctx, tx, m, info, owner, in.Points, r.setting2, now)
		}
		if err != nil {
			return err
		}
		if res.NewBalance, err = s.walletBalance(ctx, tx, m, owner, posted); err != nil {
			return err
		}
		rec.newBalance, rec.ledgerTxID = res.NewBalance, ledgerTxID(posted)
		if err := s.walletSideEffects(ctx, tx, m, r, in.Phone, res.NewBalance, now); err != nil {
			return err
		}
		return s.recordSale(ctx, tx, m, now, rec)
	})
	return res, err
}

// pointsBatch is where a wallet credit goes: nil (never expires) without a
// points lifetime; otherwise the batch that expires at the start of the
// merchant's day ttlDays+1 days from now, so points live at least ttlDays
// full days and one day's credits share a batch.
func pointsBatch(m Merchant, ttlDays int64, now time.Time) *BatchSpec {
	if ttlDays <= 0 {
		return nil
	}
	y, mo, d := now.In(m.Location()).Date()
	return &BatchSpec{SetName: "MONEDERO", ExpiresAt: time.Date(y, mo, d+int(ttlDays)+1, 0, 0, 0, 0, m.Location())}
}

// creditWallet posts earned cashback; a cashback that rounds to 0.00 posts
// nothing (the sale is still recorded).
func (s *Store) creditWallet(ctx context.Context, tx pgx.Tx, m Merchant, info TxInfo, owner ledger.Owner, points ledger.Amount, ttlDays int64, now time.Time) (Posted, error) {
	if points <= 0 {
		return Posted{}, nil
	}
	return s.earn(ctx, tx, m.ID, info, owner, ledger.Points, points, pointsBatch(m, ttlDays, now))
}

// creditWalletAdjust adds points by hand, into the same batches as cashback.
func (s *Store) creditWalletAdjust(ctx context.Context, tx pgx.Tx, m Merchant, info TxInfo, owner ledger.Owner, points ledger.Amount, ttlDays int64, now time.Time) (Posted, error) {
	return s.adjust(ctx, tx, m.ID, info, owner, ledger.Points, points, pointsBatch(m, ttlDays, now))
}

// walletBalance is the balance after the posting, read from the ledger when
// nothing was posted.
func (s *Store) walletBalance(ctx context.Context, tx pgx.Tx, m Merchant, owner ledger.Owner, posted Posted) (ledger.Amount, error) {
	if posted.Tx.ID != 0 {
		return posted.Balance, nil
	}
	return s.balance(ctx, tx, m.ID, owner, ledger.Points)
}

// walletSideEffects queues the wallet's sale message (when on), charging
// the merchant's messaging credit.
func (s *Store) walletSideEffects(ctx context.Context, tx pgx.Tx, m Merchant, r saleRead, phone string, balance ledger.Amount, now time.Time) error {
	if !r.message {
		return nil
	}
	if err := s.chargeMessage(ctx, tx, m); err != nil {
		return err
	}
	ev := outboxEvent{program: ProgramWallet, programID: *r.programID, now: now}
	return enqueueMessage(ctx, tx, m, ev, "sale", phone, balanceText(r.name, balance))
}
