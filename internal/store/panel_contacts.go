package store

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// AgendaContact is a contact of the merchant's agenda as the panel lists it.
type AgendaContact struct {
	ID        int64
	Phone     string
	Name      string
	Email     string
	Birthdate *time.Time
	City      string
	State     string
	Disabled  bool
	Blocked   bool
	CreatedAt time.Time
}

// Membership is a contact's enrollment in one card or wallet; MemberID is
// the ledger owner id (card_member / wallet_member) of its balance.
type Membership struct {
	Program        string // "card" or "wallet"
	ProgramID      int64
	ProgramKey     string
	ProgramName    string
	MemberID       int64
	Completions    int64 // cards only
	StampsRequired int   // cards only
	CustomJS       string
	CreatedAt      time.Time
}

// Owner is the ledger holder of the membership's balance.
func (m Membership) Owner() ledger.Owner {
	if m.Program == "card" {
		return ledger.Owner{Kind: ledger.OwnerCardMember, ID: m.MemberID}
	}
	return ledger.Owner{Kind: ledger.OwnerWalletMember, ID: m.MemberID}
}

// Unit is the ledger unit of the membership's balance: stamps on a card,
// points in a wallet.
func (m Membership) Unit() ledger.Unit {
	if m.Program == "card" {
		return ledger.Stamps
	}
	return ledger.Points
}

const agendaColumns = `c.id, c.phone, c.name, c.email, c.birthdate, c.city, c.state, c.disabled,
	EXISTS (SELECT 1 FROM blacklist b WHERE b.merchant_id = c.merchant_id AND b.phone = c.phone), c.created_at`

func scanAgenda(row pgx.Row) (AgendaContact, error) {
	var c AgendaContact
	err := row.Scan(&c.ID, &c.Phone, &c.Name, &c.Email, &c.Birthdate, &c.City, &c.State, &c.Disabled, &c.Blocked, &c.CreatedAt)
	return c, interpretError(err)
}

// AgendaContacts lists the merchant's contacts, newest first, whose phone
// or name contains query (all when empty), one page at a time.
func (s *Store) AgendaContacts(ctx context.Context, merchantID int64, query string, limit, offset int) ([]AgendaContact, error) {
	query = strings.TrimSpace(query)
	rows, err := s.pool.Query(ctx, `SELECT `+agendaColumns+` FROM contacts c
		WHERE c.merchant_id = $1 AND ($2 = '' OR c.phone LIKE '%' || $3 || '%' OR c.name ILIKE '%' || $3 || '%')
		ORDER BY c.id DESC LIMIT $4 OFFSET $5`,
		merchantID, query, escapeLike(query), limit, offset)
	if err != nil {
		return nil, interpretError(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AgendaContact, error) { return scanAgenda(r) })
	return out, interpretError(err)
}

// escapeLike makes a search text match literally inside ILIKE.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// AgendaContact returns one contact of the merchant, or ErrNotFound.
func (s *Store) AgendaContact(ctx context.Context, merchantID, contactID int64) (AgendaContact, error) {
	return scanAgenda(s.pool.QueryRow(ctx, `SELECT `+agendaColumns+` FROM contacts c
		WHERE c.merchant_id = $1 AND c.id = $2`, merchantID, contactID))
}

// AgendaContactByPhone returns the contact with that (normalized) phone, or ErrNotFound.
func (s *Store) AgendaContactByPhone(ctx context.Context, merchantID int64, phone string) (AgendaContact, error) {
	if p, ok := NormalizePhone(phone); ok {
		phone = p
	}
	return scanAgenda(s.pool.QueryRow(ctx, `SELECT `+agendaColumns+` FROM contacts c
		WHERE c.merchant_id = $1 AND c.phone = $2`, merchantID, phone))
}

// Memberships lists the cards and wallets a contact is enrolled in, cards first.
func (s *Store) Memberships(ctx context.Context, merchantID, contactID int64) ([]Membership, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT 'card', p.id, p.key, p.name, m.id, m.completions, p.stamps_required, p.custom_js, m.created_at
		FROM card_members m JOIN loyalty_cards p ON p.merchant_id = m.merchant_id AND p.id = m.card_id
		WHERE m.merchant_id = $1 AND m.contact_id = $2
		UNION ALL
		SELECT 'wallet', p.id, p.key, p.name, m.id, 0, 0, '', m.created_at
		FROM wallet_members m JOIN wallets p ON p.merchant_id = m.merchant_id AND p.id = m.wallet_id
		WHERE m.merchant_id = $1 AND m.contact_id = $2
		ORDER BY 1, 2`, merchantID, contactID)
	if err != nil {
		return nil, interpretError(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Membership, error) {
		var m Membership
		err := r.Scan(&m.Program, &m.ProgramID, &m.ProgramKey, &m.ProgramName, &m.MemberID, &m.Completions,
			&m.StampsRequired, &m.CustomJS, &m.CreatedAt)
		return m, err
	})
	return out, interpretError(err)
}
