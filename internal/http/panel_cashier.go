package http

import (
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/secret"
	"github.com/puntos/puntos/internal/store"
)

// The cashier page (*_app_redeem, /r/{key}): a collaborator logs in with
// their till PIN and registers sales by the customer's phone, through the
// same store methods as /loyalty/sale and /wallet/sale.

// cashierPage shows the sale form to a collaborator logged in on this
// program, and the PIN form to anyone else.
func (s *Server) cashierPage(w http.ResponseWriter, r *http.Request) {
	ref, err := s.store.ProgramByKey(r.Context(), chi.URLParam(r, "key"))
	if err != nil {
		s.publicError(w, r, err)
		return
	}
	if sess, ok := s.cashierSession(r, ref); ok {
		s.renderSale(w, r, http.StatusOK, ref, sess, saleForm{Mode: "earn"}, "")
		return
	}
	s.renderPIN(w, r, http.StatusOK, ref, "")
}

// cashierSession is the request's live cashier session on this program.
func (s *Server) cashierSession(r *http.Request, ref store.ProgramRef) (store.PanelSession, bool) {
	sess, ok := s.sessionFrom(r, cashierCookieName)
	if !ok || sess.CollaboratorID == 0 || sess.MerchantID != ref.MerchantID || sess.ProgramKey != ref.Key {
		return store.PanelSession{}, false
	}
	return sess, true
}

func (s *Server) renderPIN(w http.ResponseWriter, r *http.Request, status int, ref store.ProgramRef, errKey string) {
	token, _ := secret.New("")
	s.setCookie(w, loginCSRFCookieName, token, 3600, http.SameSiteStrictMode)
	p := s.newPage(w, r, "cashier.title", "")
	p.Layout, p.Heading, p.CSRF = "public", ref.Name, token
	p.Path = "/r/" + ref.Key
	if errKey != "" {
		noteCode(r, errKey)
		p.Error = p.T(errKey)
	}
	p.Data = map[string]any{"Key": ref.Key}
	s.render(w, r, status, "cashier_login", p)
}

// cashierLogin checks the PIN (throttled per program) and opens a cashier
// session bound to this program.
func (s *Server) cashierLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	ref, err := s.store.ProgramByKey(r.Context(), chi.URLParam(r, "key"))
	if err != nil {
		s.publicError(w, r, err)
		return
	}
	noteMerchant(r, ref.MerchantID)
	if !sameToken(r.PostFormValue("csrf"), s.cookieValue(r, loginCSRFCookieName)) {
		s.renderPIN(w, r, http.StatusForbidden, ref, "error.csrf")
		return
	}
	scope := "cashier:" + ref.Key
	if s.throttled(w, r, scope) {
		s.renderPIN(w, r, http.StatusTooManyRequests, ref, "login.throttled")
		return
	}
	c, err := s.store.CollaboratorByPIN(r.Context(), ref.MerchantID, r.PostFormValue("pin"))
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.loginFailed(r, scope)
		s.renderPIN(w, r, http.StatusUnauthorized, ref, "cashier.bad_pin")
		return
	case err != nil:
		s.panelFailed(w, r, err)
		return
	}
	allowed := c.MayUseWallet(ref.ID)
	if ref.Program == "card" {
		allowed = c.MayUseCard(ref.ID)
	}
	if !allowed {
		s.renderPIN(w, r, http.StatusForbidden, ref, "cashier.not_allowed")
		return
	}
	sess := store.PanelSession{MerchantID: ref.MerchantID, CollaboratorID: c.ID, ProgramKey: ref.Key}
	if err := s.startSession(r.Context(), w, cashierCookieName, sess); err != nil {
		s.panelFailed(w, r, err)
		return
	}
	s.setCookie(w, loginCSRFCookieName, "", -1, http.SameSiteStrictMode)
	http.Redirect(w, r, "/r/"+ref.Key, http.StatusSeeOther)
}

// cashierLogout ends the cashier session (its CSRF token checked).
func (s *Server) cashierLogout(w http.ResponseWriter, r *http.Request) {
	ref, _, ok := s.cashierAuth(w, r)
	if !ok {
		return
	}
	s.endSession(w, r, cashierCookieName)
	http.Redirect(w, r, "/r/"+ref.Key, http.StatusSeeOther)
}

// cashierAuth resolves the program and the session of a cashier POST and
// checks its CSRF token; it answers the refusal itself.
func (s *Server) cashierAuth(w http.ResponseWriter, r *http.Request) (store.ProgramRef, store.PanelSession, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	ref, err := s.store.ProgramByKey(r.Context(), chi.URLParam(r, "key"))
	if err != nil {
		s.publicError(w, r, err)
		return ref, store.PanelSession{}, false
	}
	sess, ok := s.cashierSession(r, ref)
	if !ok {
		http.Redirect(w, r, "/r/"+ref.Key, http.StatusSeeOther)
		return ref, sess, false
	}
	noteMerchant(r, ref.MerchantID)
	if !sameToken(r.PostFormValue("csrf"), sess.CSRFToken) {
		s.panelError(w, r, http.StatusForbidden, "error.csrf")
		return ref, sess, false
	}
	return ref, sess, true
}

// saleForm is what the cashier typed, shown again after a refusal.
type saleForm struct {
	Phone, Amount, Points, Ticket, Mode string
}

func (s *Server) renderSale(w http.ResponseWriter, r *http.Request, status int, ref store.ProgramRef, sess store.PanelSession, f saleForm, errKey string) {
	p := s.newPage(w, r, "cashier.title", "")
	p.Layout, p.Heading, p.User, p.CSRF = "public", ref.Name, sess.Email, sess.CSRFToken
	p.Path = "/r/" + ref.Key
	if errKey != "" {
		noteCode(r, errKey)
		p.Error = p.T(errKey)
	}
	p.Data = map[string]any{"Ref": ref, "Form": f, "IsCard": ref.Program == "card"}
	s.render(w, r, status, "cashier_sale", p)
}

// cashierSale registers a sale by phone: a stamp on a card, or a wallet
// purchase that earns cashback or spends points.
func (s *Server) cashierSale(w http.ResponseWriter, r *http.Request) {
	ref, sess, ok := s.cashierAuth(w, r)
	if !ok {
		return
	}
	f := saleForm{Phone: strings.TrimSpace(r.PostFormValue("phone")), Amount: strings.TrimSpace(r.PostFormValue("amount")),
		Points: strings.TrimSpace(r.PostFormValue("points")), Ticket: strings.TrimSpace(r.PostFormValue("ticket")),
		Mode: r.PostFormValue("mode")}
	phone, okPhone := store.NormalizePhone(f.Phone)
	if !okPhone {
		s.renderSale(w, r, http.StatusUnprocessableEntity, ref, sess, f, "cashier.bad_phone")
		return
	}
	in := store.SaleInput{Key: ref.Key, Phone: phone, CollaboratorID: sess.CollaboratorID, Ticket: f.Ticket}
	if f.Amount != "" {
		a, err := ledger.ParseAmount(f.Amount)
		in.Amount, in.AmountGiven, in.AmountBad = a, true, err != nil || a <= 0
	}
	if ref.Program == "wallet" {
		switch {
		case f.Mode == "spend":
			pts, err := ledger.ParseAmount(f.Points)
			if err != nil || pts <= 0 {
				s.renderSale(w, r, http.StatusUnprocessableEntity, ref, sess, f, "cashier.bad_points")
				return
			}
			in.Spend, in.Points = true, pts
		case !in.AmountGiven || in.AmountBad:
			s.renderSale(w, r, http.StatusUnprocessableEntity, ref, sess, f, "cashier.bad_amount")
			return
		}
	}
	m, err := s.store.Merchant(r.Context(), ref.MerchantID)
	if err != nil {
		s.panelFailed(w, r, err)
		return
	}
	var res store.SaleResult
	if ref.Program == "card" {
		res, err = s.store.CardSale(r.Context(), m, in)
	} else {
		res, err = s.store.WalletSale(r.Context(), m, in)
	}
	if err != nil {
		status, key := saleRefusal(err)
		if status == http.StatusInternalServerError {
			s.log.Error("cashier sale", "err", err)
		}
		s.renderSale(w, r, status, ref, sess, f, key)
		return
	}
	p := s.newPage(w, r, "cashier.title", "")
	p.Layout, p.Heading, p.User, p.CSRF = "public", ref.Name, sess.Email, sess.CSRFToken
	p.Path = "/r/" + ref.Key
	p.Flash = p.T("cashier.done")
	p.Data = map[string]any{"Ref": ref, "Form": saleForm{Mode: "earn"}, "IsCard": ref.Program == "card",
		"Result": res, "Phone": phone}
	s.render(w, r, http.StatusCreated, "cashier_sale", p)
}

// saleRefusals maps the sale rules to the cashier page's messages.
var saleRefusals = []struct {
	err    error
	status int
	key    string
}{
	{store.ErrProgramNotFound, http.StatusNotFound, "error.not_found"},
	{store.ErrProgramDisabled, http.StatusForbidden, "cashier.disabled"},
	{store.ErrCollaboratorNotFound, http.StatusForbidden, "cashier.not_allowed"},
	{store.ErrCollaboratorNotAllowed, http.StatusForbidden, "cashier.not_allowed"},
	{store.ErrContactNotFound, http.StatusNotFound, "cashier.not_enrolled"},
	{store.ErrNotEnrolled, http.StatusNotFound, "cashier.not_enrolled"},
	{store.ErrBlacklisted, http.StatusForbidden, "cashier.blocked"},
	{store.ErrContactDisabled, http.StatusForbidden, "cashier.blocked"},
	{store.ErrTicketRequired, http.StatusUnprocessableEntity, "cashier.ticket_required"},
	{store.ErrAmountRequired, http.StatusUnprocessableEntity, "cashier.bad_amount"},
	{store.ErrDailyLimit, http.StatusUnprocessableEntity, "cashier.daily_limit"},
	{store.ErrOperationQuota, http.StatusUnprocessableEntity, "cashier.quota"},
	{store.ErrInsufficientPoints, http.StatusUnprocessableEntity, "cashier.insufficient"},
	{store.ErrNoMessagingChannel, http.StatusUnprocessableEntity, "cashier.messaging"},
	{store.ErrMessageCredit, http.StatusUnprocessableEntity, "cashier.messaging"},
	{store.ErrTicketOtherContact, http.StatusConflict, "cashier.ticket_other"},
}

func saleRefusal(err error) (int, string) {
	for _, r := range saleRefusals {
		if errors.Is(err, r.err) {
			return r.status, r.key
		}
	}
	return http.StatusInternalServerError, "error.internal"
}
