package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// OutboxItem is one queued webhook or message claimed for delivery, with
// what delivering it needs: the program's webhook secret (read now, so a
// rotated secret signs pending events) and the merchant's messaging channel.
type OutboxItem struct {
	MerchantID   int64
	ID           int64
	Kind         string // webhook | message
	Event        string
	Target       string // URL, or the phone of a message
	Body         []byte
	Attempt      int // 1 for the first delivery
	CreatedAt    time.Time
	Secret       string
	Channel      string // log | http | none
	ChannelURL   string
	MerchantName string
}

// ClaimOutbox takes up to limit due items and leases them for lease: a
// claimed item is due again when the lease ends, so an item whose worker
// died is delivered later rather than lost. SKIP LOCKED lets several
// workers and several server processes share the outbox.
func (s *Store) ClaimOutbox(ctx context.Context, limit int, lease time.Duration) ([]OutboxItem, error) {
	now := s.clock.Now()
	var items []OutboxItem
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		items = items[:0]
		rows, err := tx.Query(ctx, `
WITH due AS (
    SELECT merchant_id, id FROM outbox
    WHERE delivered_at IS NULL AND dead_at IS NULL AND next_attempt_at <= $1
    ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED
), upd AS (
    UPDATE outbox o SET attempts = o.attempts + 1, next_attempt_at = $3
    FROM due WHERE o.merchant_id = due.merchant_id AND o.id = due.id
    RETURNING o.*
)
SELECT upd.merchant_id, upd.id, upd.kind, upd.event, upd.target, upd.body, upd.attempts, upd.created_at,
    coalesce(CASE upd.program
        WHEN 'card' THEN (SELECT webhook_secret FROM loyalty_cards c WHERE c.merchant_id = upd.merchant_id AND c.id = upd.program_id)
        ELSE (SELECT webhook_secret FROM wallets w WHERE w.merchant_id = upd.merchant_id AND w.id = upd.program_id) END, ''),
    mer.messaging_channel, coalesce(mer.messaging_url, ''), mer.name
 FROM upd JOIN merchants mer ON mer.id = upd.merchant_id`, now, limit, now.Add(lease))
		if err != nil {
			return interpretError(err)
		}
		defer rows.Close()
		for rows.Next() {
			var it OutboxItem
			var body string
			if err := rows.Scan(&it.MerchantID, &it.ID, &it.Kind, &it.Event, &it.Target, &body, &it.Attempt,
				&it.CreatedAt, &it.Secret, &it.Channel, &it.ChannelURL, &it.MerchantName); err != nil {
				return interpretError(err)
			}
			it.Body = []byte(body)
			items = append(items, it)
		}
		return interpretError(rows.Err())
	})
	return items, err
}

// DeliveryResult is the outcome of one delivery attempt.
type DeliveryResult struct {
	Status   int // the receiver's HTTP status, 0 when none came back
	Error    string
	Duration time.Duration
	// Delivered ends the item; otherwise it is due again at Next, or given
	// up when Dead (the retry window is over).
	Delivered bool
	Dead      bool
	Next      time.Time
}

// RecordDeliveries logs the attempts of a claimed run and settles each
// item accordingly (delivered, given up, or due again at its Next), in one
// statement and one commit for the whole run: recording was one transaction
// per item, and under a till's load the outbox fell behind its sales.
// results[i] is the outcome of items[i].
func (s *Store) RecordDeliveries(ctx context.Context, items []OutboxItem, results []DeliveryResult) error {
	n := len(items)
	if n == 0 {
		return nil
	}
	mids, ids, attempts := make([]int64, n), make([]int64, n), make([]int32, n)
	kinds, events, targets, errs, outcomes := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	statuses, durations := make([]int32, n), make([]int64, n)
	nexts := make([]time.Time, n)
	for i, it := range items {
		res := results[i]
		mids[i], ids[i], attempts[i] = it.MerchantID, it.ID, int32(it.Attempt)
		kinds[i], events[i], targets[i], errs[i] = it.Kind, it.Event, it.Target, res.Error
		statuses[i], durations[i], nexts[i] = int32(res.Status), res.Duration.Milliseconds(), res.Next
		switch {
		case res.Delivered:
			outcomes[i] = "delivered"
		case res.Dead:
			outcomes[i] = "dead"
		default:
			outcomes[i] = "retry"
		}
	}
	_, err := s.pool.Exec(ctx, `
WITH r AS (
    SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[],
        $8::text[], $9::bigint[], $10::text[], $11::timestamptz[])
        AS r(mid, id, kind, event, target, attempt, status, error, duration, outcome, next)
), logged AS (
    INSERT INTO outbox_attempts (merchant_id, outbox_id, kind, event, target, attempt, status, error, duration_ms, attempted_at)
    SELECT mid, id, kind, event, target, attempt, status, error, duration, $12 FROM r
)
UPDATE outbox o SET
    delivered_at = CASE WHEN r.outcome = 'delivered' THEN $12 ELSE o.delivered_at END,
    dead_at = CASE WHEN r.outcome = 'dead' THEN $12 ELSE o.dead_at END,
    next_attempt_at = CASE WHEN r.outcome = 'retry' THEN r.next ELSE o.next_attempt_at END
FROM r WHERE o.merchant_id = r.mid AND o.id = r.id`,
		mids, ids, kinds, events, targets, attempts, statuses, errs, durations, outcomes, nexts, s.clock.Now())
	return interpretError(err)
}

// RecordTestDelivery logs an admin "test" call in the delivery log.
func (s *Store) RecordTestDelivery(ctx context.Context, merchantID int64, url string, res DeliveryResult) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO outbox_attempts (merchant_id, outbox_id, kind, event, target, attempt,
		status, error, duration_ms, attempted_at) VALUES ($1, NULL, 'webhook', 'test', $2, 1, $3, $4, $5, $6)`,
		merchantID, url, res.Status, res.Error, res.Duration.Milliseconds(), s.clock.Now())
	return interpretError(err)
}

// WebhookSecretFor returns the webhook secret of the merchant's card or
// wallet whose webhook URL is url, or "" when none has it (a test call to a
// URL no program uses yet goes unsigned).
func (s *Store) WebhookSecretFor(ctx context.Context, merchantID int64, url string) (string, error) {
	var secret string
	err := s.pool.QueryRow(ctx, `SELECT coalesce((SELECT webhook_secret FROM loyalty_cards WHERE merchant_id = $1 AND webhook_url = $2 ORDER BY id LIMIT 1),
		(SELECT webhook_secret FROM wallets WHERE merchant_id = $1 AND webhook_url = $2 ORDER BY id LIMIT 1), '')`, merchantID, url).Scan(&secret)
	return secret, interpretError(err)
}

// Delivery is one logged delivery attempt (admin: webhooks/deliveries).
type Delivery struct {
	ID          int64
	OutboxID    *int64 // nil for a test call
	Kind        string
	Event       string
	Target      string
	Attempt     int
	Status      int
	Error       string
	DurationMS  int64
	AttemptedAt time.Time
	// State of the outbox item now: pending, delivered, dead, or test.
	State string
}

// Deliveries lists a merchant's delivery attempts, newest first, at most
// limit, before the attempt id before (0 = from the newest).
func (s *Store) Deliveries(ctx context.Context, merchantID int64, limit int, before int64) ([]Delivery, error) {
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM merchants WHERE id = $1)`, merchantID).Scan(&exists); err != nil {
		return nil, interpretError(err)
	}
	if !exists {
		return nil, ErrNotFound
	}
	rows, err := s.pool.Query(ctx, `SELECT a.id, a.outbox_id, a.kind, a.event, a.target, a.attempt, a.status, a.error,
		a.duration_ms, a.attempted_at,
		CASE WHEN a.outbox_id IS NULL THEN 'test' WHEN o.delivered_at IS NOT NULL THEN 'delivered'
		     WHEN o.dead_at IS NOT NULL THEN 'dead' ELSE 'pending' END
		FROM outbox_attempts a LEFT JOIN outbox o ON o.merchant_id = a.merchant_id AND o.id = a.outbox_id
		WHERE a.merchant_id = $1 AND ($3 = 0 OR a.id < $3)
		ORDER BY a.id DESC LIMIT $2`, merchantID, limit, before)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	out := []Delivery{}
	for rows.Next() {
		var d Delivery
		if err := rows.Scan(&d.ID, &d.OutboxID, &d.Kind, &d.Event, &d.Target, &d.Attempt, &d.Status, &d.Error,
			&d.DurationMS, &d.AttemptedAt, &d.State); err != nil {
			return nil, interpretError(err)
		}
		out = append(out, d)
	}
	return out, interpretError(rows.Err())
}

// OutboxBacklog counts items not yet delivered nor given up, for /metrics.
func (s *Store) OutboxBacklog(ctx context.Context) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE delivered_at IS NULL AND dead_at IS NULL`).Scan(&n)
	return n, interpretError(err)
}
