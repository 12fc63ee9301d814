package http

import (
	"context"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/secret"
	"github.com/puntos/puntos/internal/store"
)

// customerLinkKey names the server key that signs customer-page links.
const customerLinkKey = "customer_link"

// memberView is one enrollment as the panel's contact page and the
// customer page show it: balance, batches with their expiry, recent history.
type memberView struct {
	store.Membership
	Balance ledger.Amount
	// Stamps is the whole stamps on the current card (cards only).
	Stamps int64
	// StampSlots is one entry per stamp of a full card, true when stamped,
	// for the card picture.
	StampSlots []bool
	Batches    []store.AccountView
	History    []store.Entry
	// Link is the contact's signed customer page for this program.
	Link string
}

// IsCard reports whether the enrollment is in a stamp card.
func (m memberView) IsCard() bool { return m.Program == "card" }

// memberViews reads every enrollment of a contact with its ledger state.
func (s *Server) memberViews(ctx context.Context, merchantID, contactID int64, historyLimit int) ([]memberView, error) {
	ms, err := s.store.Memberships(ctx, merchantID, contactID)
	if err != nil {
		return nil, err
	}
	out := make([]memberView, 0, len(ms))
	for _, m := range ms {
		v, err := s.memberView(ctx, merchantID, contactID, m, historyLimit)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *Server) memberView(ctx context.Context, merchantID, contactID int64, m store.Membership, historyLimit int) (memberView, error) {
	v := memberView{Membership: m}
	var err error
	if v.Balance, err = s.store.Balance(ctx, merchantID, m.Owner(), m.Unit()); err != nil {
		return v, err
	}
	if v.Batches, err = s.store.Batches(ctx, merchantID, m.Owner(), m.Unit()); err != nil {
		return v, err
	}
	if v.History, err = s.store.History(ctx, merchantID, m.Owner(), store.HistoryFilter{Unit: m.Unit(), Limit: historyLimit}); err != nil {
		return v, err
	}
	if v.IsCard() {
		v.Stamps = ledger.WholeStamps(v.Balance)
		v.StampSlots = make([]bool, m.StampsRequired)
		for i := range v.StampSlots {
			v.StampSlots[i] = int64(i) < v.Stamps
		}
	}
	if v.Link, err = s.customerLink(ctx, merchantID, contactID, m.ProgramKey); err != nil {
		return v, err
	}
	return v, nil
}

// customerLink is the contact's page of one program: the program's
// *_app_client URL followed by a signed token naming the contact.
func (s *Server) customerLink(ctx context.Context, merchantID, contactID int64, programKey string) (string, error) {
	key, err := s.store.ServerKey(ctx, customerLinkKey)
	if err != nil {
		return "", err
	}
	return s.clientURL(programKey) + "/" + secret.SignContact(key, merchantID, contactID, programKey), nil
}
