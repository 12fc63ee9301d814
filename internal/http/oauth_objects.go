package http

import (
	"strconv"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// The seed's objects. Ids are strings, amounts two-decimal strings, and
// what the seed prints as "null" is JSON null.

// unitJSON is the seed's unit object: {"id", "name", "sign"}.
func unitJSON(u ledger.Unit) map[string]string {
	return map[string]string{"id": strconv.Itoa(int(u)), "name": u.Name(), "sign": u.Sign()}
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// totalJSON is one of customer.totals: an account with its batch.
func totalJSON(a store.AccountView) map[string]any {
	out := map[string]any{"id": id(a.ID), "total_amount": a.Balance.String(), "unit": unitJSON(a.Key.Unit), "batch": nil, "set_name": nil}
	if a.Batch != nil {
		out["batch"] = id(a.Batch.ID)
		out["set_name"] = nullString(a.Batch.SetName)
	}
	return out
}

// customerJSON is the seed's customer object with its totals.
func customerJSON(c store.CustomerView) map[string]any {
	totals := make([]map[string]any, 0, len(c.Totals))
	for _, a := range c.Totals {
		totals = append(totals, totalJSON(a))
	}
	return map[string]any{"id": id(c.ID), "externalId": c.ExternalID, "name": c.Name, "totals": totals}
}

// txJSON is the seed's transaction object, seen from its customer.
func txJSON(v store.APITx) map[string]any {
	direction, total := "CREDIT", v.Delta
	if v.Delta < 0 {
		direction, total = "DEBIT", -v.Delta
	}
	var st any
	if v.Store != nil {
		st = map[string]string{"id": id(v.Store.ID), "externalId": v.Store.ExternalID, "name": v.Store.Name}
	}
	return map[string]any{
		"id": id(v.Tx.ID), "title": v.Tx.Title, "description": v.Tx.Description,
		"code": nullString(v.Tx.Code), "external_entity_id": nullString(v.Tx.ExternalEntityID),
		"type": direction, "total": total.String(), "created_at": v.CreatedAt,
		"unit": unitJSON(v.Unit), "customer": customerJSON(v.Customer), "store": st,
	}
}

func txsJSON(vs []store.APITx) []map[string]any {
	out := make([]map[string]any, 0, len(vs))
	for _, v := range vs {
		out = append(out, txJSON(v))
	}
	return out
}
