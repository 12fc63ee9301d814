package http

import (
	"net/http"
	"slices"

	"github.com/puntos/puntos/internal/ledger"
)

// ledgerCheckAnswer is the body of GET /admin/v1/merchants/{id}/ledger/check.
type ledgerCheckAnswer struct {
	OK         bool                  `json:"ok"`
	SumsByUnit map[string]string     `json:"sums_by_unit"`
	Unbalanced []string              `json:"unbalanced"`
	Mismatches []ledgerCheckMismatch `json:"mismatches"`
	Negative   []int64               `json:"negative_accounts"`
	MissingTx  []int64               `json:"missing_transactions"`
}

type ledgerCheckMismatch struct {
	AccountID    int64  `json:"account_id"`
	Materialised string `json:"stored_balance"`
	Derived      string `json:"postings_sum"`
}

// adminLedgerCheck runs the conservation check of the merchant's ledger
// (ledger.md invariant 1, and no disallowed negative). A failed check is
// still a 200: the answer is the report, with ok false.
func (s *Server) adminLedgerCheck(w http.ResponseWriter, r *http.Request) {
	m := adminMerchantOf(r)
	report, err := s.store.CheckLedger(r.Context(), m.ID)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	if !report.OK {
		s.log.Warn("ledger check failed", "request_id", infoOf(r).requestID, "merchant_id", m.ID, "report", report)
	}
	writeJSON(w, http.StatusOK, ledgerCheckOf(report))
}

func ledgerCheckOf(report ledger.CheckReport) ledgerCheckAnswer {
	a := ledgerCheckAnswer{OK: report.OK, SumsByUnit: map[string]string{},
		Unbalanced: []string{}, Mismatches: []ledgerCheckMismatch{}, Negative: []int64{}, MissingTx: []int64{}}
	for u, sum := range report.SumsByUnit {
		a.SumsByUnit[u.String()] = sum.String()
	}
	for _, u := range report.Unbalanced {
		a.Unbalanced = append(a.Unbalanced, u.String())
	}
	slices.Sort(a.Unbalanced)
	for _, mm := range report.Mismatches {
		a.Mismatches = append(a.Mismatches, ledgerCheckMismatch{mm.AccountID, mm.Materialised.String(), mm.Derived.String()})
	}
	a.Negative = append(a.Negative, report.Negative...)
	a.MissingTx = append(a.MissingTx, report.MissingTx...)
	return a
}
