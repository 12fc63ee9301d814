package http

import (
	"net/http"
	"strconv"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// postTransaction is POST /api/transaction.
func (s *Server) postTransaction(w http.ResponseWriter, r *http.Request) {
	var req transactionRequest
	if err := decodeAPI(r, &req); err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	in, err := req.validate()
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	v, err := s.store.PostAPITransaction(r.Context(), merchantOf(r), in)
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	writeOAuthOK(w, msgOK, txJSON(v))
}

// postCheckbook is POST /api/transaction/checkbook.
func (s *Server) postCheckbook(w http.ResponseWriter, r *http.Request) {
	var req checkbookRequest
	if err := decodeAPI(r, &req); err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	cb, err := req.validate(true)
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	v, err := s.store.PostCheckbook(r.Context(), merchantOf(r), cb)
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	writeOAuthOK(w, msgOK, txJSON(v))
}

// redeemFullBalance is POST /api/transaction/redeemFullBalance.
func (s *Server) redeemFullBalance(w http.ResponseWriter, r *http.Request) {
	var req checkbookRequest
	if err := decodeAPI(r, &req); err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	cb, err := req.validate(false)
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	c, err := s.store.RedeemFullBalance(r.Context(), merchantOf(r), cb)
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	writeOAuthOK(w, msgOK, customerJSON(c))
}

type reverseRequest struct {
	Type  string   `json:"type"`
	Code  string   `json:"code"`
	Codes []string `json:"codes"`
}

// reverse is POST /api/transaction/reverse.
func (s *Server) reverse(w http.ResponseWriter, r *http.Request) {
	var req reverseRequest
	if err := decodeAPI(r, &req); err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	if err := firstError(textField("type", req.Type, true), textField("code", req.Code, true)); err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	v, err := s.store.ReverseAPI(r.Context(), merchantOf(r), req.Type, req.Code)
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	writeOAuthOK(w, msgOK, txJSON(v))
}

// maxReverseMany bounds one reverseMany call.
const maxReverseMany = 100

// reverseMany is POST /api/transaction/reverseMany: all or nothing.
func (s *Server) reverseMany(w http.ResponseWriter, r *http.Request) {
	var req reverseRequest
	if err := decodeAPI(r, &req); err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	if err := textField("type", req.Type, true); err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	if len(req.Codes) == 0 || len(req.Codes) > maxReverseMany {
		s.writeOAuthError(w, r, invalid("codes", "from 1 to 100 codes"))
		return
	}
	for i, c := range req.Codes {
		if err := textField("codes."+strconv.Itoa(i), c, true); err != nil {
			s.writeOAuthError(w, r, err)
			return
		}
	}
	vs, err := s.store.ReverseManyAPI(r.Context(), merchantOf(r), req.Type, req.Codes)
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	writeOAuthOK(w, msgOK, txsJSON(vs))
}

type transferRequest struct {
	Type         string           `json:"type"`
	Code         string           `json:"code"`
	Total        numberField      `json:"total"`
	Title        string           `json:"title"`
	CustomerFrom *customerRequest `json:"customerFrom"`
	CustomerTo   *customerRequest `json:"customerTo"`
}

// transfer is POST /api/transaction/transfer: {"from": DEBIT, "to": CREDIT}.
func (s *Server) transfer(w http.ResponseWriter, r *http.Request) {
	var req transferRequest
	if err := decodeAPI(r, &req); err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	in := store.Transfer{Type: req.Type, Code: req.Code, Title: req.Title}
	err := firstError(textField("type", req.Type, true), textField("code", req.Code, false), textField("title", req.Title, false))
	if err == nil {
		in.Total, err = amountField("total", req.Total, true, true)
	}
	if err == nil {
		in.From, err = customerRef("customerFrom", req.CustomerFrom)
	}
	if err == nil {
		in.To, err = customerRef("customerTo", req.CustomerTo)
	}
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	from, to, err := s.store.TransferAPI(r.Context(), merchantOf(r), in)
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	writeOAuthOK(w, msgOK, map[string]any{"from": txJSON(from), "to": txJSON(to)})
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// positiveParam reads an optional whole-number query parameter in [1, max].
func positiveParam(r *http.Request, name string, def, max int) (int, error) {
	v := queryParam(r, name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, invalid(name, "must be a whole number from 1 to "+strconv.Itoa(max))
	}
	return n, nil
}

// history is GET /api/transaction/history: {"data": [...]} only, newest
// first, 15 per page (per_page up to 100, ext).
func (s *Server) history(w http.ResponseWriter, r *http.Request) {
	customer, err := requiredParam(r, "customerId")
	var page, perPage int
	if err == nil {
		page, err = positiveParam(r, "page", 1, store.MaxHistoryDepth)
	}
	if err == nil {
		perPage, err = positiveParam(r, "per_page", 15, 100)
	}
	if err == nil && page*perPage > store.MaxHistoryDepth {
		err = invalid("page", "reaches past the 10000 most recent transactions")
	}
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	vs, err := s.store.CustomerHistory(r.Context(), merchantOf(r), customer, page, perPage)
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	writeOAuthData(w, txsJSON(vs))
}

// transactionByCode is GET /api/transaction/transactionByCode.
func (s *Server) transactionByCode(w http.ResponseWriter, r *http.Request) {
	code, err := requiredParam(r, "code")
	var typ string
	if err == nil {
		typ, err = requiredParam(r, "type")
	}
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	vs, err := s.store.TxByCode(r.Context(), merchantOf(r), typ, code)
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	writeOAuthOK(w, msgOK, txsJSON(vs))
}

// customerRange answers reloadsByCustomer (BALANCE RELOAD in COINS) and
// pointsByCustomer (every POINTS transaction) between two local days.
func (s *Server) customerRange(unit ledger.Unit, txType string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		doc, err := requiredParam(r, "document")
		if err != nil {
			s.writeOAuthError(w, r, err)
			return
		}
		from, to, err := dateRange(r, "from", "to")
		if err != nil {
			s.writeOAuthError(w, r, err)
			return
		}
		vs, err := s.store.CustomerTransactions(r.Context(), merchantOf(r), doc, unit, txType, from, to)
		if err != nil {
			s.writeOAuthError(w, r, err)
			return
		}
		writeOAuthOK(w, msgOK, txsJSON(vs))
	}
}

// batchExpiration is GET /api/batch/expiration: {"data": [...]} only, the
// customer's live batch accounts, soonest expiry first, under the seed's
// "batch object" key.
func (s *Server) batchExpiration(w http.ResponseWriter, r *http.Request) {
	customer, err := requiredParam(r, "customerId")
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	accounts, err := s.store.CustomerBatches(r.Context(), merchantOf(r), customer)
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	loc, err := s.store.MerchantZone(r.Context(), merchantOf(r))
	if err != nil {
		s.writeOAuthError(w, r, err)
		return
	}
	out := make([]map[string]any, 0, len(accounts))
	for _, a := range accounts {
		b := map[string]any{"id": id(a.Batch.ID), "start_date": nil, "end_date": nil,
			"expiration_date": store.LocalTime(a.Batch.ExpiresAt, loc)}
		if !a.Batch.StartDate.IsZero() {
			b["start_date"] = store.LocalTime(a.Batch.StartDate, loc)
		}
		if !a.Batch.EndDate.IsZero() {
			b["end_date"] = store.LocalTime(a.Batch.EndDate, loc)
		}
		out = append(out, map[string]any{"id": id(a.ID), "total_amount": a.Balance.String(), "unit": unitJSON(a.Key.Unit),
			"batch object": b, "set_name": nullString(a.Batch.SetName)})
	}
	writeOAuthData(w, out)
}
