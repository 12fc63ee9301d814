package http

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/puntos/puntos/internal/store"
)

// adminWebhookDeliveries serves GET /admin/v1/merchants/{id}/webhooks/deliveries:
// every webhook and message delivery attempt, newest first; ?limit (1 to
// 500, default 100) and ?before (an attempt id) page through the log.
func (s *Server) adminWebhookDeliveries(w http.ResponseWriter, r *http.Request) {
	m := adminMerchantOf(r)
	limit, before := 100, int64(0)
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			s.adminFail(w, r, &store.FieldError{Field: "limit", Message: "must be a whole number from 1 to 500"})
			return
		}
		limit = n
	}
	if v := r.URL.Query().Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			s.adminFail(w, r, &store.FieldError{Field: "before", Message: "must be an attempt id"})
			return
		}
		before = n
	}
	ds, err := s.store.Deliveries(r.Context(), m.ID, limit, before)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	out := make([]map[string]any, 0, len(ds))
	for _, d := range ds {
		out = append(out, map[string]any{"id": d.ID, "event_id": d.OutboxID, "kind": d.Kind, "event": d.Event,
			"target": d.Target, "attempt": d.Attempt, "status": d.Status, "error": d.Error, "duration_ms": d.DurationMS,
			"attempted_at": d.AttemptedAt.UTC().Format(time.RFC3339), "state": d.State})
	}
	writeJSON(w, http.StatusOK, map[string]any{"deliveries": out})
}

// adminWebhookTest serves POST /admin/v1/merchants/{id}/webhooks/test
// {"url"} (the seeds' "Probar"): it posts a sample Purchase event to url now,
// signed with the secret of the merchant's card or wallet that uses that URL
// (unsigned if none does yet), logs the attempt, and answers the
// receiver's HTTP status (0 with an error when none came back).
func (s *Server) adminWebhookTest(w http.ResponseWriter, r *http.Request) {
	m := adminMerchantOf(r)
	b, err := readAdminBody(r, "url")
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	target, err := adminRequired[string](b, "url", "an http or https URL")
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	if u, perr := url.Parse(target); perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		s.adminFail(w, r, &store.FieldError{Field: "url", Message: "must be an absolute http or https URL"})
		return
	}
	status, errText, err := s.testWebhook(r.Context(), m, target)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	answer := map[string]any{"status": status}
	if errText != "" {
		answer["error"] = errText
	}
	writeJSON(w, http.StatusOK, answer)
}

// testWebhook is "Probar": it posts a sample Purchase event to target now,
// signed with the secret of the card or wallet that uses that URL, logs the
// attempt in the delivery log, and returns the receiver's status (0 with
// errText when none came back). The admin API and the panel share it.
func (s *Server) testWebhook(ctx context.Context, m store.Merchant, target string) (status int, errText string, err error) {
	secret, err := s.store.WebhookSecretFor(ctx, m.ID, target)
	if err != nil {
		return 0, "", err
	}
	body, _ := json.Marshal(map[string]any{"event_name": "Purchase",
		"data": map[string]any{"loyaltyCard": "Loyalty card 'Prueba'", "currency": "MXN", "value": 100},
		"date": s.store.Now().In(m.Location()).Format("2006-01-02 15:04:05")})
	headers := map[string]string{"X-Webhook-Event": "Purchase", "X-Webhook-Id": "test-" + newRequestID()}
	if secret != "" {
		headers["X-Webhook-Signature"] = SignWebhook(secret, body)
	}
	start := time.Now()
	status, perr := s.outbox.post(ctx, target, body, headers)
	res := store.DeliveryResult{Status: status, Duration: time.Since(start), Delivered: perr == nil && status/100 == 2}
	if perr != nil {
		res.Error, errText = perr.Error(), perr.Error()
	}
	if err := s.store.RecordTestDelivery(ctx, m.ID, target, res); err != nil {
		return 0, "", err
	}
	return status, errText, nil
}
