package http

import (
	"crypto/hmac"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/puntos/puntos/internal/store"
)

// receiver is a webhook endpoint whose answer a test controls.
type receiver struct {
	mu     sync.Mutex
	status int  // what to answer
	down   bool // drop the connection instead of answering
	got    []received
	srv    *httptest.Server
}

type received struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{status: 200}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		status, down := rc.status, rc.down
		rc.got = append(rc.got, received{r.Header.Clone(), body})
		rc.mu.Unlock()
		if down {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) set(status int, down bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.status, rc.down = status, down
}

func (rc *receiver) received() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

// deliverNow makes every pending item due (as if its backoff had passed)
// and runs one delivery pass.
func (p *pos) deliverNow() int {
	p.t.Helper()
	p.exec(`UPDATE outbox SET next_attempt_at = now() - interval '1 second' WHERE merchant_id = $1 AND delivered_at IS NULL AND dead_at IS NULL`, p.m.ID)
	n, err := p.b.server.outbox.deliverDue(p.t.Context())
	if err != nil {
		p.t.Fatal(err)
	}
	return n
}

func (p *pos) outboxState(id int64) (attempts int, delivered, dead bool) {
	p.t.Helper()
	err := p.b.store.Pool().QueryRow(p.t.Context(), `SELECT attempts, delivered_at IS NOT NULL, dead_at IS NOT NULL FROM outbox
		WHERE merchant_id = $1 AND id = $2`, p.m.ID, id).Scan(&attempts, &delivered, &dead)
	if err != nil {
		p.t.Fatal(err)
	}
	return
}

func (p *pos) lastOutboxID() int64 {
	p.t.Helper()
	var id int64
	if err := p.b.store.Pool().QueryRow(p.t.Context(), `SELECT max(id) FROM outbox WHERE merchant_id = $1`, p.m.ID).Scan(&id); err != nil {
		p.t.Fatal(err)
	}
	return id
}

func TestWebhookDeliverySignatureAndRetry(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	rc := newReceiver(t)
	p.updateCard(store.CardInput{WebhookURL: ptr(rc.srv.URL + "/hook")})
	expectCode(t, p.post("/loyalty/contact/add", p.contactForm(store.ProgramCard, "4771112233")), "/loyalty/contact/add", 200, "loyalty_contact_add_01")
	id := p.lastOutboxID()

	// A receiver answering 500 gets the event again later.
	rc.set(500, false)
	if n := p.deliverNow(); n != 1 {
		t.Fatalf("delivered %d items, want 1", n)
	}
	if n, _ := b.server.outbox.deliverDue(t.Context()); n != 0 {
		t.Fatalf("a failed item was due again at once (%d): want backoff", n)
	}
	// A receiver that is down loses nothing either.
	rc.set(200, true)
	p.deliverNow()
	if a, delivered, dead := p.outboxState(id); a != 2 || delivered || dead {
		t.Fatalf("after 500 and a dropped connection: attempts %d delivered %v dead %v, want 2 and pending", a, delivered, dead)
	}
	rc.set(200, false)
	p.deliverNow()
	if a, delivered, _ := p.outboxState(id); a != 3 || !delivered {
		t.Fatalf("got attempts %d delivered %v, want delivered on the third attempt", a, delivered)
	}
	if n := p.deliverNow(); n != 0 {
		t.Fatalf("a delivered item was sent again")
	}

	got := rc.received()
	if len(got) != 3 {
		t.Fatalf("receiver saw %d requests, want 3", len(got))
	}
	for _, g := range got {
		if g.header.Get("X-Webhook-Event") != "registered_user" || g.header.Get("X-Webhook-Id") != got[0].header.Get("X-Webhook-Id") {
			t.Fatalf("headers %v: want the event and an id stable across retries", g.header)
		}
		// What a receiver does: recompute the HMAC with the card's secret.
		if want := SignWebhook(p.card.WebhookSecret, g.body); !hmac.Equal([]byte(g.header.Get("X-Webhook-Signature")), []byte(want)) {
			t.Fatalf("signature %q, want %q", g.header.Get("X-Webhook-Signature"), want)
		}
	}

	ds, err := b.store.Deliveries(t.Context(), p.m.ID, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 3 || ds[0].Status != 200 || ds[0].State != "delivered" || ds[1].Status != 0 || ds[1].Error == "" || ds[2].Status != 500 {
		t.Fatalf("delivery log %+v, want 500, dropped, 200 (newest first)", ds)
	}
}

func TestWebhookGivesUpAfterRetryWindow(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	rc := newReceiver(t)
	rc.set(503, false)
	p.updateWallet(store.WalletInput{WebhookURL: ptr(rc.srv.URL)})
	expectCode(t, p.post("/wallet/contact/add", p.contactForm(store.ProgramWallet, "4771112233")), "/wallet/contact/add", 200, "contact_add_01")
	id := p.lastOutboxID()
	p.exec(`UPDATE outbox SET created_at = now() - interval '25 hours' WHERE merchant_id = $1`, p.m.ID)
	p.deliverNow()
	if _, delivered, dead := p.outboxState(id); delivered || !dead {
		t.Fatalf("delivered %v dead %v: want given up after 24 h of failures", delivered, dead)
	}
}

func TestMessagesThroughChannels(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	gw := newReceiver(t)
	p.updateCard(store.CardInput{WelcomeMessage: ptr(true)})
	p.patch(store.MerchantPatch{MessagingChannel: store.Some("http"), MessagingURL: store.Some(gw.srv.URL)})
	expectCode(t, p.post("/loyalty/contact/add", p.contactForm(store.ProgramCard, "4771112233")), "/loyalty/contact/add", 200, "loyalty_contact_add_01")
	p.deliverNow()
	if got := gw.received(); len(got) != 1 || !jsonHas(got[0].body, "to", "4771112233") {
		t.Fatalf("gateway got %v, want the welcome message", got)
	}
	// The log channel records and logs the message.
	p.patch(store.MerchantPatch{MessagingChannel: store.Some("log")})
	expectCode(t, p.post("/loyalty/contact/add", p.contactForm(store.ProgramCard, "4771112234")), "/loyalty/contact/add", 200, "loyalty_contact_add_01")
	p.deliverNow()
	if _, delivered, _ := p.outboxState(p.lastOutboxID()); !delivered {
		t.Fatal("log channel message not settled as delivered")
	}
	if !containsAll(b.logs.String(), `"msg":"message"`, `4771112234`) {
		t.Fatalf("log channel did not log the message: %s", b.logs.String())
	}
}
