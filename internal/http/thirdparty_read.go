package http

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/puntos/puntos/internal/store"
)

// The read methods of the third-party API come in two shapes, served by
// one handler each: show-* (a required "code", 404 when it is not the
// merchant's) and get-* (page, limit ≤ 100 and filters, one page answered).

// tpShow serves a show-* method: GET ?code=..., answered with encode.
func tpShow[T, J any](s *Server, lookup func(context.Context, int64, string) (T, error), encode func(T, *time.Location) J) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := tpCallOf(r)
		f, err := tpReadQuery(r)
		switch {
		case err != nil:
			tpFail(w, r, tpBadInput)
			return
		case f["code"] == "":
			tpFail(w, r, tpCodeRequired)
			return
		}
		v, err := lookup(r.Context(), c.merchantID, f["code"])
		switch {
		case errors.Is(err, store.ErrNotFound):
			tpFail(w, r, tpNotFound)
		case err != nil:
			s.tpStoreFail(w, r, err)
		default:
			tpSucceed(w, r, encode(v, c.loc))
		}
	}
}

// tpList serves a get-* method: one page of list's rows under key, with the
// paging block (current_page, per_page, last_page, total).
func tpList[T, J any](s *Server, key string, list func(context.Context, int64, store.ThirdpartyQuery) ([]T, int64, error), encode func(T, *time.Location) J) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := tpCallOf(r)
		f, err := tpReadQuery(r)
		if err != nil {
			tpFail(w, r, tpBadInput)
			return
		}
		q, reason := tpQuery(f)
		if reason != tpOK {
			tpFail(w, r, reason)
			return
		}
		rows, total, err := list(r.Context(), c.merchantID, q)
		if err != nil {
			s.tpStoreFail(w, r, err)
			return
		}
		items := make([]J, len(rows))
		for i, v := range rows {
			items[i] = encode(v, c.loc)
		}
		last := max((total+int64(q.Limit)-1)/int64(q.Limit), 1)
		tpSucceed(w, r, map[string]any{"current_page": q.Page, "per_page": q.Limit, "last_page": last, "total": total, key: items})
	}
}
