package store

import (
	"context"
	"fmt"
	"time"

	"github.com/puntos/puntos/internal/ledger"
)

// plan is one ledger transaction ready to write.
type plan struct {
	info     TxInfo
	reverses int64 // the transaction a reversal mirrors (0 = none)
	postings []ledger.Posting
	// expires gives the expiry of every batch account the postings touch,
	// so that an account created by this write carries its batch's date.
	expires map[ledger.AccountKey]time.Time
	// allowNegative lets holder balances go below zero (reversals, when the
	// merchant allows it); otherwise the database refuses such an update.
	allowNegative bool
	// holder is whose balance Posted.Balance reports.
	holder ledger.Owner
	unit   ledger.Unit
	// batch, when set, is found or created in the same statement, and
	// postings name its accounts with BatchID pendingBatch.
	batch *BatchSpec
}

// pendingBatch stands for plan.batch's id until postSQL resolves it.
const pendingBatch int64 = -1

// postSQL writes one transaction in one statement: the batch it credits
// (found by content or created, without locking it: a batch shared by a
// day's sales must not become a hot row), the transaction row (or nothing if
// its natural key exists), the holder accounts' balance changes (creating
// missing accounts), and the postings. Holder updates are conditional: a
// change that would leave a balance below zero is skipped unless negatives
// are allowed, and the caller sees fewer rows than asked and fails. System
// accounts are only read, never updated: no shared row is written by every
// sale. Account ids are matched by (kind, owner, batch). It answers the new
// transaction id (NULL on a natural-key conflict), the batch id, the counts
// written, and the holder's balance afterwards.
const postSQL = `
WITH bfound AS (
    SELECT id FROM ledger_batches
    WHERE $28 AND merchant_id = $1 AND set_name = $29 AND expires_at = $30
    AND coalesce(start_date, '-infinity') = coalesce($31::timestamptz, '-infinity')
    AND coalesce(end_date, '-infinity') = coalesce($32::timestamptz, '-infinity')
), bins AS (
    INSERT INTO ledger_batches (merchant_id, set_name, expires_at, start_date, end_date, created_at)
    SELECT $1, $29, $30, $31, $32, $15 WHERE $28 AND NOT EXISTS (SELECT 1 FROM bfound)
    ON CONFLICT DO NOTHING
    RETURNING id
), bat AS (
    SELECT id FROM bfound UNION ALL SELECT id FROM bins
), tx AS (
    INSERT INTO ledger_transactions (merchant_id, type, code, idem_scope, idem_key, fingerprint, title, description,
        external_entity_id, store_id, collaborator_id, amount, reverses_tx_id, data, created_at)
    SELECT $1::bigint, $2::text, $3::text, $4::text, $5::text, $6::bytea, $7::text, $8::text, $9::text,
        $10::bigint, $11::bigint, $12::bigint, $13::bigint, $14::jsonb, $15::timestamptz
    WHERE NOT $28 OR EXISTS (SELECT 1 FROM bat)
    ON CONFLICT (merchant_id, idem_scope, idem_key) WHERE idem_key IS NOT NULL DO NOTHING
    RETURNING id
), keys AS (
    SELECT k.kind, k.oid, CASE WHEN k.batch = -1 THEN (SELECT id FROM bat) ELSE k.batch END AS batch,
        k.exp, k.delta, k.idx
    FROM unnest($16::text[], $17::bigint[], $18::bigint[], $19::timestamptz[], $20::bigint[])
        WITH ORDINALITY AS k(kind, oid, batch, exp, delta, idx)
), holder AS (
    INSERT INTO ledger_accounts AS a (merchant_id, owner_kind, owner_id, unit, batch_id, expires_at, balance)
    SELECT $1, k.kind, k.oid, $21, nullif(k.batch, 0), k.exp, k.delta
    FROM tx, keys k WHERE k.kind <> 'system'
    ON CONFLICT (merchant_id, owner_kind, owner_id, unit, coalesce(batch_id, 0))
    DO UPDATE SET balance = a.balance + EXCLUDED.balance
        WHERE EXCLUDED.balance >= 0 OR a.balance + EXCLUDED.balance >= 0 OR $22
    RETURNING a.id, a.owner_kind, a.owner_id, coalesce(a.batch_id, 0) AS batch, a.balance, a.expires_at
), ids AS (
    SELECT k.idx, coalesce(h.id, s.id) AS id
    FROM keys k
    LEFT JOIN holder h ON (h.owner_kind, h.owner_id, h.batch) = (k.kind, k.oid, k.batch)
    LEFT JOIN ledger_accounts s ON k.kind = 'system' AND s.merchant_id = $1 AND s.owner_kind = 'system'
        AND s.owner_id = k.oid AND s.unit = $21 AND s.batch_id IS NULL
), p AS (
    INSERT INTO ledger_postings (merchant_id, tx_id, n, from_account, to_account, unit, amount)
    SELECT $1, tx.id, q.n, f.id, t.id, $21, q.amount
    FROM tx, unnest($23::int[], $24::int[], $25::bigint[]) WITH ORDINALITY AS q(f, t, amount, n)
    JOIN ids f ON f.idx = q.f
    JOIN ids t ON t.idx = q.t
    WHERE f.id IS NOT NULL AND t.id IS NOT NULL
    RETURNING 1
)
SELECT (SELECT id FROM tx), (SELECT id FROM bat), (SELECT count(*) FROM holder), (SELECT count(*) FROM p),
    (SELECT coalesce(sum(balance), 0) FROM holder
        WHERE owner_kind = $26 AND owner_id = $27 AND (expires_at IS NULL OR expires_at > $15))::bigint
    + (SELECT coalesce(sum(balance), 0) FROM ledger_accounts
        WHERE merchant_id = $1 AND owner_kind = $26 AND owner_id = $27 AND unit = $21
        AND (expires_at IS NULL OR expires_at > $15) AND id NOT IN (SELECT id FROM holder))::bigint`

// keyArgs flattens account keys into the parallel arrays postSQL unnests.
type keyArgs struct {
	kinds   []string
	owners  []int64
	batches []int64
	exps    []*time.Time
	deltas  []int64
}

// post writes p with postSQL: one round trip. On a natural-key conflict it
// returns the original transaction with Replayed set (one more round trip),
// together with ErrIdemMismatch when the fingerprints differ. A holder
// balance the write would take below zero fails with
// ledger.ErrInsufficientFunds, a second reversal of a transaction with
// ledger.ErrAlreadyReversed. After any error the caller's transaction must
// be rolled back: part of the write may have happened.
func (s *Store) post(ctx context.Context, q querier, merchantID int64, p plan) (Posted, error) {
	if err := ledger.Validate(p.postings); err != nil {
		return Posted{}, err
	}
	// Index every account the postings name; postSQL resolves them to ids.
	idx := map[ledger.AccountKey]int32{}
	var k keyArgs
	net := ledger.Net(p.postings)
	holders := 0
	add := func(key ledger.AccountKey) int32 {
		if i, ok := idx[key]; ok {
			return i
		}
		if key.Unit != p.unit {
			panic(fmt.Sprintf("store: posting in %v within a %v transaction", key.Unit, p.unit))
		}
		k.kinds = append(k.kinds, string(key.Owner.Kind))
		k.owners = append(k.owners, key.Owner.ID)
		k.batches = append(k.batches, key.BatchID)
		var exp *time.Time
		if key.BatchID != 0 {
			t, ok := p.expires[key]
			if !ok {
				panic(fmt.Sprintf("store: no expiry known for batch account %v", key))
			}
			exp = &t
		}
		k.exps = append(k.exps, exp)
		k.deltas = append(k.deltas, int64(net[key]))
		if !key.Owner.IsSystem() {
			holders++
		}
		idx[key] = int32(len(k.kinds))
		return idx[key]
	}
	var from, to []int32
	var amounts []int64
	for _, ps := range p.postings {
		from = append(from, add(ps.From))
		to = append(to, add(ps.To))
		amounts = append(amounts, int64(ps.Amount))
	}
	now := s.clock.Now()
	in := p.info
	var purchase *int64
	if in.Purchase != 0 {
		v := int64(in.Purchase)
		purchase = &v
	}
	var data any
	if in.Data != nil {
		data = string(in.Data)
	}
	var bs BatchSpec
	if p.batch != nil {
		bs = *p.batch
	}
	var txID, batchID *int64
	var nHolders, nPostings, balance int64
	for attempt := 0; ; attempt++ {
		err := q.QueryRow(ctx, postSQL, merchantID, in.Type, nullIfEmpty(in.Code), nullIfEmpty(in.IdemScope),
			nullIfEmpty(in.IdemKey), in.Fingerprint, in.Title, in.Description, nullIfEmpty(in.ExternalEntityID),
			nullIfZero(in.StoreID), nullIfZero(in.CollaboratorID), purchase, nullIfZero(p.reverses), data, now,
			k.kinds, k.owners, k.batches, k.exps, k.deltas, int16(p.unit), p.allowNegative,
			from, to, amounts, string(p.holder.Kind), p.holder.ID,
			p.batch != nil, bs.SetName, bs.ExpiresAt, nullTime(bs.StartDate), nullTime(bs.EndDate),
		).Scan(&txID, &batchID, &nHolders, &nPostings, &balance)
		if err != nil {
			if constraintName(err) == "ledger_transactions_reverses" {
				return Posted{}, ledger.ErrAlreadyReversed
			}
			return Posted{}, interpretError(err)
		}
		if p.batch == nil || batchID != nil {
			break
		}
		// A concurrent transaction created the same batch after this
		// statement's snapshot: nothing was written, and the next statement
		// sees the committed batch.
		if attempt == 2 {
			return Posted{}, fmt.Errorf("store: batch %+v neither found nor created", bs)
		}
	}
	if txID == nil {
		return s.replay(ctx, q, merchantID, in, p.holder)
	}
	switch {
	case int(nHolders) < holders:
		return Posted{}, ledger.ErrInsufficientFunds
	case int(nPostings) != len(p.postings):
		return Posted{}, fmt.Errorf("store: %d of %d postings written: a system account of merchant %d is missing", nPostings, len(p.postings), merchantID)
	}
	postings := p.postings
	if p.batch != nil {
		postings = resolved(postings, *batchID)
	}
	return Posted{
		Tx:       Tx{ID: *txID, TxInfo: in, ReversesTxID: p.reverses, CreatedAt: now},
		Postings: postings,
		Unit:     p.unit,
		Balance:  ledger.Amount(balance),
	}, nil
}

// resolved returns postings with pendingBatch replaced by the batch's id.
func resolved(postings []ledger.Posting, batchID int64) []ledger.Posting {
	out := make([]ledger.Posting, len(postings))
	for i, p := range postings {
		if p.From.BatchID == pendingBatch {
			p.From.BatchID = batchID
		}
		if p.To.BatchID == pendingBatch {
			p.To.BatchID = batchID
		}
		out[i] = p
	}
	return out
}

// replay answers a natural-key repeat with the original transaction.
func (s *Store) replay(ctx context.Context, q querier, merchantID int64, in TxInfo, holder ledger.Owner) (Posted, error) {
	tx, err := s.txByIdem(ctx, q, merchantID, in.IdemScope, in.IdemKey)
	if err != nil {
		return Posted{}, err
	}
	return s.replayOf(ctx, q, merchantID, tx, in.Fingerprint, holder)
}
