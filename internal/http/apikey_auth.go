package http

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/puntos/puntos/internal/store"
)

// apikeyBodyLimit buffers the body of an apikey API request, refusing one
// over 64 KiB with request_01 before anything else reads it (the
// idempotency fingerprint and the form decoder then read the buffer).
func apikeyBodyLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := readAtMost(r.Body, r.ContentLength, maxAPIKeyBody+1)
		if err != nil {
			writeAPIKeyError(w, r, errToolusers01Request)
			return
		}
		if len(body) > maxAPIKeyBody {
			writeAPIKeyError(w, r, errRequest01)
			return
		}
		b := &bufferedBody{all: body}
		b.Reset(body)
		r.Body = b
		next.ServeHTTP(w, r)
	})
}

// bufferedBody is a request body apikeyBodyLimit read whole. It reads as
// the original did, and decodeAPIKeyForm takes its bytes without copying
// them again.
type bufferedBody struct {
	bytes.Reader
	all []byte
}

func (*bufferedBody) Close() error { return nil }

// takeUnread returns the bytes not read yet and marks them read.
func (b *bufferedBody) takeUnread() []byte {
	rest := b.all[len(b.all)-b.Len():]
	_, _ = b.Seek(0, io.SeekEnd)
	return rest
}

// readAtMost is io.ReadAll(io.LimitReader(r, n)) in a single allocation
// when the request's Content-Length (size; -1 when unknown) is below n.
func readAtMost(r io.Reader, size, n int64) ([]byte, error) {
	c := int64(512)
	if size >= 0 && size < n {
		c = size + 1 // the extra byte takes the read that answers EOF
	}
	b := make([]byte, 0, c)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // more than announced: grow
		}
		room := b[len(b):cap(b)]
		if rem := n - int64(len(b)); int64(len(room)) > rem {
			room = room[:rem]
		}
		k, err := r.Read(room)
		b = b[:len(b)+k]
		if err == io.EOF {
			return b, nil
		}
		if err != nil || int64(len(b)) >= n {
			return b, err
		}
	}
}

// apikeyAuth resolves the `apikey` header to its merchant (by the key's
// SHA-256, so the lookup itself is the constant-time comparison) and answers
// auth_01 for a missing, unknown or revoked key. RATE_LIMIT applies per
// key: over it, 429 rate_01.
func (s *Server) apikeyAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Apikey") // the `apikey` header; spelled canonically, Get need not allocate the canonical name
		if key == "" {
			writeAPIKeyError(w, r, errAuth01)
			return
		}
		m, err := s.store.MerchantByAPIKey(r.Context(), key)
		switch {
		case errors.Is(err, store.ErrNotFound):
			writeAPIKeyError(w, r, errAuth01)
			return
		case err != nil:
			s.log.Error("apikey lookup", "err", err)
			writeAPIKeyError(w, r, errInternal01)
			return
		}
		noteMerchant(r, m.ID)
		if !s.limiter.allowCredential(w, "apikey", key) {
			writeAPIKeyError(w, r, errRate01)
			return
		}
		infoOf(r).apikeyMerchant = m
		next.ServeHTTP(w, r)
	})
}

// apikeyMerchant is the merchant apikeyAuth resolved for this request
// (kept in the request's logInfo, which observe gives every request).
func apikeyMerchant(r *http.Request) store.Merchant {
	return infoOf(r).apikeyMerchant
}

// apikeyRequest decodes the request's fields; on failure it has answered
// (request_01 for an oversized body, undecodable for the endpoint's code).
func apikeyRequest(w http.ResponseWriter, r *http.Request, undecodable apikeyError) (apikeyForm, bool) {
	f, err := decodeAPIKeyForm(w, r)
	switch {
	case errors.Is(err, errBodyTooLarge):
		writeAPIKeyError(w, r, errRequest01)
		return nil, false
	case err != nil:
		writeAPIKeyError(w, r, undecodable)
		return nil, false
	}
	return f, true
}

// apikeyOK answers a success in the seed's shape, with body's fields plus
// success and code; encoding/json writes a map's keys sorted. The hot
// path's successes use apikeySuccess, which writes the same bytes.
func apikeyOK(w http.ResponseWriter, r *http.Request, code string, body map[string]any) {
	noteCode(r, code)
	body["success"] = true
	body["code"] = code
	writeJSON(w, http.StatusOK, body)
}

// apikeyIdemFail answers the Idempotency-Key middleware's refusals in the
// apikey API's shape (ext codes: the seeds have no Idempotency-Key).
func (s *Server) apikeyIdemFail(w http.ResponseWriter, r *http.Request, p idemProblem) {
	switch p {
	case idemKeyInvalid:
		writeAPIKeyError(w, r, errIdempotency01)
	case idemKeyReused:
		writeAPIKeyError(w, r, errIdempotency02)
	case idemKeyInFlight:
		writeAPIKeyError(w, r, errIdempotency03)
	default:
		writeAPIKeyError(w, r, errInternal01)
	}
}
