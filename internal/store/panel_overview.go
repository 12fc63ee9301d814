package store

import "context"

// PanelOverview counts what a merchant has, for the panel's home page.
type PanelOverview struct {
	Cards, Wallets, Contacts, Collaborators, APIKeys int64
}

// PanelOverview reads the merchant's counts in one statement.
func (s *Store) PanelOverview(ctx context.Context, merchantID int64) (PanelOverview, error) {
	var o PanelOverview
	err := s.pool.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM loyalty_cards WHERE merchant_id = $1),
		       (SELECT count(*) FROM wallets WHERE merchant_id = $1),
		       (SELECT count(*) FROM contacts WHERE merchant_id = $1),
		       (SELECT count(*) FROM collaborators WHERE merchant_id = $1 AND status = 'active'),
		       (SELECT count(*) FROM api_keys WHERE merchant_id = $1 AND revoked_at IS NULL)`, merchantID).
		Scan(&o.Cards, &o.Wallets, &o.Contacts, &o.Collaborators, &o.APIKeys)
	return o, interpretError(err)
}
