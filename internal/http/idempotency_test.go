package http

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/puntos/puntos/internal/config"
	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
	"github.com/puntos/puntos/internal/testdb"
)

// idemRig is a tiny family for the Idempotency-Key middleware: auth takes
// the merchant id from X-Merchant, POST /echo counts its runs, and errors are
// {"problem": N}. It is not part of the route tree, so it bypasses the contract check.
type idemRig struct {
	t       *testing.T
	clock   *ledger.FixedClock
	handler http.Handler
	store   *store.Store
	runs    atomic.Int64
	entered chan struct{} // POST /slow signals here, then waits on release
	release chan struct{}
}

func newIdemRig(t *testing.T) *idemRig {
	t.Helper()
	rig := &idemRig{t: t, clock: ledger.NewFixedClock(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)),
		entered: make(chan struct{}), release: make(chan struct{})}
	var srv *Server
	srv, rig.store = clockedServer(t, rig.clock)
	fail := func(w http.ResponseWriter, r *http.Request, p idemProblem) {
		status := map[idemProblem]int{idemKeyInvalid: 422, idemKeyReused: 422, idemKeyInFlight: 409, idemUnavailable: 500}[p]
		writeJSON(w, status, map[string]any{"problem": int(p)})
	}
	r := chi.NewRouter()
	r.Use(srv.observe)
	r.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, _ := strconv.ParseInt(r.Header.Get("X-Merchant"), 10, 64)
			noteMerchant(r, id)
			next.ServeHTTP(w, r)
		})
	})
	r.Use(srv.idempotent(fail))
	r.Post("/echo", func(w http.ResponseWriter, r *http.Request) {
		n := rig.runs.Add(1)
		body, _ := io.ReadAll(r.Body)
		if string(body) == "fail" {
			writeJSON(w, http.StatusInternalServerError, map[string]any{"run": n})
			return
		}
		w.Header().Set("Location", "/echo/"+strconv.FormatInt(n, 10))
		writeJSON(w, http.StatusCreated, map[string]any{"run": n, "body": string(body)})
	})
	r.Post("/slow", func(w http.ResponseWriter, r *http.Request) {
		rig.entered <- struct{}{}
		<-rig.release
		writeJSON(w, http.StatusOK, map[string]any{"slow": true})
	})
	rig.handler = r
	return rig
}

// clockedServer is a server on a fresh database whose store reads clock,
// for tests of time rules that the harness's real clock cannot reach.
func clockedServer(t *testing.T, clock *ledger.FixedClock) (*Server, *store.Store) {
	t.Helper()
	st := store.New(testdb.Pool(t), clock)
	t.Cleanup(st.Close)
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return NewServer(st, cfg, slog.New(slog.NewTextHandler(io.Discard, nil))), st
}

type idemAnswer struct {
	status   int
	body     map[string]any
	replayed bool
	location string
}

func (rig *idemRig) post(path string, merchant int, key, body string) idemAnswer {
	rig.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("X-Merchant", strconv.Itoa(merchant))
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	rec := httptest.NewRecorder()
	rig.handler.ServeHTTP(rec, req)
	a := idemAnswer{status: rec.Code, replayed: rec.Header().Get("Idempotent-Replayed") == "true", location: rec.Header().Get("Location")}
	if err := json.Unmarshal(rec.Body.Bytes(), &a.body); err != nil {
		rig.t.Fatalf("body %q: %v", rec.Body.String(), err)
	}
	return a
}

func TestIdempotencyKeyReplaysFirstAnswer(t *testing.T) {
	t.Parallel()
	rig := newIdemRig(t)
	first := rig.post("/echo", 1, "k-1", "a=1")
	again := rig.post("/echo", 1, "k-1", "a=1")
	if first.status != 201 || first.replayed || first.body["run"] != 1.0 {
		t.Fatalf("first: got %+v, want run 1 answered 201", first)
	}
	if again.status != 201 || !again.replayed || again.body["run"] != 1.0 || again.location != "/echo/1" {
		t.Fatalf("repeat: got %+v, want the first answer replayed with its Location", again)
	}
	if got := rig.runs.Load(); got != 1 {
		t.Fatalf("handler ran %d times, want 1", got)
	}
	tests := []struct {
		name         string
		merchant     int
		key, body    string
		wantStatus   int
		wantRun      float64
		wantProblem  float64
		wantReplayed bool
	}{
		{"OtherBodyRefused", 1, "k-1", "a=2", 422, 0, float64(idemKeyReused), false},
		{"InvalidKeyRefused", 1, strings.Repeat("x", 256), "a=1", 422, 0, float64(idemKeyInvalid), false},
		{"OtherMerchantIndependent", 2, "k-1", "a=1", 201, 2, 0, false},
		{"NoKeyRunsAgain", 1, "", "a=1", 201, 3, 0, false},
		{"ServerErrorNotStored", 1, "k-2", "fail", 500, 4, 0, false},
		{"RetryAfterServerErrorRuns", 1, "k-2", "fail", 500, 5, 0, false},
	}
	for _, tc := range tests {
		got := rig.post("/echo", tc.merchant, tc.key, tc.body)
		if got.status != tc.wantStatus || got.replayed != tc.wantReplayed {
			t.Errorf("%s: got %d replayed=%v, want %d", tc.name, got.status, got.replayed, tc.wantStatus)
		}
		if tc.wantRun != 0 && got.body["run"] != tc.wantRun {
			t.Errorf("%s: got run %v, want %v", tc.name, got.body["run"], tc.wantRun)
		}
		if tc.wantProblem != 0 && got.body["problem"] != tc.wantProblem {
			t.Errorf("%s: got problem %v, want %v", tc.name, got.body["problem"], tc.wantProblem)
		}
	}
	// After 24 h the key is forgotten and the request runs again.
	rig.clock.Advance(store.IdemTTL)
	if got := rig.post("/echo", 1, "k-1", "a=2"); got.status != 201 || got.replayed || got.body["run"] != 6.0 {
		t.Fatalf("after 24 h: got %+v, want a new run", got)
	}
}

func TestIdempotencyKeyRefusesDuplicateInFlight(t *testing.T) {
	t.Parallel()
	rig := newIdemRig(t)
	done := make(chan idemAnswer)
	go func() { done <- rig.post("/slow", 1, "k-slow", "x") }()
	<-rig.entered
	if got := rig.post("/slow", 1, "k-slow", "x"); got.status != 409 || got.body["problem"] != float64(idemKeyInFlight) {
		t.Errorf("duplicate in flight: got %+v, want 409", got)
	}
	close(rig.release)
	if first := <-done; first.status != 200 {
		t.Fatalf("first: got %+v", first)
	}
	if got := rig.post("/slow", 1, "k-slow", "x"); got.status != 200 || !got.replayed {
		t.Fatalf("after it finished: got %+v, want the replay", got)
	}
	// An unfinished reservation whose server died is taken over after the timeout.
	if _, err := rig.store.Pool().Exec(t.Context(), `UPDATE idempotency_keys SET status = NULL WHERE key = 'k-slow'`); err != nil {
		t.Fatal(err)
	}
	rig.clock.Advance(store.IdemInFlightTimeout)
	go func() { done <- rig.post("/slow", 1, "k-slow", "x") }()
	<-rig.entered
	if got := <-done; got.status != 200 || got.replayed {
		t.Fatalf("after the in-flight timeout: got %+v, want a new run", got)
	}
}
