package http

import (
	"net/http"
	"strings"
	"testing"
)

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	b := setup(t)
	if r := b.do(http.MethodGet, "/healthz", nil, nil); r.Status != 200 {
		t.Fatalf("healthz: got %d", r.Status)
	}
	if r := b.do(http.MethodGet, "/readyz", nil, nil); r.Status != 200 {
		t.Fatalf("readyz: got %d %s", r.Status, r.Body)
	}
	if r := b.do(http.MethodGet, "/openapi.yaml", nil, nil); r.Status != 200 || !strings.HasPrefix(string(r.Body), "openapi: 3.1") {
		t.Fatalf("openapi: got %d", r.Status)
	}
}

func TestReadinessFailsWhenMigrationsPending(t *testing.T) {
	t.Parallel()
	b := setup(t)
	if _, err := b.store.Pool().Exec(t.Context(), "UPDATE schema_migrations SET version = version - 1"); err != nil {
		t.Fatal(err)
	}
	r := b.do(http.MethodGet, "/readyz", nil, nil)
	if r.Status != http.StatusServiceUnavailable || r.JSON(t)["reason"] != "migrations pending" {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
}

func TestRequestIDAndMetrics(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.do(http.MethodGet, "/healthz", map[string]string{"X-Request-Id": "till-42-abc"}, nil)
	if got := r.Header.Get("X-Request-Id"); got != "till-42-abc" {
		t.Fatalf("got request id %q, want it echoed", got)
	}
	r = b.do(http.MethodGet, "/healthz", nil, nil)
	if len(r.Header.Get("X-Request-Id")) != 24 {
		t.Fatalf("got request id %q, want a generated one", r.Header.Get("X-Request-Id"))
	}
	if !strings.Contains(b.logs.String(), `"request_id":"till-42-abc"`) {
		t.Fatalf("request log lacks the request id: %s", b.logs.String())
	}
	m := b.do(http.MethodGet, "/metrics", nil, nil)
	for _, want := range []string{`http_requests_total{method="GET",route="/healthz",status="200"} 2`, "db_pool_max_conns", "http_request_duration_seconds_bucket"} {
		if !strings.Contains(string(m.Body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}
