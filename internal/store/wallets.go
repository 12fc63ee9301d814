package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/secret"
)

// Wallet is a cashback wallet program (seed 001).
type Wallet struct {
	MerchantID int64
	ID         int64
	Key        string
	Name       string
	// CashbackPercent is in hundredths of a percent (5.00% = 500), the unit
	// ledger.Percent takes.
	CashbackPercent   ledger.Amount
	TicketRequired    bool
	BirthdateRequired bool
	PointsTTLDays     int    // 0 = points never expire
	WebhookURL        string // "" = no webhook
	// WebhookSecret signs this wallet's webhooks; shown once, at creation.
	WebhookSecret  string
	WelcomeMessage bool
	SaleMessage    bool
	Enabled        bool
	CreatedAt      time.Time
}

// WalletInput creates or changes a wallet, with CardInput's conventions:
// on create Name is required and nil fields take the defaults (0% cashback,
// enabled, no expiry); on update Name "" and nil fields are left alone.
type WalletInput struct {
	Name              string
	CashbackPercent   *ledger.Amount
	TicketRequired    *bool
	BirthdateRequired *bool
	PointsTTLDays     *int
	WebhookURL        *string
	WelcomeMessage    *bool
	SaleMessage       *bool
	Enabled           *bool
}

// maxCashback is 100.00%.
const maxCashback ledger.Amount = 100_00

func (in WalletInput) apply(w *Wallet) error {
	if in.Name != "" {
		if err := checkName("name", in.Name); err != nil {
			return err
		}
		w.Name = in.Name
	}
	if in.CashbackPercent != nil {
		if *in.CashbackPercent < 0 || *in.CashbackPercent > maxCashback {
			return invalid("cashback_percent", "must be a percentage from 0 to 100 with at most two decimals")
		}
		w.CashbackPercent = *in.CashbackPercent
	}
	if in.PointsTTLDays != nil {
		if *in.PointsTTLDays < 0 || *in.PointsTTLDays > 36500 {
			return invalid("points_ttl_days", "must be a whole number of days from 0 (never expire) to 36500")
		}
		w.PointsTTLDays = *in.PointsTTLDays
	}
	if in.WebhookURL != nil {
		if err := checkHTTPURL("webhook_url", *in.WebhookURL); err != nil {
			return err
		}
		w.WebhookURL = *in.WebhookURL
	}
	setBool(&w.TicketRequired, in.TicketRequired)
	setBool(&w.BirthdateRequired, in.BirthdateRequired)
	setBool(&w.WelcomeMessage, in.WelcomeMessage)
	setBool(&w.SaleMessage, in.SaleMessage)
	setBool(&w.Enabled, in.Enabled)
	return nil
}

const walletColumns = `merchant_id, id, key, name, cashback_percent, ticket_required, birthdate_required, points_ttl_days,
	coalesce(webhook_url, ''), webhook_secret, welcome_message, sale_message, enabled, created_at`

func scanWallet(row pgx.Row) (Wallet, error) {
	var w Wallet
	err := row.Scan(&w.MerchantID, &w.ID, &w.Key, &w.Name, &w.CashbackPercent, &w.TicketRequired, &w.BirthdateRequired,
		&w.PointsTTLDays, &w.WebhookURL, &w.WebhookSecret, &w.WelcomeMessage, &w.SaleMessage, &w.Enabled, &w.CreatedAt)
	return w, interpretError(err)
}

// CreateWallet adds a wallet with a fresh random key and webhook secret.
func (s *Store) CreateWallet(ctx context.Context, merchantID int64, in WalletInput) (Wallet, error) {
	if in.Name == "" {
		return Wallet{}, invalid("name", "must not be empty")
	}
	w := Wallet{Enabled: true}
	if err := in.apply(&w); err != nil {
		return Wallet{}, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := merchantExists(ctx, tx, merchantID); err != nil {
			return err
		}
		var err error
		w, err = scanWallet(tx.QueryRow(ctx, `INSERT INTO wallets (merchant_id, key, name, cashback_percent,
			ticket_required, birthdate_required, points_ttl_days, webhook_url, webhook_secret, welcome_message,
			sale_message, enabled)
			VALUES ($1, $2, $3, $4, $5, $6, $7, nullif($8, ''), $9, $10, $11, $12) RETURNING `+walletColumns,
			merchantID, secret.Key(WalletKeyPrefix, programKeyBytes), w.Name, w.CashbackPercent, w.TicketRequired,
			w.BirthdateRequired, w.PointsTTLDays, w.WebhookURL, newWebhookSecret(), w.WelcomeMessage, w.SaleMessage,
			w.Enabled))
		return err
	})
	return w, err
}

// UpdateWallet changes the given fields of a wallet and returns it as it now is.
func (s *Store) UpdateWallet(ctx context.Context, merchantID int64, key string, in WalletInput) (Wallet, error) {
	var w Wallet
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		w, err = scanWallet(tx.QueryRow(ctx, `SELECT `+walletColumns+` FROM wallets
			WHERE merchant_id = $1 AND key = $2 FOR UPDATE`, merchantID, key))
		if err != nil {
			return err
		}
		if err := in.apply(&w); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE wallets SET name = $3, cashback_percent = $4, ticket_required = $5,
			birthdate_required = $6, points_ttl_days = $7, webhook_url = nullif($8, ''), welcome_message = $9,
			sale_message = $10, enabled = $11 WHERE merchant_id = $1 AND id = $2`,
			merchantID, w.ID, w.Name, w.CashbackPercent, w.TicketRequired, w.BirthdateRequired, w.PointsTTLDays,
			w.WebhookURL, w.WelcomeMessage, w.SaleMessage, w.Enabled)
		return interpretError(err)
	})
	return w, err
}

// Wallet returns one of the merchant's wallets by key; another merchant's
// key is ErrNotFound, exactly like an unknown one.
func (s *Store) Wallet(ctx context.Context, merchantID int64, key string) (Wallet, error) {
	return scanWallet(s.pool.QueryRow(ctx, `SELECT `+walletColumns+` FROM wallets WHERE merchant_id = $1 AND key = $2`,
		merchantID, key))
}

// Wallets lists the merchant's wallets, oldest first.
func (s *Store) Wallets(ctx context.Context, merchantID int64) ([]Wallet, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+walletColumns+` FROM wallets WHERE merchant_id = $1 ORDER BY id`, merchantID)
	if err != nil {
		return nil, interpretError(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Wallet, error) { return scanWallet(r) })
	return out, interpretError(err)
}
