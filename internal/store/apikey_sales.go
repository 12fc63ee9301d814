package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// A sale of the apikey API is one database transaction: one read gathers
// every fact the checks need (program, collaborator, contact, membership,
// blacklist, an earlier sale with the same ticket), the checks run in the
// endpoint's order, then the ledger posting, the sale record and the outbox
// rows are written. Nothing merchant-wide is updated unless the merchant has
// an operation quota or a messaging credit set: a merchant without limits
// never serialises its tills on one row.

// SaleInput is a /loyalty/sale, /wallet/sale or /wallet/balance/update
// request that passed its format checks.
type SaleInput struct {
	Key            string // loyalty_key or wallet_key
	Phone          string // ten digits
	CollaboratorID int64  // 0 when usertool_id is not a number: never the merchant's
	Ticket         string // "" = none
	// Amount is the purchase amount (hundredths); AmountGiven says whether
	// it was sent and AmountBad whether it was malformed or not positive
	// (cards check it late, in their table's order).
	Amount      ledger.Amount
	AmountGiven bool
	AmountBad   bool
	// Spend is true for a wallet spend (transaction_type 1) or a balance
	// removal; Points is what is spent, removed or added.
	Spend  bool
	Points ledger.Amount
}

// SaleResult is a sale's answer. On a ticket replay it is the first sale's.
type SaleResult struct {
	Completed  bool          // a card sale that completed the card
	NewBalance ledger.Amount // stamps on the card (cards) or available points (wallets)
	Replayed   bool
}

// saleRead is what the first round trip of a sale returns.
type saleRead struct {
	programID     *int64
	name          string
	enabled       bool
	ticketReq     bool
	setting1      int64  // stamps_required (cards) | cashback_percent (wallets)
	defaultAmount *int64 // cards
	setting2      int64  // max_stamps_per_day (cards) | points_ttl_days (wallets)
	webhookURL    string
	message       bool // stamp_message | sale_message
	collabFound   bool
	collabAllowed bool
	contactID     *int64
	disabled      bool
	memberID      *int64
	blacklisted   bool
	priorContact  *int64
	priorOutcome  *string
	priorBalance  *int64
}

// saleReadSQL reads the facts of one sale per row of {inputs}, a relation
// i(mid, key, phone, collab, ticket, idx): one row for a lone sale, many for
// a batch of wallet sales (apikey_walletbatch.go), so both paths check the
// same facts. Each lookup is a LATERAL subquery with LIMIT 1: the limit
// keeps Postgres from flattening it into one join whose order it would
// choose from statistics (on young tables it probed the members by wallet
// alone and filtered thousands of rows by contact), so every lookup stays
// a probe of a unique index on its full key, whatever the statistics say.
const saleReadSQL = `
SELECT i.idx, p.id, coalesce(p.name, ''), coalesce(p.enabled, false), coalesce(p.ticket_required, false),
       {settings},
       coalesce(p.webhook_url, ''), coalesce(p.{message}, false),
       col.id IS NOT NULL,
       coalesce(col.status = 'active' AND (col.{scope} IS NULL OR p.id = ANY (col.{scope})), false),
       ct.id, coalesce(ct.disabled, false), pm.id, bl.blocked IS NOT NULL,
       prior.contact_id, prior.outcome, prior.new_balance
FROM {inputs}
LEFT JOIN LATERAL (SELECT * FROM {table} WHERE merchant_id = i.mid AND key = i.key LIMIT 1) p ON true
LEFT JOIN LATERAL (SELECT * FROM collaborators WHERE merchant_id = i.mid AND id = i.collab LIMIT 1) col ON true
LEFT JOIN LATERAL (SELECT id, disabled FROM contacts WHERE merchant_id = i.mid AND phone = i.phone LIMIT 1) ct ON true
LEFT JOIN LATERAL (SELECT id FROM {members} WHERE merchant_id = i.mid AND {fk} = p.id AND contact_id = ct.id LIMIT 1) pm ON true
LEFT JOIN LATERAL (SELECT true AS blocked FROM blacklist WHERE merchant_id = i.mid AND phone = i.phone LIMIT 1) bl ON true
LEFT JOIN LATERAL (SELECT contact_id, outcome, new_balance FROM pos_sales
    WHERE merchant_id = i.mid AND program = $6 AND program_id = p.id AND ticket = i.ticket LIMIT 1) prior ON true`

const (
	oneSaleInput   = `(SELECT $1::bigint, $2::text, $3::text, $4::bigint, $5::text, 1::bigint) AS i(mid, key, phone, collab, ticket, idx)`
	saleBatchInput = `unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[]) WITH ORDINALITY AS i(mid, key, phone, collab, ticket, idx)`
)

var saleSettings = map[Program]string{
	ProgramCard:   `coalesce(p.stamps_required, 10)::bigint, p.default_amount, coalesce(p.max_stamps_per_day, 0)::bigint`,
	ProgramWallet: `coalesce(p.cashback_percent, 0)::bigint, NULL::bigint, coalesce(p.points_ttl_days, 0)::bigint`,
}

// saleReadQuery is saleReadSQL for program p over the given inputs.
func saleReadQuery(p Program, inputs string) string {
	return strings.NewReplacer("{settings}", saleSettings[p], "{inputs}", inputs).Replace(p.sql(saleReadSQL))
}

var (
	oneSaleRead     = map[Program]string{ProgramCard: saleReadQuery(ProgramCard, oneSaleInput), ProgramWallet: saleReadQuery(ProgramWallet, oneSaleInput)}
	walletBatchRead = saleReadQuery(ProgramWallet, saleBatchInput)
)

func (s *Store) readSale(ctx context.Context, tx pgx.Tx, m Merchant, p Program, in SaleInput) (saleRead, error) {
	var ticket *string
	if in.Ticket != "" {
		ticket = &in.Ticket
	}
	r, _, err := scanSaleRead(tx.QueryRow(ctx, oneSaleRead[p], m.ID, in.Key, in.Phone, in.CollaboratorID, ticket, string(p)))
	return r, interpretError(err)
}

// scanSaleRead scans one row of saleReadSQL and its input's index (from 1).
func scanSaleRead(row pgx.Row) (saleRead, int64, error) {
	var r saleRead
	var idx int64
	err := row.Scan(r.dest(&idx)...)
	return r, idx, err
}

// saleReadColumns names saleReadSQL's columns, in order, for a statement
// that reads them from a CTE (walletBatchReadLockSQL).
const saleReadColumns = `idx, program, name, enabled, ticket_required, setting1, default_amount, setting2,
    webhook_url, message, collab_found, collab_allowed, contact, disabled, member, blacklisted,
    prior_contact, prior_outcome, prior_balance`

// dest is the scan destinations of saleReadSQL's columns, idx first.
func (r *saleRead) dest(idx *int64) []any {
	return []any{idx, &r.programID, &r.name, &r.enabled, &r.ticketReq, &r.setting1, &r.defaultAmount, &r.setting2,
		&r.webhookURL, &r.message, &r.collabFound, &r.collabAllowed, &r.contactID, &r.disabled, &r.memberID,
		&r.blacklisted, &r.priorContact, &r.priorOutcome, &r.priorBalance}
}

// replay answers a ticket seen before: the first result for the same
// contact, ErrTicketOtherContact for another. ok is false without a prior sale.
func (r saleRead) replay() (SaleResult, bool, error) {
	if r.priorContact == nil {
		return SaleResult{}, false, nil
	}
	if r.contactID == nil || *r.priorContact != *r.contactID {
		return SaleResult{}, true, ErrTicketOtherContact
	}
	return SaleResult{Completed: *r.priorOutcome == "completed", NewBalance: ledger.Amount(*r.priorBalance), Replayed: true}, true, nil
}

// walletRefusal is a wallet sale's checks before its ticket replay, in the
// seed table's order (walletSaleTx and planWalletBatch both use it).
func (r saleRead) walletRefusal(in SaleInput) error {
	switch {
	case r.programID == nil || !r.enabled:
		return ErrProgramNotFound
	case r.ticketReq && in.Ticket == "":
		return ErrTicketRequired
	case r.memberID == nil:
		return ErrNotEnrolled
	case !r.collabFound:
		return ErrCollaboratorNotFound
	case !r.collabAllowed:
		return ErrCollaboratorNotAllowed
	}
	return nil
}

// cardRefusal is a card stamp's checks before its ticket replay, in the
// seed table's order (cardSaleAlone and planCardBatch both use it).
func (r saleRead) cardRefusal() error {
	switch {
	case r.programID == nil:
		return ErrProgramNotFound
	case !r.enabled:
		return ErrProgramDisabled
	case !r.collabFound:
		return ErrCollaboratorNotFound
	case !r.collabAllowed:
		return ErrCollaboratorNotAllowed
	case r.contactID == nil:
		return ErrContactNotFound
	case r.memberID == nil:
		return ErrNotEnrolled
	}
	return nil
}

// cardAmount is a card stamp's checks after its ticket replay, in the seed
// table's order, and the purchase amount it records: the one sent, or the
// card's default.
func (r saleRead) cardAmount(in SaleInput) (ledger.Amount, error) {
	switch {
	case r.blacklisted || r.disabled:
		return 0, ErrBlacklisted
	case r.ticketReq && in.Ticket == "":
		return 0, ErrTicketRequired
	case in.AmountBad, !in.AmountGiven && r.defaultAmount == nil:
		return 0, ErrAmountRequired
	case !in.AmountGiven:
		return ledger.Amount(*r.defaultAmount), nil
	}
	return in.Amount, nil
}

// errTicketRace is a concurrent sale taking the same ticket between the
// read and the insert; the sale is run again and then replays it.
var errTicketRace = errors.New("ticket taken concurrently")

// runSale runs one sale transaction, once more if a concurrent request with
// the same ticket won the race (the second run answers its result).
func (s *Store) runSale(ctx context.Context, fn func(pgx.Tx) error) error {
	err := s.inTx(ctx, fn)
	if errors.Is(err, errTicketRace) {
		err = s.inTx(ctx, fn)
	}
	if errors.Is(err, errTicketRace) {
		return ErrTicketOtherContact
	}
	return err
}

// saleRecord is one pos_sales row.
type saleRecord struct {
	program                        Program
	programID, memberID, contactID int64
	collaboratorID                 int64
	kind                           string
	ticket                         string
	amount                         *ledger.Amount
	points                         ledger.Amount
	completed                      bool
	newBalance                     ledger.Amount
	ledgerTxID                     *int64
}

func (s *Store) recordSale(ctx context.Context, tx pgx.Tx, m Merchant, now time.Time, rec saleRecord) error {
	var ticket *string
	if rec.ticket != "" {
		ticket = &rec.ticket
	}
	outcome := "ok"
	if rec.completed {
		outcome = "completed"
	}
	_, err := tx.Exec(ctx, `INSERT INTO pos_sales (merchant_id, program, program_id, member_id, contact_id, collaborator_id,
		kind, ticket, amount, points, outcome, new_balance, local_day, created_at, ledger_tx_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		m.ID, string(rec.program), rec.programID, rec.memberID, rec.contactID, rec.collaboratorID, rec.kind, ticket,
		rec.amount, rec.points, outcome, rec.newBalance, merchantDay(now, m), now, rec.ledgerTxID)
	if err = interpretError(err); errors.Is(err, ErrConflict) {
		return errTicketRace
	}
	return err
}

// takeOperation counts one "canje" against the merchant's operation quota,
// only when a quota is set.
func (s *Store) takeOperation(ctx context.Context, tx pgx.Tx, m Merchant) error {
	if m.Settings.OperationQuota == nil {
		return nil
	}
	tag, err := tx.Exec(ctx, `UPDATE merchants SET operations_used = operations_used + 1
		WHERE id = $1 AND operation_quota IS NOT NULL AND operations_used < operation_quota`, m.ID)
	if err != nil {
		return interpretError(err)
	}
	if tag.RowsAffected() == 0 {
		var quota *int64
		if err := tx.QueryRow(ctx, `SELECT operation_quota FROM merchants WHERE id = $1`, m.ID).Scan(&quota); err != nil {
			return interpretError(err)
		}
		if quota != nil {
			return ErrOperationQuota
		}
	}
	return nil
}

func ledgerTxID(p Posted) *int64 {
	if p.Tx.ID == 0 {
		return nil
	}
	id := p.Tx.ID
	return &id
}

func stampText(name string, stamps int64, required int64, completed bool) string {
	if completed {
		return fmt.Sprintf("¡Completaste tu tarjeta %s! Reclama tu recompensa.", name)
	}
	return fmt.Sprintf("Llevas %d de %d sellos en %s.", stamps, required, name)
}

func balanceText(name string, balance ledger.Amount) string {
	return fmt.Sprintf("Tu saldo en %s es de %s puntos.", name, balance.String())
}
