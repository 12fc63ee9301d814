package http

import (
	"net/http"
	"testing"

	"github.com/puntos/puntos/internal/store"
)

func TestAdminWebhookTestAndDeliveries(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	rc := newReceiver(t)
	rc.set(418, false)
	p.updateCard(store.CardInput{WebhookURL: ptr(rc.srv.URL + "/card")})
	base := "/merchants/" + itoa64(p.m.ID) + "/webhooks"

	r := b.admin(http.MethodPost, base+"/test", map[string]any{"url": rc.srv.URL + "/card"})
	if r.Status != 200 || r.JSON(t)["status"] != float64(418) {
		t.Fatalf("test call: got %d %s, want the receiver's 418", r.Status, r.Body)
	}
	got := rc.received()
	if len(got) != 1 || got[0].header.Get("X-Webhook-Signature") != SignWebhook(p.card.WebhookSecret, got[0].body) {
		t.Fatalf("the test event must be signed with the card's secret: %v", got)
	}
	if r := b.admin(http.MethodPost, base+"/test", map[string]any{"url": "ftp://example.com"}); r.Status != 422 {
		t.Fatalf("bad url: got %d %s", r.Status, r.Body)
	}
	if r := b.admin(http.MethodPost, "/merchants/999999/webhooks/test", map[string]any{"url": rc.srv.URL}); r.Status != 404 {
		t.Fatalf("unknown merchant: got %d", r.Status)
	}

	rc.set(200, false)
	expectCode(t, p.post("/loyalty/contact/add", p.contactForm(store.ProgramCard, phone)), "/loyalty/contact/add", 200, "loyalty_contact_add_01")
	p.deliverNow()
	r = b.admin(http.MethodGet, base+"/deliveries?limit=10", nil)
	ds := r.JSON(t)["deliveries"].([]any)
	if r.Status != 200 || len(ds) != 2 {
		t.Fatalf("deliveries: got %d %s", r.Status, r.Body)
	}
	newest, test := ds[0].(map[string]any), ds[1].(map[string]any)
	if newest["event"] != "registered_user" || newest["state"] != "delivered" || newest["status"] != float64(200) ||
		test["state"] != "test" || test["status"] != float64(418) || test["event_id"] != nil {
		t.Fatalf("deliveries: got %s", r.Body)
	}
	if r := b.admin(http.MethodGet, base+"/deliveries?limit=0", nil); r.Status != 422 {
		t.Fatalf("limit=0: got %d", r.Status)
	}
}
