package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/secret"
)

// Program key prefixes: keys are public identifiers that POS terminals send
// in every request, so they are random (128 bits) rather than sequential.
const (
	CardKeyPrefix   = "lk_"
	WalletKeyPrefix = "wk_"
	programKeyBytes = 16
)

// Card is a stamp card program (seed 000).
type Card struct {
	MerchantID        int64
	ID                int64
	Key               string
	Name              string
	StampsRequired    int
	TicketRequired    bool
	DefaultAmount     *ledger.Amount // nil = the sale must carry an amount
	BirthdateRequired bool
	MaxStampsPerDay   int    // 0 = no limit
	WebhookURL        string // "" = no webhook
	// WebhookSecret signs this card's webhooks. The admin API shows it once,
	// at creation; it is kept as is because signing needs it.
	WebhookSecret  string
	WelcomeMessage bool
	StampMessage   bool
	CustomJS       string
	Enabled        bool
	CreatedAt      time.Time
}

// CardInput creates or changes a card. On create, Name is required and nil
// fields take the defaults (10 stamps, enabled, everything else off); on
// update, Name "" and nil fields are left alone. DefaultAmount 0 and
// WebhookURL "" clear those settings.
type CardInput struct {
	Name              string
	StampsRequired    *int
	TicketRequired    *bool
	DefaultAmount     *ledger.Amount
	BirthdateRequired *bool
	MaxStampsPerDay   *int
	WebhookURL        *string
	WelcomeMessage    *bool
	StampMessage      *bool
	CustomJS          *string
	Enabled           *bool
}

// apply validates in and writes it onto c.
func (in CardInput) apply(c *Card) error {
	if in.Name != "" {
		if err := checkName("name", in.Name); err != nil {
			return err
		}
		c.Name = in.Name
	}
	if in.StampsRequired != nil {
		if *in.StampsRequired < 1 || *in.StampsRequired > 1000 {
			return invalid("stamps_required", "must be a whole number from 1 to 1000")
		}
		c.StampsRequired = *in.StampsRequired
	}
	if in.DefaultAmount != nil {
		switch a := *in.DefaultAmount; {
		case a < 0 || a > ledger.MaxAmount:
			return invalid("default_amount", "must be null or an amount from 0.01 to 1000000000")
		case a == 0:
			c.DefaultAmount = nil
		default:
			c.DefaultAmount = &a
		}
	}
	if in.MaxStampsPerDay != nil {
		if *in.MaxStampsPerDay < 0 || *in.MaxStampsPerDay > 1000 {
			return invalid("max_stamps_per_day", "must be a whole number from 0 (no limit) to 1000")
		}
		c.MaxStampsPerDay = *in.MaxStampsPerDay
	}
	if in.WebhookURL != nil {
		if err := checkHTTPURL("webhook_url", *in.WebhookURL); err != nil {
			return err
		}
		c.WebhookURL = *in.WebhookURL
	}
	if in.CustomJS != nil {
		if len(*in.CustomJS) > 64<<10 {
			return invalid("custom_js", "must be at most 64 KiB")
		}
		c.CustomJS = *in.CustomJS
	}
	setBool(&c.TicketRequired, in.TicketRequired)
	setBool(&c.BirthdateRequired, in.BirthdateRequired)
	setBool(&c.WelcomeMessage, in.WelcomeMessage)
	setBool(&c.StampMessage, in.StampMessage)
	setBool(&c.Enabled, in.Enabled)
	return nil
}

func setBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}

const cardColumns = `merchant_id, id, key, name, stamps_required, ticket_required, default_amount, birthdate_required,
	max_stamps_per_day, coalesce(webhook_url, ''), webhook_secret, welcome_message, stamp_message, custom_js, enabled, created_at`

func scanCard(row pgx.Row) (Card, error) {
	var c Card
	err := row.Scan(&c.MerchantID, &c.ID, &c.Key, &c.Name, &c.StampsRequired, &c.TicketRequired, &c.DefaultAmount,
		&c.BirthdateRequired, &c.MaxStampsPerDay, &c.WebhookURL, &c.WebhookSecret, &c.WelcomeMessage, &c.StampMessage,
		&c.CustomJS, &c.Enabled, &c.CreatedAt)
	return c, interpretError(err)
}

// CreateCard adds a stamp card with a fresh random key and webhook secret.
func (s *Store) CreateCard(ctx context.Context, merchantID int64, in CardInput) (Card, error) {
	if in.Name == "" {
		return Card{}, invalid("name", "must not be empty")
	}
	c := Card{StampsRequired: 10, Enabled: true}
	if err := in.apply(&c); err != nil {
		return Card{}, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := merchantExists(ctx, tx, merchantID); err != nil {
			return err
		}
		var err error
		c, err = scanCard(tx.QueryRow(ctx, `INSERT INTO loyalty_cards (merchant_id, key, name, stamps_required,
			ticket_required, default_amount, birthdate_required, max_stamps_per_day, webhook_url, webhook_secret,
			welcome_message, stamp_message, custom_js, enabled)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, nullif($9, ''), $10, $11, $12, $13, $14) RETURNING `+cardColumns,
			merchantID, secret.Key(CardKeyPrefix, programKeyBytes), c.Name, c.StampsRequired, c.TicketRequired,
			c.DefaultAmount, c.BirthdateRequired, c.MaxStampsPerDay, c.WebhookURL, newWebhookSecret(),
			c.WelcomeMessage, c.StampMessage, c.CustomJS, c.Enabled))
		return err
	})
	return c, err
}

// UpdateCard changes the given fields of a card and returns it as it now is.
func (s *Store) UpdateCard(ctx context.Context, merchantID int64, key string, in CardInput) (Card, error) {
	var c Card
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		c, err = scanCard(tx.QueryRow(ctx, `SELECT `+cardColumns+` FROM loyalty_cards
			WHERE merchant_id = $1 AND key = $2 FOR UPDATE`, merchantID, key))
		if err != nil {
			return err
		}
		if err := in.apply(&c); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE loyalty_cards SET name = $3, stamps_required = $4, ticket_required = $5,
			default_amount = $6, birthdate_required = $7, max_stamps_per_day = $8, webhook_url = nullif($9, ''),
			welcome_message = $10, stamp_message = $11, custom_js = $12, enabled = $13
			WHERE merchant_id = $1 AND id = $2`, merchantID, c.ID, c.Name, c.StampsRequired, c.TicketRequired,
			c.DefaultAmount, c.BirthdateRequired, c.MaxStampsPerDay, c.WebhookURL, c.WelcomeMessage, c.StampMessage,
			c.CustomJS, c.Enabled)
		return interpretError(err)
	})
	return c, err
}

// Card returns one of the merchant's cards by key; another merchant's key
// is ErrNotFound, exactly like an unknown one.
func (s *Store) Card(ctx context.Context, merchantID int64, key string) (Card, error) {
	return scanCard(s.pool.QueryRow(ctx, `SELECT `+cardColumns+` FROM loyalty_cards WHERE merchant_id = $1 AND key = $2`,
		merchantID, key))
}

// Cards lists the merchant's cards, oldest first.
func (s *Store) Cards(ctx context.Context, merchantID int64) ([]Card, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+cardColumns+` FROM loyalty_cards WHERE merchant_id = $1 ORDER BY id`, merchantID)
	if err != nil {
		return nil, interpretError(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Card, error) { return scanCard(r) })
	return out, interpretError(err)
}

func newWebhookSecret() string {
	plain, _ := secret.New(WebhookSecretPrefix)
	return plain
}
