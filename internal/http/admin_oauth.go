package http

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// The admin side of the JSON API: customer tiers, the transaction type
// catalogue, and revoking a client's tokens.

type adminRule struct {
	Unit       string          `json:"unit"`
	Multiplier json.RawMessage `json:"multiplier"`
	Threshold  json.RawMessage `json:"threshold"`
}

// adminCreateGroup is POST /admin/v1/merchants/{id}/groups: a tier with its
// rules per unit (multiplier of POINTS ORDER earnings, amount earned in the
// rolling window that admits to it) and its next tier.
func (s *Server) adminCreateGroup(w http.ResponseWriter, r *http.Request) {
	b, err := readAdminBody(r, "name", "description", "rules", "next_group_id", "default", "window_days")
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	g, err := adminGroupInput(b)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	g, err = s.store.CreateGroup(r.Context(), adminMerchantOf(r).ID, g)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, adminGroupView(g))
}

func adminGroupInput(b adminBody) (store.Group, error) {
	var g store.Group
	var err error
	if g.Name, err = adminRequired[string](b, "name", "a non-empty string"); err != nil || g.Name == "" {
		return g, adminWrongType("name", "a non-empty string")
	}
	if d, err := adminOptional[string](b, "description", "a string"); err != nil {
		return g, err
	} else if d != nil {
		g.Description = *d
	}
	if g.NextID, err = adminOptional[int64](b, "next_group_id", "a group id"); err != nil {
		return g, err
	}
	if d, err := adminOptional[bool](b, "default", "true or false"); err != nil {
		return g, err
	} else if d != nil {
		g.Default = *d
	}
	if wd, err := adminOptional[int](b, "window_days", "a whole number of days from 1 to 3660"); err != nil {
		return g, err
	} else if wd != nil {
		if *wd < 1 || *wd > 3660 {
			return g, adminWrongType("window_days", "a whole number of days from 1 to 3660")
		}
		g.WindowDays = *wd
	}
	rules, err := adminOptional[[]adminRule](b, "rules", "a list of {unit, multiplier, threshold}")
	if err != nil || rules == nil {
		return g, err
	}
	for i, rule := range *rules {
		field := "rules." + strconv.Itoa(i)
		unit, err := ledger.ParseUnit(rule.Unit)
		if err != nil || (unit != ledger.Points && unit != ledger.Coins) {
			return g, adminWrongType(field+".unit", "POINTS or COINS")
		}
		gr := store.GroupRule{Unit: unit, Multiplier: 100}
		if len(rule.Multiplier) > 0 {
			m, err := adminAmount(adminBody{"multiplier": rule.Multiplier}, "multiplier")
			if err != nil || m > 1000_00 {
				return g, adminWrongType(field+".multiplier", "a factor from 0 to 1000 with at most two decimals")
			}
			gr.Multiplier = int64(m)
		}
		if len(rule.Threshold) > 0 {
			if gr.Threshold, err = adminAmount(adminBody{"threshold": rule.Threshold}, "threshold"); err != nil {
				return g, adminWrongType(field+".threshold", "an amount from 0 with at most two decimals")
			}
		}
		g.Rules = append(g.Rules, gr)
	}
	return g, nil
}

func adminGroupView(g store.Group) map[string]any {
	rules := make([]map[string]any, 0, len(g.Rules))
	for _, r := range g.Rules {
		rules = append(rules, map[string]any{"unit": r.Unit.Name(), "multiplier": points(ledger.Amount(r.Multiplier)),
			"threshold": points(r.Threshold)})
	}
	return map[string]any{"id": g.ID, "name": g.Name, "description": g.Description, "rules": rules,
		"next_group_id": g.NextID, "default": g.Default, "window_days": g.WindowDays}
}

// adminListTxTypes is GET /admin/v1/merchants/{id}/transaction-types.
func (s *Server) adminListTxTypes(w http.ResponseWriter, r *http.Request) {
	ts, err := s.store.TxTypes(r.Context(), adminMerchantOf(r).ID)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	out := make([]map[string]any, 0, len(ts))
	for _, t := range ts {
		out = append(out, adminTxTypeView(t))
	}
	writeJSON(w, http.StatusOK, map[string]any{"transaction_types": out})
}

var reportColumns = map[string]bool{"": true, "orders": true, "coupons": true, "balance": true, "redeemed": true}

// adminCreateTxType is POST /admin/v1/merchants/{id}/transaction-types: a
// new type of the merchant's catalogue for POST /api/transaction.
func (s *Server) adminCreateTxType(w http.ResponseWriter, r *http.Request) {
	b, err := readAdminBody(r, "name", "unit", "direction", "report_column", "title", "reversal_title")
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	t, err := adminTxTypeInput(b)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	t, err = s.store.CreateTxType(r.Context(), adminMerchantOf(r).ID, t)
	if err != nil {
		if errors.Is(err, store.ErrConflict) {
			err = &adminError{http.StatusConflict, adminDuplicate, "the merchant already has this type", "name"}
		}
		s.adminFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, adminTxTypeView(t))
}

func adminTxTypeInput(b adminBody) (store.TxType, error) {
	var t store.TxType
	name, err := adminRequired[string](b, "name", "a type name of 1 to 64 characters")
	if err != nil || name == "" || len(name) > 64 {
		return t, adminWrongType("name", "a type name of 1 to 64 characters")
	}
	t.Name = name
	unit, err := adminRequired[string](b, "unit", "POINTS or COINS")
	if u, perr := ledger.ParseUnit(unit); err != nil || perr != nil || (u != ledger.Points && u != ledger.Coins) {
		return t, adminWrongType("unit", "POINTS or COINS")
	} else {
		t.Unit = u
	}
	dir, err := adminRequired[string](b, "direction", "CREDIT, DEBIT or TRANSFER")
	if err != nil || (dir != store.DirCredit && dir != store.DirDebit && dir != store.DirTransfer) {
		return t, adminWrongType("direction", "CREDIT, DEBIT or TRANSFER")
	}
	t.Direction = dir
	for _, f := range []struct {
		name string
		dst  *string
	}{{"report_column", &t.ReportColumn}, {"title", &t.Title}, {"reversal_title", &t.ReversalTitle}} {
		v, err := adminOptional[string](b, f.name, "a string")
		if err != nil {
			return t, err
		}
		if v != nil {
			*f.dst = *v
		}
	}
	if !reportColumns[t.ReportColumn] {
		return t, adminWrongType("report_column", "orders, coupons, balance or redeemed")
	}
	if t.ReversalTitle == "" {
		t.ReversalTitle = "Reverso"
	}
	return t, nil
}

func adminTxTypeView(t store.TxType) map[string]any {
	return map[string]any{"name": t.Name, "unit": t.Unit.Name(), "direction": t.Direction, "report_column": nullString(t.ReportColumn),
		"title": t.Title, "reversal_title": t.ReversalTitle, "system_only": t.SystemOnly}
}

// adminRevokeTokens is POST /admin/v1/merchants/{id}/oauth-clients/{clientID}/revoke-tokens:
// every token the client holds stops working at once; the client can ask for new ones.
func (s *Server) adminRevokeTokens(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "clientID"), 10, 64)
	var n int64
	if err == nil {
		n, err = s.store.RevokeOAuthTokens(r.Context(), adminMerchantOf(r).ID, id)
	}
	if err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, strconv.ErrSyntax) || errors.Is(err, strconv.ErrRange) {
			err = adminNotFoundErr("oauth client")
		}
		s.adminFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"revoked": n})
}
