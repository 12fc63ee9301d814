package http

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/puntos/puntos/api"
	"github.com/puntos/puntos/internal/config"
	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
	"github.com/puntos/puntos/internal/testdb"
)

// TestMain runs the package's tests, then fails the run if any operation of
// api/openapi.yaml was never exercised by a test (only on a full run).
func TestMain(m *testing.M) {
	testdb.Main(coverageRunner{m})
}

type coverageRunner struct{ m *testing.M }

func (c coverageRunner) Run() int {
	code := c.m.Run()
	if code == 0 && fullRun() {
		if missing := uncoveredOperations(); len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "contract: no test exercised these operations of api/openapi.yaml:\n  %s\n", strings.Join(missing, "\n  "))
			return 1
		}
	}
	return code
}

// contract holds the parsed OpenAPI document and what the tests exercised.
var contract struct {
	once    sync.Once
	doc     *openapi3.T
	router  routers.Router
	err     error
	mu      sync.Mutex
	covered map[string]bool
}

func loadContract() {
	contract.covered = map[string]bool{}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI)
	if err != nil {
		contract.err = fmt.Errorf("api/openapi.yaml: %w", err)
		return
	}
	if err := doc.Validate(context.Background()); err != nil {
		contract.err = fmt.Errorf("api/openapi.yaml is not valid: %w", err)
		return
	}
	// Match on paths only: tests run against whatever host httptest picked.
	doc.Servers = nil
	contract.doc = doc
	contract.router, contract.err = gorillamux.NewRouter(doc)
}

// bundle is what a test needs: a server on a fresh database and a client
// whose every response is checked against the OpenAPI document.
type bundle struct {
	t      *testing.T
	store  *store.Store
	server *Server
	http   *httptest.Server
	cfg    config.Config
	logs   *syncBuffer
}

const testAdminToken = "test-admin-token-0123456789"

// setup starts a server on a fresh database. Tests call t.Parallel first.
func setup(t *testing.T) *bundle {
	t.Helper()
	return setupClock(t, nil)
}

// setupClock is setup with the store reading time from clock (nil = the
// system clock), for rules that depend on the date.
func setupClock(t *testing.T, clock ledger.Clock) *bundle {
	t.Helper()
	contract.once.Do(loadContract)
	if contract.err != nil {
		t.Fatal(contract.err)
	}
	cfg, err := config.Load(func(k string) string {
		if k == "ADMIN_TOKEN" {
			return testAdminToken
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(testdb.Pool(t), clock)
	t.Cleanup(st.Close) // before the pool's own cleanup
	logs := &syncBuffer{}
	srv := NewServer(st, cfg, slog.New(slog.NewJSONHandler(logs, nil)))
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &bundle{t: t, store: st, server: srv, http: hs, cfg: cfg, logs: logs}
}

// response is a finished exchange, body read.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a generic value for assertions.
func (r *response) JSON(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.Body)
	}
	return v
}

// do sends a request and checks the response against the contract: the
// operation must be documented, and the status and body must match it.
func (b *bundle) do(method, path string, header map[string]string, body []byte) *response {
	b.t.Helper()
	req, err := http.NewRequest(method, b.http.URL+path, bytes.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	b.checkContract(req, body, res, got)
	return &response{Status: res.StatusCode, Header: res.Header, Body: got}
}

// JSON helpers for the JSON families.
func (b *bundle) doJSON(method, path string, header map[string]string, v any) *response {
	b.t.Helper()
	h := map[string]string{"Content-Type": "application/json"}
	for k, val := range header {
		h[k] = val
	}
	var body []byte
	if v != nil {
		var err error
		if body, err = json.Marshal(v); err != nil {
			b.t.Fatal(err)
		}
	}
	return b.do(method, path, h, body)
}

// doForm posts a form-encoded body, as the seeds' curl lines do.
func (b *bundle) doForm(path string, header map[string]string, form url.Values) *response {
	b.t.Helper()
	h := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	for k, val := range header {
		h[k] = val
	}
	return b.do(http.MethodPost, path, h, []byte(form.Encode()))
}

// admin calls the admin API with the operator token.
func (b *bundle) admin(method, path string, v any) *response {
	b.t.Helper()
	return b.doJSON(method, "/admin/v1"+path, map[string]string{"Authorization": "Bearer " + testAdminToken}, v)
}

func (b *bundle) checkContract(req *http.Request, reqBody []byte, res *http.Response, body []byte) {
	b.t.Helper()
	// The router matches on the path and method only.
	mreq := req.Clone(context.Background())
	mreq.URL.Scheme, mreq.URL.Host, mreq.Host = "", "", ""
	route, params, err := contract.router.FindRoute(mreq)
	if err != nil {
		if res.StatusCode == http.StatusNotFound || res.StatusCode == http.StatusMethodNotAllowed {
			return // an unknown route answered as such is not part of the contract
		}
		b.t.Errorf("contract: %s %s is not in api/openapi.yaml (answered %d)", req.Method, req.URL.Path, res.StatusCode)
		return
	}
	contract.mu.Lock()
	contract.covered[req.Method+" "+route.Path] = true
	contract.mu.Unlock()
	mreq.Body = io.NopCloser(bytes.NewReader(reqBody))
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: mreq, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status: res.StatusCode,
		Header: res.Header,
		Body:   io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true,
			MultiError:            true,
		},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		b.t.Errorf("contract: %s %s → %d does not match api/openapi.yaml: %v\nbody: %s", req.Method, route.Path, res.StatusCode, err, truncate(body, 600))
	}
}

// uncoveredOperations lists documented operations no test exercised.
func uncoveredOperations() []string {
	if contract.doc == nil {
		return nil
	}
	var missing []string
	for path, item := range contract.doc.Paths.Map() {
		for method := range item.Operations() {
			if !contract.covered[method+" "+path] {
				missing = append(missing, method+" "+path)
			}
		}
	}
	sort.Strings(missing)
	return missing
}

// fullRun is true when no -run filter narrowed the tests.
func fullRun() bool {
	f := flag.Lookup("test.run")
	return f == nil || f.Value.String() == ""
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// syncBuffer collects log output from concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
