package store

import (
	"time"

	"github.com/puntos/puntos/internal/ledger"
)

// saleBatchWriteSQL writes a batch of planned sales of one program kind
// (wallet or card, $38) in one statement. Accounts are named by index into
// the key arrays: a holder account the batch locked is updated by id with the batch's net change
// (never below zero), a holder account the batch opens is inserted, and
// system accounts are looked up (never updated). Transactions get their ids
// from the identity sequence first so postings and sale records can name
// them, and the final assert_written fails the statement — and so the
// COMMIT queued behind it — unless every row was written: a balance that
// would go below zero, an account opened concurrently, or a missing system
// account undoes the whole batch. Cards completed by the batch count their
// completions ($40..$42, one row per member).
const saleBatchWriteSQL = `
WITH k AS (
    SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::timestamptz[], $6::bigint[], $37::bigint[])
        WITH ORDINALITY AS k(mid, kind, oid, batch, exp, delta, aid, idx)
), updated AS (
    UPDATE ledger_accounts AS a SET balance = a.balance + k.delta
    FROM k
    WHERE k.kind <> 'system' AND k.aid <> 0 AND a.merchant_id = k.mid AND a.id = k.aid AND a.balance + k.delta >= 0
    RETURNING k.idx, a.id
), created AS (
    INSERT INTO ledger_accounts AS a (merchant_id, owner_kind, owner_id, unit, batch_id, expires_at, balance)
    SELECT mid, kind, oid, $7, nullif(batch, 0), exp, delta FROM k WHERE kind <> 'system' AND aid = 0 AND delta >= 0
    RETURNING a.merchant_id, a.id, a.owner_kind, a.owner_id, coalesce(a.batch_id, 0) AS batch
), ids AS (
    SELECT k.idx, coalesce(u.id, c.id, s.id) AS id
    FROM k
    LEFT JOIN updated u ON u.idx = k.idx
    LEFT JOIN created c ON (c.merchant_id, c.owner_kind, c.owner_id, c.batch) = (k.mid, k.kind, k.oid, k.batch)
    LEFT JOIN LATERAL (SELECT id FROM ledger_accounts WHERE k.kind = 'system' AND merchant_id = k.mid
        AND owner_kind = 'system' AND owner_id = k.oid AND unit = $7 AND batch_id IS NULL LIMIT 1) s ON true
), t AS MATERIALIZED (
    SELECT t.*, nextval('ledger_transactions_id_seq'::regclass) AS id
    FROM unnest($8::bigint[], $9::text[], $10::text[], $11::text[], $12::bigint[], $13::bigint[])
        WITH ORDINALITY AS t(mid, type, title, ext, collab, amount, idx)
), tx AS (
    INSERT INTO ledger_transactions (merchant_id, id, type, title, external_entity_id, collaborator_id, amount, created_at)
    OVERRIDING SYSTEM VALUE
    SELECT mid, id, type, title, ext, collab, amount, $14 FROM t
    RETURNING 1
), p AS (
    INSERT INTO ledger_postings (merchant_id, tx_id, n, from_account, to_account, unit, amount)
    SELECT t.mid, t.id, q.n, f.id, d.id, $7, q.amount
    FROM unnest($15::int[], $16::smallint[], $17::int[], $18::int[], $19::bigint[]) AS q(txi, n, f, d, amount)
    JOIN t ON t.idx = q.txi
    JOIN ids f ON f.idx = q.f
    JOIN ids d ON d.idx = q.d
    WHERE f.id IS NOT NULL AND d.id IS NOT NULL
    RETURNING 1
), sales AS (
    INSERT INTO pos_sales (merchant_id, program, program_id, member_id, contact_id, collaborator_id,
        kind, ticket, amount, points, outcome, new_balance, local_day, created_at, ledger_tx_id)
    SELECT s.mid, $38, s.program, s.member, s.contact, s.collab, s.kind, s.ticket, s.amount, s.points, s.outcome,
        s.balance, s.day, $14, t.id
    FROM unnest($20::bigint[], $21::bigint[], $22::bigint[], $23::bigint[], $24::bigint[], $25::text[],
        $26::text[], $27::bigint[], $28::bigint[], $29::bigint[], $30::date[], $31::int[], $39::text[])
        AS s(mid, program, member, contact, collab, kind, ticket, amount, points, balance, day, txi, outcome)
    LEFT JOIN t ON t.idx = s.txi
    RETURNING 1
), ob AS (
    INSERT INTO outbox (merchant_id, kind, event, program, program_id, target, body, next_attempt_at, created_at)
    SELECT o.mid, 'webhook', 'Purchase', $38, o.program, o.target, o.body, $14, $14
    FROM unnest($32::bigint[], $33::bigint[], $34::text[], $35::text[]) AS o(mid, program, target, body)
    RETURNING 1
), done AS (
    UPDATE card_members AS cm SET completions = cm.completions + c.n
    FROM unnest($40::bigint[], $41::bigint[], $42::bigint[]) AS c(mid, member, n)
    WHERE cm.merchant_id = c.mid AND cm.id = c.member
    RETURNING 1
)
SELECT assert_written((SELECT count(*) FROM updated) + (SELECT count(*) FROM created) = $36
    AND (SELECT count(*) FROM tx) = cardinality($8::bigint[])
    AND (SELECT count(*) FROM p) = cardinality($15::int[])
    AND (SELECT count(*) FROM sales) = cardinality($20::bigint[])
    AND (SELECT count(*) FROM ob) = cardinality($32::bigint[])
    AND (SELECT count(*) FROM done) = cardinality($40::bigint[]), $38 || ' sales')`

// saleWrite collects the rows of one batch as saleBatchWriteSQL's parallel
// arrays. Indexes into the key and transaction arrays count from 1.
type saleWrite struct {
	program Program
	unit    ledger.Unit
	now     time.Time
	results []SaleResult // per job, for the jobs written
	wrote   []bool
	holders int

	keys                             map[accountRef]int32
	kMid, kOid, kBatch, kDelta, kAid []int64
	kKind                            []string
	kExp                             []*time.Time
	tMid                             []int64
	tType, tTitle                    []string
	tExt                             []*string
	tCollab, tAmount                 []*int64
	qTx, qFrom, qTo                  []int32
	qN                               []int16
	qAmount                          []int64
	sMid, sProgram, sMember          []int64
	sContact, sCollab                []int64
	sKind, sOutcome                  []string
	sTicket                          []*string
	sAmount                          []*int64
	sPoints, sBalance                []int64
	sDay                             []time.Time
	sTx                              []int32
	oMid, oProgram                   []int64
	oTarget, oBody                   []string
	completions                      map[memberKey]int // member → index in cMid
	cMid, cMember, cN                []int64
}

// accountRef names an account across merchants.
type accountRef struct {
	merchant int64
	key      ledger.AccountKey
}

func newSaleWrite(p Program, unit ledger.Unit, n int, now time.Time) *saleWrite {
	return &saleWrite{program: p, unit: unit, now: now, results: make([]SaleResult, n), wrote: make([]bool, n),
		keys: map[accountRef]int32{}, completions: map[memberKey]int{}}
}

// batchSale is what one sale of a batch writes, as its lone path would.
type batchSale struct {
	typ, kind string         // the ledger transaction's type, the sale record's kind
	purchase  ledger.Amount  // the transaction's purchase amount and the webhook's (0: none)
	recorded  *ledger.Amount // the sale record's amount (nil: none)
	points    ledger.Amount  // the sale record's points
	completed bool           // a card sale that completed the card
	postings  []ledger.Posting
	accounts  []ledger.Account // the member's accounts after the sale (a new one has id 0)
	balance   ledger.Amount    // the answer's balance
}

// add records job i's sale: its transaction and postings (none for a
// cashback of 0.00), its sale record, its card completion and its webhook
// row.
func (w *saleWrite) add(i int, m Merchant, r saleRead, in SaleInput, b batchSale) error {
	var body string
	if r.webhookURL != "" {
		e, err := marshalEvent(purchase(w.program, r.name, b.purchase, localTime(w.now, m)))
		if err != nil {
			return err
		}
		body = string(e)
	}
	var ticket *string
	if in.Ticket != "" {
		ticket = &in.Ticket
	}
	var txi int32
	if len(b.postings) > 0 {
		w.tMid = append(w.tMid, m.ID)
		w.tType = append(w.tType, b.typ)
		w.tTitle = append(w.tTitle, r.name)
		w.tExt = append(w.tExt, ticket)
		w.tCollab = append(w.tCollab, nullIfZero(in.CollaboratorID))
		w.tAmount = append(w.tAmount, nullIfZero(int64(b.purchase)))
		txi = int32(len(w.tMid))
		for n, p := range b.postings {
			w.qTx = append(w.qTx, txi)
			w.qN = append(w.qN, int16(n+1))
			w.qFrom = append(w.qFrom, w.key(m.ID, p.From, -p.Amount, b.accounts))
			w.qTo = append(w.qTo, w.key(m.ID, p.To, p.Amount, b.accounts))
			w.qAmount = append(w.qAmount, int64(p.Amount))
		}
	}
	w.sMid = append(w.sMid, m.ID)
	w.sProgram = append(w.sProgram, *r.programID)
	w.sMember = append(w.sMember, *r.memberID)
	w.sContact = append(w.sContact, *r.contactID)
	w.sCollab = append(w.sCollab, in.CollaboratorID)
	w.sKind = append(w.sKind, b.kind)
	w.sTicket = append(w.sTicket, ticket)
	var amount *int64
	if b.recorded != nil {
		v := int64(*b.recorded)
		amount = &v
	}
	w.sAmount = append(w.sAmount, amount)
	w.sPoints = append(w.sPoints, int64(b.points))
	w.sBalance = append(w.sBalance, int64(b.balance))
	w.sDay = append(w.sDay, merchantDay(w.now, m))
	w.sTx = append(w.sTx, txi)
	outcome := "ok"
	if b.completed {
		outcome = "completed"
		mk := memberKey{m.ID, *r.memberID}
		c, ok := w.completions[mk]
		if !ok {
			c = len(w.cMid)
			w.completions[mk] = c
			w.cMid, w.cMember, w.cN = append(w.cMid, m.ID), append(w.cMember, *r.memberID), append(w.cN, 0)
		}
		w.cN[c]++
	}
	w.sOutcome = append(w.sOutcome, outcome)
	if r.webhookURL != "" {
		w.oMid = append(w.oMid, m.ID)
		w.oProgram = append(w.oProgram, *r.programID)
		w.oTarget = append(w.oTarget, r.webhookURL)
		w.oBody = append(w.oBody, body)
	}
	w.results[i], w.wrote[i] = SaleResult{Completed: b.completed, NewBalance: b.balance}, true
	return nil
}

// key is the index of an account in the key arrays, adding it the first
// time; delta accumulates the holder's net change over the batch. accounts
// are the member's accounts after the sale (a new one has id 0).
func (w *saleWrite) key(merchant int64, k ledger.AccountKey, delta ledger.Amount, accounts []ledger.Account) int32 {
	ref := accountRef{merchant, k}
	i, ok := w.keys[ref]
	if !ok {
		// The account's id (0: opened by this batch) and its expiry.
		var id int64
		var exp *time.Time
		for _, a := range accounts {
			if a.Key == k {
				id = a.ID
				if !a.ExpiresAt.IsZero() {
					t := a.ExpiresAt
					exp = &t
				}
			}
		}
		w.kMid = append(w.kMid, merchant)
		w.kKind = append(w.kKind, string(k.Owner.Kind))
		w.kOid = append(w.kOid, k.Owner.ID)
		w.kBatch = append(w.kBatch, k.BatchID)
		w.kExp = append(w.kExp, exp)
		w.kDelta = append(w.kDelta, 0)
		w.kAid = append(w.kAid, id)
		i = int32(len(w.kMid))
		w.keys[ref] = i
		if !k.Owner.IsSystem() {
			w.holders++
		}
	}
	if !k.Owner.IsSystem() {
		w.kDelta[i-1] += int64(delta)
	}
	return i
}

// idemReservations are the Idempotency-Key reservations of the jobs the
// batch writes; refused, replayed and lone sales are not the batch's to mark.
func (w *saleWrite) idemReservations(jobs []*saleJob) []int64 {
	var ids []int64
	for i, j := range jobs {
		if id, ok := idemReservation(j.ctx); ok && w.wrote[i] {
			ids = append(ids, id)
		}
	}
	return ids
}

// empty reports a batch with nothing to write.
func (w *saleWrite) empty() bool { return len(w.sMid) == 0 }

func (w *saleWrite) args() []any {
	return []any{w.kMid, w.kKind, w.kOid, w.kBatch, w.kExp, w.kDelta, int16(w.unit),
		w.tMid, w.tType, w.tTitle, w.tExt, w.tCollab, w.tAmount, w.now,
		w.qTx, w.qN, w.qFrom, w.qTo, w.qAmount,
		w.sMid, w.sProgram, w.sMember, w.sContact, w.sCollab, w.sKind, w.sTicket, w.sAmount, w.sPoints, w.sBalance,
		w.sDay, w.sTx,
		w.oMid, w.oProgram, w.oTarget, w.oBody, int64(w.holders), w.kAid,
		string(w.program), w.sOutcome, w.cMid, w.cMember, w.cN}
}
