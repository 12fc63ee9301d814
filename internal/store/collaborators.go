package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/puntos/puntos/internal/secret"
)

// Collaborator refusals that say which rule refused; both match ErrConflict.
var (
	ErrDuplicateName = fmt.Errorf("an active collaborator has this name: %w", ErrConflict)
	ErrDuplicatePIN  = fmt.Errorf("an active collaborator has this PIN: %w", ErrConflict)
)

// Collaborator kinds, as the seeds spell them.
const (
	Cashier = "cajero"
	Manager = "gerente"
)

// pinCost is bcrypt's work factor: PINs are short, so verifying them must be slow.
const pinCost = 10

// Collaborator is a merchant's staff user (cashier or manager).
type Collaborator struct {
	MerchantID  int64
	ID          int64
	Name        string
	Number      string
	Branch      string
	Type        string  // Cashier or Manager
	Status      string  // active or archived
	CardScope   []int64 // card ids it may operate; nil = every card
	WalletScope []int64 // wallet ids it may operate; nil = every wallet
	CreatedAt   time.Time
	ArchivedAt  *time.Time
}

// Active reports whether the collaborator may still operate.
func (c Collaborator) Active() bool { return c.Status == "active" }

// MayUseCard reports whether the collaborator is active and permitted on the card.
func (c Collaborator) MayUseCard(cardID int64) bool {
	return c.Active() && (c.CardScope == nil || slices.Contains(c.CardScope, cardID))
}

// MayUseWallet reports whether the collaborator is active and permitted on the wallet.
func (c Collaborator) MayUseWallet(walletID int64) bool {
	return c.Active() && (c.WalletScope == nil || slices.Contains(c.WalletScope, walletID))
}

// CollaboratorInput creates a collaborator. PIN is the seeds' "password":
// the till PIN, unique among the merchant's active collaborators.
type CollaboratorInput struct {
	Name, Number, Branch, Type, PIN string
}

const collaboratorColumns = `merchant_id, id, name, number, branch, type, status, card_scope, wallet_scope, created_at, archived_at`

func scanCollaborator(row pgx.Row) (Collaborator, error) {
	var c Collaborator
	err := row.Scan(&c.MerchantID, &c.ID, &c.Name, &c.Number, &c.Branch, &c.Type, &c.Status, &c.CardScope,
		&c.WalletScope, &c.CreatedAt, &c.ArchivedAt)
	return c, interpretError(err)
}

func (in CollaboratorInput) check() (CollaboratorInput, error) {
	if in.Type != Cashier && in.Type != Manager {
		return in, invalid("type", "must be cajero or gerente")
	}
	if err := checkName("name", in.Name); err != nil {
		return in, err
	}
	if err := checkName("branch", in.Branch); err != nil {
		return in, err
	}
	number, err := checkPhone("number", in.Number)
	if err != nil {
		return in, err
	}
	in.Number = number
	// bcrypt reads at most 72 bytes; a longer PIN would be silently cut.
	if len(in.PIN) < 4 || len(in.PIN) > 72 {
		return in, invalid("pin", "must be 4 to 72 characters")
	}
	return in, nil
}

// CreateCollaborator adds an active collaborator. Invalid input is a
// *FieldError; an active namesake (case-insensitive) is ErrDuplicateName and
// an active collaborator with the same PIN is ErrDuplicatePIN.
func (s *Store) CreateCollaborator(ctx context.Context, merchantID int64, in CollaboratorInput) (Collaborator, error) {
	in, err := in.check()
	if err != nil {
		return Collaborator{}, err
	}
	// bcrypt is slow on purpose: run it before the transaction holds locks.
	hash, err := bcrypt.GenerateFromPassword([]byte(in.PIN), pinCost)
	if err != nil {
		return Collaborator{}, err
	}
	var c Collaborator
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		key, err := pinKey(ctx, tx, merchantID)
		if err != nil {
			return err
		}
		c, err = scanCollaborator(tx.QueryRow(ctx, `INSERT INTO collaborators (merchant_id, name, number, branch, type,
			pin_hash, pin_hmac) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING `+collaboratorColumns,
			merchantID, in.Name, in.Number, in.Branch, in.Type, string(hash), pinMAC(key, in.PIN)))
		return err
	})
	if errors.Is(err, ErrConflict) {
		// Name the rule: the driver's constraint name is lost by interpretError,
		// so ask which one the active collaborators already hold.
		return Collaborator{}, s.whichDuplicate(ctx, merchantID, in)
	}
	return c, err
}

// whichDuplicate tells a name clash from a PIN clash after an insert failed.
func (s *Store) whichDuplicate(ctx context.Context, merchantID int64, in CollaboratorInput) error {
	var sameName bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM collaborators WHERE merchant_id = $1
		AND status = 'active' AND lower(name) = lower($2))`, merchantID, in.Name).Scan(&sameName)
	if err != nil {
		return interpretError(err)
	}
	if sameName {
		return ErrDuplicateName
	}
	return ErrDuplicatePIN
}

// pinKey returns the merchant's PIN HMAC key, creating it for merchants made
// before the key existed. An unknown merchant is ErrNotFound.
func pinKey(ctx context.Context, tx pgx.Tx, merchantID int64) ([]byte, error) {
	var key []byte
	err := tx.QueryRow(ctx, `UPDATE merchants SET pin_key = coalesce(pin_key, $2) WHERE id = $1 RETURNING pin_key`,
		merchantID, secret.Bytes(secret.Size)).Scan(&key)
	return key, interpretError(err)
}

func pinMAC(key []byte, pin string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(pin))
	return m.Sum(nil)
}

// Collaborators lists all the merchant's collaborators, active and archived, oldest first.
func (s *Store) Collaborators(ctx context.Context, merchantID int64) ([]Collaborator, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+collaboratorColumns+` FROM collaborators WHERE merchant_id = $1 ORDER BY id`,
		merchantID)
	if err != nil {
		return nil, interpretError(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Collaborator, error) { return scanCollaborator(r) })
	return out, interpretError(err)
}

// Collaborator returns one of the merchant's collaborators (active or
// archived); another merchant's id is ErrNotFound.
func (s *Store) Collaborator(ctx context.Context, merchantID, id int64) (Collaborator, error) {
	return scanCollaborator(s.pool.QueryRow(ctx, `SELECT `+collaboratorColumns+` FROM collaborators
		WHERE merchant_id = $1 AND id = $2`, merchantID, id))
}

// ArchiveCollaboratorByNumber archives the merchant's active collaborators
// with that phone number and returns them; none is ErrNotFound and a
// malformed number is a *FieldError on "number".
func (s *Store) ArchiveCollaboratorByNumber(ctx context.Context, merchantID int64, number string) ([]Collaborator, error) {
	number, err := checkPhone("number", number)
	if err != nil {
		return nil, err
	}
	var out []Collaborator
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `UPDATE collaborators SET status = 'archived', archived_at = $3
			WHERE merchant_id = $1 AND number = $2 AND status = 'active' RETURNING `+collaboratorColumns,
			merchantID, number, s.clock.Now())
		if err != nil {
			return interpretError(err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Collaborator, error) { return scanCollaborator(r) })
		if err != nil {
			return interpretError(err)
		}
		if len(out) == 0 {
			return ErrNotFound
		}
		return nil
	})
	return out, err
}

// SetCollaboratorPermissions limits a collaborator to the given cards and
// wallets, by key; nil means every program of that kind. An unknown
// collaborator is ErrNotFound; an unknown key is a *MissingError naming it.
func (s *Store) SetCollaboratorPermissions(ctx context.Context, merchantID, collaboratorID int64, cardKeys, walletKeys *[]string) (Collaborator, error) {
	var c Collaborator
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM collaborators WHERE merchant_id = $1 AND id = $2 FOR UPDATE`,
			merchantID, collaboratorID).Scan(&one); err != nil {
			return interpretError(err)
		}
		cards, err := programIDs(ctx, tx, "loyalty_cards", "loyalty_key", merchantID, cardKeys)
		if err != nil {
			return err
		}
		wallets, err := programIDs(ctx, tx, "wallets", "wallet_key", merchantID, walletKeys)
		if err != nil {
			return err
		}
		c, err = scanCollaborator(tx.QueryRow(ctx, `UPDATE collaborators SET card_scope = $3, wallet_scope = $4
			WHERE merchant_id = $1 AND id = $2 RETURNING `+collaboratorColumns, merchantID, collaboratorID, cards, wallets))
		return err
	})
	return c, err
}

// programIDs resolves program keys to ids; nil stays nil (every program).
func programIDs(ctx context.Context, tx pgx.Tx, table, what string, merchantID int64, keys *[]string) ([]int64, error) {
	if keys == nil {
		return nil, nil
	}
	ids := []int64{}
	for _, k := range *keys {
		var id int64
		err := tx.QueryRow(ctx, `SELECT id FROM `+table+` WHERE merchant_id = $1 AND key = $2`, merchantID, k).Scan(&id)
		if errors.Is(interpretError(err), ErrNotFound) {
			return nil, &MissingError{What: what, Key: strings.TrimSpace(k)}
		}
		if err != nil {
			return nil, interpretError(err)
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}
