package http

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/puntos/puntos/internal/store"
)

func TestAPIKeyIdempotencyKey(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	p.enroll(store.ProgramWallet, phone)
	const path = "/wallet/sale"
	h := map[string]string{"apikey": p.key, "Idempotency-Key": "till-7-sale-42", "Content-Type": "application/x-www-form-urlencoded"}
	body := []byte(p.walletSale(phone, "0").Encode())
	first := b.do(http.MethodPost, path, h, body)
	expectCode(t, first, path, 200, "new_sale_01")
	before := p.snapshot()
	again := b.do(http.MethodPost, path, h, body)
	expectCode(t, again, path, 200, "new_sale_01")
	if string(again.Body) != string(first.Body) || again.Header.Get("Idempotent-Replayed") != "true" || p.snapshot() != before {
		t.Fatalf("replay: got %s (%v), want the first answer and nothing written", again.Body, again.Header)
	}
	other := b.do(http.MethodPost, path, h, []byte(p.walletSale(phone, "0", "transaction_amount", "7").Encode()))
	expectCode(t, other, path, 422, "idempotency_02")
	h["Idempotency-Key"] = strings.Repeat("k", 256)
	expectCode(t, b.do(http.MethodPost, path, h, body), path, 422, "idempotency_01")
	if p.snapshot() != before {
		t.Fatal("refused Idempotency-Key requests wrote")
	}
}

// TestAPIKeyIdempotencyKeyAfterCrash: a server that dies between a request's
// commit and storing its answer, or before committing, as the database
// leaves it; the batched path (/wallet/sale) and the lone transaction path
// (/wallet/balance/update, no natural key) alike.
func TestAPIKeyIdempotencyKeyAfterCrash(t *testing.T) {
	t.Parallel()
	b := setup(t)
	p := newPOS(t, b)
	p.enroll(store.ProgramWallet, phone)
	dead := rand.Int64() | 1 // an instance id whose lock nobody holds
	live := holdInstanceLock(t, b.store)
	for _, c := range []struct {
		path, code string
		form       url.Values
	}{
		{"/wallet/sale", "new_sale_01", p.walletSale(phone, "0")},
		{"/wallet/balance/update", "balance_update_01", p.balanceUpdate(phone, "0", "5")},
	} {
		post := func(key string) *response {
			return b.do(http.MethodPost, c.path, map[string]string{"apikey": p.key, "Idempotency-Key": key,
				"Content-Type": "application/x-www-form-urlencoded"}, []byte(c.form.Encode()))
		}
		key := "crash" + c.path
		batched := b.store.WalletBatchStats().Written
		expectCode(t, post(key), c.path, 200, c.code)
		if c.path == "/wallet/sale" && b.store.WalletBatchStats().Written != batched+1 {
			t.Fatalf("%s: the sale was not written by a batch", c.path)
		}
		var committed bool
		if err := b.store.Pool().QueryRow(t.Context(), `SELECT committed FROM idempotency_keys WHERE merchant_id = $1 AND key = $2`,
			p.m.ID, key).Scan(&committed); err != nil || !committed {
			t.Fatalf("%s: committed %v (%v), want the reservation marked by the request's transaction", c.path, committed, err)
		}
		// The answer never stored: retries are refused and write nothing,
		// even once its owner is dead and the in-flight timeout has passed.
		p.exec(`UPDATE idempotency_keys SET status = NULL, headers = NULL, body = NULL WHERE merchant_id = $1 AND key = $2`, p.m.ID, key)
		before := p.snapshot()
		expectCode(t, post(key), c.path, 409, "idempotency_03")
		p.exec(`UPDATE idempotency_keys SET owner = $3, created_at = created_at - interval '3 minutes'
            WHERE merchant_id = $1 AND key = $2`, p.m.ID, key, dead)
		expectCode(t, post(key), c.path, 409, "idempotency_03")
		if p.snapshot() != before {
			t.Fatalf("%s: a retry of a committed request wrote", c.path)
		}
		// Reservations of the same request left unfinished and uncommitted.
		// A live server's: 409, nothing written.
		p.exec(`INSERT INTO idempotency_keys (merchant_id, key, method, path, fingerprint, created_at, owner)
            SELECT merchant_id, $2, method, path, fingerprint, now(), $4 FROM idempotency_keys
            WHERE merchant_id = $1 AND key = $3`, p.m.ID, "live"+c.path, key, live)
		expectCode(t, post("live"+c.path), c.path, 409, "idempotency_03")
		if p.snapshot() != before {
			t.Fatalf("%s: a retry of a live request wrote", c.path)
		}
		// A dead server's reservation that committed nothing: the retry runs
		// at once, once.
		p.exec(`INSERT INTO idempotency_keys (merchant_id, key, method, path, fingerprint, created_at, owner)
            SELECT merchant_id, $2, method, path, fingerprint, now(), $4 FROM idempotency_keys
            WHERE merchant_id = $1 AND key = $3`, p.m.ID, "dead"+c.path, key, dead)
		first := post("dead" + c.path)
		expectCode(t, first, c.path, 200, c.code)
		after := p.snapshot()
		if after == before || first.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("%s: the retry of a dead request did not run", c.path)
		}
		again := post("dead" + c.path)
		if string(again.Body) != string(first.Body) || again.Header.Get("Idempotent-Replayed") != "true" || p.snapshot() != after {
			t.Fatalf("%s: second retry: got %s (%v), want the replay and nothing written", c.path, again.Body, again.Header)
		}
	}
	p.checkLedger()
}

// holdInstanceLock holds the instance lock of a fresh id for the test's
// duration, as another live server would, and returns the id.
func holdInstanceLock(t *testing.T, st *store.Store) int64 {
	t.Helper()
	conn, err := st.Pool().Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	id := rand.Int64() | 1
	if _, err := conn.Exec(t.Context(), "SELECT pg_advisory_lock($1)", id); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", id)
		conn.Release()
	})
	return id
}
