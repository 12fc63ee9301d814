package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// cardSaleAlone is a card stamp in its own transaction (CardSale's
// contract): for stamps a batch does not write, and for every stamp of a
// batch that could not commit.
//
// Round trips: the read, the member lock with today's count (one batch),
// the stamp balance, the ledger posting, then the sale row and outbox rows.
func (s *Store) cardSaleAlone(ctx context.Context, m Merchant, in SaleInput) (SaleResult, error) {
	var res SaleResult
	err := s.runSale(ctx, func(tx pgx.Tx) error {
		now := s.clock.Now()
		r, err := s.readSale(ctx, tx, m, ProgramCard, in)
		if err != nil {
			return err
		}
		if err := r.cardRefusal(); err != nil {
			return err
		}
		if prior, ok, err := r.replay(); ok {
			res = prior
			return err
		}
		amount, err := r.cardAmount(in)
		if err != nil {
			return err
		}
		owner := ledger.Owner{Kind: ledger.OwnerCardMember, ID: *r.memberID}
		// Lock the member: one contact's sales on a card run one at a
		// time, so the day's count and the stamps read stay true until commit.
		b := &pgx.Batch{}
		b.Queue(`SELECT 1 FROM card_members WHERE merchant_id = $1 AND id = $2 FOR UPDATE`, m.ID, *r.memberID)
		b.Queue(`SELECT count(*) FROM pos_sales WHERE merchant_id = $1 AND program = 'card' AND member_id = $2 AND local_day = $3`,
			m.ID, *r.memberID, merchantDay(now, m))
		b.Queue(`SELECT coalesce(sum(balance), 0)::bigint FROM ledger_accounts
			WHERE merchant_id = $1 AND owner_kind = $2 AND owner_id = $3 AND unit = $4`,
			m.ID, string(owner.Kind), owner.ID, int16(ledger.Stamps))
		br := tx.SendBatch(ctx, b)
		var one int
		var today int64
		var current ledger.Amount
		err1 := br.QueryRow().Scan(&one)
		err2 := br.QueryRow().Scan(&today)
		err3 := br.QueryRow().Scan(&current)
		if err := br.Close(); err != nil {
			return interpretError(err)
		}
		for _, e := range []error{err1, err2, err3} {
			if e != nil {
				return interpretError(e)
			}
		}
		if r.setting2 > 0 && today >= r.setting2 {
			return ErrDailyLimit
		}
		if err := s.takeOperation(ctx, tx, m); err != nil {
			return err
		}
		if r.message {
			if err := s.chargeMessage(ctx, tx, m); err != nil {
				return err
			}
		}
		account := ledger.AccountKey{Owner: owner, Unit: ledger.Stamps}
		postings, completed, err := ledger.Stamp(account, current, int(r.setting1))
		if err != nil {
			return err
		}
		info := TxInfo{Type: "CARD STAMP", ExternalEntityID: in.Ticket, CollaboratorID: in.CollaboratorID, Purchase: amount,
			Title: r.name}
		posted, err := s.post(ctx, tx, m.ID, plan{info: info, postings: postings, holder: owner, unit: ledger.Stamps})
		if err != nil {
			return err
		}
		if completed {
			if _, err := tx.Exec(ctx, `UPDATE card_members SET completions = completions + 1 WHERE merchant_id = $1 AND id = $2`,
				m.ID, *r.memberID); err != nil {
				return interpretError(err)
			}
		}
		res = SaleResult{Completed: completed, NewBalance: posted.Balance}
		if err := s.recordSale(ctx, tx, m, now, saleRecord{program: ProgramCard, programID: *r.programID, memberID: *r.memberID,
			contactID: *r.contactID, collaboratorID: in.CollaboratorID, kind: "stamp", ticket: in.Ticket, amount: &amount,
			points: ledger.OneStamp, completed: completed, newBalance: posted.Balance, ledgerTxID: ledgerTxID(posted)}); err != nil {
			return err
		}
		ev := outboxEvent{program: ProgramCard, programID: *r.programID, now: now}
		if r.message {
			text := stampText(r.name, ledger.WholeStamps(posted.Balance), r.setting1, completed)
			if err := enqueueMessage(ctx, tx, m, ev, "stamp", in.Phone, text); err != nil {
				return err
			}
		}
		if r.webhookURL != "" {
			return enqueueWebhook(ctx, tx, m, ev, r.webhookURL, "Purchase", purchase(ProgramCard, r.name, amount, localTime(now, m)))
		}
		return nil
	})
	return res, err
}
