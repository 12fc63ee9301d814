package http

import (
	"bytes"
	"crypto/sha256"
	"io"
	"net/http"
	"strconv"

	"github.com/puntos/puntos/internal/store"
)

// idemProblem says why the Idempotency-Key middleware refused a request;
// each API family answers it in its own error shape.
type idemProblem int

const (
	// idemKeyInvalid: the header is longer than 255 characters or not printable ASCII (422).
	idemKeyInvalid idemProblem = iota + 1
	// idemKeyReused: the key was used within 24 h for another request (other method, path or body) (422).
	idemKeyReused
	// idemKeyInFlight: the first request with this key is still running, or
	// it committed and its answer was lost in a crash: it is not run again (409).
	idemKeyInFlight
	// idemUnavailable: the key could not be checked; nothing ran (500).
	idemUnavailable
)

// idemMaxBody bounds the body the middleware fingerprints; larger bodies
// pass through untouched, since every handler refuses them (413) anyway.
const idemMaxBody = 1 << 20

// idemSkipHeaders are per-exchange headers a replay must not repeat.
var idemSkipHeaders = map[string]bool{"X-Request-Id": true, "Date": true, "Content-Length": true, "Set-Cookie": true}

// idempotent gives POST handlers the Idempotency-Key header (ledger.md):
// the first answer for a (merchant, key) is stored with the request's
// fingerprint and replayed for 24 h with "Idempotent-Replayed: true"; the
// same key with another method, path or body is refused, and so is a
// duplicate arriving while the first still runs. fail writes the family's
// error for a problem. Requests without the header, or before a merchant is
// known, pass through. Mount it after the family's auth middleware (it
// reads infoOf(r).merchantID, set by noteMerchant).
//
// The key is reserved before the handler runs and the answer buffered, then
// stored, then sent: a client that saw an answer can rely on its replay.
// Answers that a retry may change (5xx, 429) are not stored: the key is
// released, unless the request committed a write. The reservation travels
// in the request's context, and the handler's store transaction marks it
// committed as it commits (store.WithIdemReservation): a server that dies
// after that commit and before the answer is stored leaves a committed key,
// whose retries get the in-flight 409 until it expires, never a second run.
// A reservation of a dead server that committed nothing is taken over at
// once (store.ReserveIdemKey).
func (s *Server) idempotent(fail func(w http.ResponseWriter, r *http.Request, p idemProblem)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			key, present := r.Header["Idempotency-Key"]
			merchantID := infoOf(r).merchantID
			if !present || merchantID == 0 {
				next.ServeHTTP(w, r)
				return
			}
			if len(key) != 1 || !validIdemKey(key[0]) {
				fail(w, r, idemKeyInvalid)
				return
			}
			body, err := io.ReadAll(io.LimitReader(r.Body, idemMaxBody+1))
			r.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
			if err != nil || len(body) > idemMaxBody {
				next.ServeHTTP(w, r)
				return
			}
			fp := fingerprint(r, body)
			rec, reserved, err := s.store.ReserveIdemKey(r.Context(), merchantID, key[0], r.Method, r.URL.Path, fp)
			switch {
			case err != nil:
				s.log.Error("idempotency key", "request_id", infoOf(r).requestID, "err", err)
				fail(w, r, idemUnavailable)
			case !reserved && !bytes.Equal(rec.Fingerprint, fp):
				fail(w, r, idemKeyReused)
			case !reserved && !rec.Done:
				fail(w, r, idemKeyInFlight)
			case !reserved:
				replay(w, rec)
			default:
				r = r.WithContext(store.WithIdemReservation(r.Context(), rec.ID))
				s.runAndStore(w, r, next, merchantID, key[0], rec)
			}
		})
	}
}

// runAndStore runs the handler into a buffer, stores its answer under the
// reserved key (or releases the key), then sends the answer.
func (s *Server) runAndStore(w http.ResponseWriter, r *http.Request, next http.Handler, merchantID int64, key string, rec store.IdemRecord) {
	buf := &bufferedResponse{header: http.Header{}}
	stored := false
	defer func() {
		// A panic (re-raised after this) or a retryable answer frees the key.
		if !stored {
			if err := s.store.ReleaseIdemKey(r.Context(), merchantID, key, rec); err != nil {
				s.log.Error("idempotency key release", "request_id", infoOf(r).requestID, "err", err)
			}
		}
	}()
	next.ServeHTTP(buf, r)
	if buf.status == 0 {
		buf.status = http.StatusOK
	}
	if buf.status < 500 && buf.status != http.StatusTooManyRequests {
		header := map[string][]string{}
		for k, v := range buf.header {
			if !idemSkipHeaders[k] {
				header[k] = v
			}
		}
		if err := s.store.CompleteIdemKey(r.Context(), merchantID, key, rec, buf.status, header, buf.body.Bytes()); err != nil {
			s.log.Error("idempotency key store", "request_id", infoOf(r).requestID, "err", err)
		}
		stored = true
	}
	for k, v := range buf.header {
		w.Header()[k] = v
	}
	w.WriteHeader(buf.status)
	_, _ = w.Write(buf.body.Bytes())
}

// replay answers with a stored first answer.
func replay(w http.ResponseWriter, rec store.IdemRecord) {
	for k, v := range rec.Header {
		w.Header()[k] = v
	}
	w.Header().Set("Idempotent-Replayed", "true")
	w.WriteHeader(rec.Status)
	_, _ = w.Write(rec.Body)
}

// fingerprint digests what makes two requests the same request.
func fingerprint(r *http.Request, body []byte) []byte {
	h := sha256.New()
	io.WriteString(h, r.Method+"\n"+r.URL.RequestURI()+"\n"+strconv.Itoa(len(body))+"\n")
	h.Write(body)
	return h.Sum(nil)
}

// validIdemKey accepts 1 to 255 printable ASCII characters.
func validIdemKey(k string) bool {
	if k == "" || len(k) > 255 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < ' ' || k[i] > '~' {
			return false
		}
	}
	return true
}

// bufferedResponse holds a handler's answer until it is stored.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
