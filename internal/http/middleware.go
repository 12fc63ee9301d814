package http

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/puntos/puntos/internal/store"
)

type ctxKey int

const logInfoKey ctxKey = 1

// logInfo collects what handlers learn about a request (its merchant and
// the API code answered) for the one log line written when it ends.
type logInfo struct {
	requestID  string
	merchantID int64
	code       string
	// apikeyMerchant is the merchant apikeyAuth authenticated. It travels
	// here, in the context value observe already made, because a context
	// value of its own would cost a copy of the request on every call.
	apikeyMerchant store.Merchant
}

func infoOf(r *http.Request) *logInfo {
	if li, ok := r.Context().Value(logInfoKey).(*logInfo); ok {
		return li
	}
	return &logInfo{}
}

// noteMerchant records the authenticated merchant for the request log.
func noteMerchant(r *http.Request, id int64) { infoOf(r).merchantID = id }

// noteCode records the API code answered for the request log.
func noteCode(r *http.Request, code string) { infoOf(r).code = code }

// statusWriter remembers the status and size written.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// requestState is what observe keeps for one request, in one allocation:
// the log's facts, the status writer and the X-Request-Id header's value.
type requestState struct {
	info     logInfo
	sw       statusWriter
	idHeader [1]string
}

// statusLabels are the status label values of the request metrics, made
// once: strconv.Itoa allocates for every number above 99.
var statusLabels = func() (l [600]string) {
	for code := 100; code < len(l); code++ {
		l[code] = strconv.Itoa(code)
	}
	return l
}()

func statusLabel(code int) string {
	if code >= 100 && code < len(statusLabels) {
		return statusLabels[code]
	}
	return strconv.Itoa(code)
}

// observe gives every request an id (X-Request-Id, echoed back, generated
// when absent or unreasonable), recovers panics into a 500, and writes one
// log line and the metrics when the request ends.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			id = newRequestID()
		}
		st := &requestState{info: logInfo{requestID: id}, sw: statusWriter{ResponseWriter: w}, idHeader: [1]string{id}}
		w.Header()["X-Request-Id"] = st.idHeader[:] // Header().Set without allocating the value slice
		li, sw := &st.info, &st.sw
		r = r.WithContext(context.WithValue(r.Context(), logInfoKey, li))
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					// A streaming handler gave up after its status was sent:
					// let net/http cut the connection so the client sees it.
					defer panic(p)
				}
				s.log.Error("panic", "request_id", id, "panic", p, "stack", string(debug.Stack()))
				if sw.status == 0 {
					writeJSON(sw, http.StatusInternalServerError, map[string]any{"error": map[string]string{"code": "internal", "message": "Internal Server Error"}})
				}
			}
			route := chi.RouteContext(r.Context()).RoutePattern()
			if route == "" {
				route = "unmatched"
			}
			if sw.status == 0 {
				sw.status = http.StatusOK
			}
			d := time.Since(start)
			s.metrics.observeRequest(r.Method, route, sw.status, d)
			// LogAttrs rather than Info's key-value pairs: the same line,
			// without boxing every value into an interface.
			s.log.LogAttrs(context.Background(), slog.LevelInfo, "request", slog.String("request_id", id),
				slog.String("method", r.Method), slog.String("route", route), slog.Int("status", sw.status),
				slog.String("code", li.code), slog.Int64("merchant_id", li.merchantID),
				slog.Float64("duration_ms", float64(d.Microseconds())/1000), slog.Int("bytes", sw.bytes))
		}()
		next.ServeHTTP(sw, r)
	})
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, c := range id {
		if c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func itoa(n int) string { return strconv.Itoa(n) }
