package http

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/puntos/puntos/internal/store"
)

// Outbox delivery policy: a webhook or message is retried with exponential
// backoff (10 s, 20 s, 40 s, ... capped at one hour) until an attempt fails
// more than 24 hours after the event was queued; then it is given up and
// stays visible in the delivery log.
const (
	webhookTimeout = 10 * time.Second
	retryBase      = 10 * time.Second
	retryCap       = time.Hour
	retryWindow    = 24 * time.Hour
	outboxPollIdle = time.Second
	// outboxRunsPerWorker sizes a run: WEBHOOK_WORKERS × this many items
	// are claimed together and their outcomes recorded in one commit.
	outboxRunsPerWorker = 8
)

// outboxRun is how many items a run claims and how long they are leased:
// long enough for every one of them to time out, one worker after another,
// so that no other process takes an item still being delivered; an item
// whose server died is due again when the lease ends.
func outboxRun(workers int) (claim int, lease time.Duration) {
	return workers * outboxRunsPerWorker, (outboxRunsPerWorker + 1) * webhookTimeout
}

// retryDelay is the wait after the attempt-th failed attempt.
func retryDelay(attempt int) time.Duration {
	d := retryBase
	for i := 1; i < attempt && d < retryCap; i++ {
		d *= 2
	}
	return min(d, retryCap)
}

// SignWebhook is the X-Webhook-Signature value of a body: "sha256=" and the
// hex HMAC-SHA256 of the exact bytes with the program's webhook secret.
func SignWebhook(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// outbox delivers what the store's outbox holds.
type outbox struct {
	s       *Server
	client  *http.Client
	results *prometheus.CounterVec
}

func newOutbox(s *Server) *outbox {
	o := &outbox{s: s, client: &http.Client{Timeout: webhookTimeout},
		results: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "outbox_deliveries_total", Help: "Webhook and message delivery attempts by kind and result.",
		}, []string{"kind", "result"})}
	s.metrics.Registry.MustRegister(o.results, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "outbox_backlog", Help: "Webhooks and messages queued and not yet delivered nor given up.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := s.store.OutboxBacklog(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	}))
	return o
}

// run delivers until ctx ends, with WEBHOOK_WORKERS deliveries at a time;
// it sleeps only when nothing was due.
func (o *outbox) run(ctx context.Context) {
	for ctx.Err() == nil {
		n, err := o.deliverDue(ctx)
		if err != nil && ctx.Err() == nil {
			o.s.log.Error("outbox", "err", err)
		}
		if n == 0 || err != nil {
			select {
			case <-ctx.Done():
			case <-time.After(outboxPollIdle):
			}
		}
	}
}

// deliverDue claims what is due, delivers it and records every attempt; it
// returns how many items it attempted.
func (o *outbox) deliverDue(ctx context.Context) (int, error) {
	workers := max(o.s.cfg.WebhookWorkers, 1)
	claim, lease := outboxRun(workers)
	items, err := o.s.store.ClaimOutbox(ctx, claim, lease)
	if err != nil || len(items) == 0 {
		return 0, err
	}
	sem := make(chan struct{}, workers)
	results := make([]store.DeliveryResult, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i] = o.deliver(ctx, it)
			o.results.WithLabelValues(it.Kind, resultLabel(results[i])).Inc()
		}()
	}
	wg.Wait()
	// One record for the run, with a context of its own: a shutdown must not
	// lose the outcome of deliveries that happened. If the server dies
	// before this, the run's items are due again when their lease ends and
	// are delivered again (webhooks are at least once; receivers dedupe on
	// X-Webhook-Id).
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return len(items), o.s.store.RecordDeliveries(rctx, items, results)
}

func resultLabel(res store.DeliveryResult) string {
	switch {
	case res.Delivered:
		return "delivered"
	case res.Dead:
		return "dead"
	}
	return "retry"
}

// customerToken finds the signed token of a customer-page link.
var customerToken = regexp.MustCompile(`/c/([A-Za-z0-9_]+)/[A-Za-z0-9_-]+`)

// deliver makes one attempt and decides what follows it.
func (o *outbox) deliver(ctx context.Context, it store.OutboxItem) store.DeliveryResult {
	start := time.Now()
	var status int
	var err error
	switch {
	case it.Kind == "webhook":
		status, err = o.post(ctx, it.Target, it.Body, map[string]string{
			"X-Webhook-Event":     it.Event,
			"X-Webhook-Id":        strconv.FormatInt(it.ID, 10),
			"X-Webhook-Signature": SignWebhook(it.Secret, it.Body),
		})
	case it.Channel == "http":
		body := bytes.ReplaceAll(it.Body, []byte(store.PublicURLPlaceholder), []byte(o.s.cfg.PublicURL))
		status, err = o.post(ctx, it.ChannelURL, body, map[string]string{"X-Message-Id": strconv.FormatInt(it.ID, 10)})
	case it.Channel == "log":
		// The customer-page token in a welcome message is a credential of
		// that customer: the log shows the link without it.
		body := customerToken.ReplaceAll(bytes.ReplaceAll(it.Body, []byte(store.PublicURLPlaceholder), []byte(o.s.cfg.PublicURL)), []byte("/c/$1/…"))
		o.s.log.Info("message", "merchant_id", it.MerchantID, "message_id", it.ID, "event", it.Event, "body", string(body))
		return store.DeliveryResult{Delivered: true, Duration: time.Since(start)}
	default:
		// The channel was switched to none after the message was queued:
		// there is nowhere to send it, and retrying cannot change that.
		return store.DeliveryResult{Dead: true, Error: "no messaging channel", Duration: time.Since(start)}
	}
	res := store.DeliveryResult{Status: status, Duration: time.Since(start)}
	if err != nil {
		res.Error = err.Error()
	}
	if err == nil && status >= 200 && status < 300 {
		res.Delivered = true
		return res
	}
	if res.Error == "" {
		res.Error = fmt.Sprintf("receiver answered %d", status)
	}
	now := o.s.store.Now()
	if now.Sub(it.CreatedAt) >= retryWindow {
		res.Dead = true
		return res
	}
	res.Next = now.Add(retryDelay(it.Attempt))
	return res
}

// post sends body as JSON and returns the receiver's status; the response
// body is drained (bounded) so the connection can be reused.
func (o *outbox) post(ctx context.Context, url string, body []byte, headers map[string]string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "puntos-webhooks/1")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := o.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	return res.StatusCode, nil
}
