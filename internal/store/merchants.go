package store

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/secret"
)

// DefaultTimezone is the merchants' time zone unless they choose another.
const DefaultTimezone = "America/Mexico_City"

// Merchant is one tenant: everything else belongs to exactly one merchant.
type Merchant struct {
	ID        int64
	Name      string
	Timezone  string
	Settings  MerchantSettings
	CreatedAt time.Time
}

// Location is the merchant's time zone; the zone was validated when it was
// stored, so a failure here can only mean a machine without tzdata, and UTC
// is then the least surprising fallback.
func (m Merchant) Location() *time.Location { return zone(m.Timezone) }

// zone loads a time zone once: time.LoadLocation reads and parses the
// zoneinfo file on every call, and every sale needs its merchant's day. A
// zone the machine lacks is UTC.
func zone(name string) *time.Location {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = time.UTC
	}
	zones.Store(name, loc)
	return loc
}

var zones sync.Map // time zone name → *time.Location

// MerchantSettings are the limits and switches an operator sets per merchant.
type MerchantSettings struct {
	ContactQuota            *int64   // nil = unlimited
	OperationQuota          *int64   // nil = unlimited
	MessageCredit           *int64   // nil = unlimited
	AllowedLadas            []string // empty = every valid lada
	LandlinePrefixes        []string
	AllowNegativeOnReversal bool
	MessagingChannel        string // log, http or none
	MessagingURL            string // the endpoint of the http channel
}

// Opt is one field of a patch: Set says whether the caller gave it at all,
// so that "set to null" and "leave alone" stay different.
type Opt[T any] struct {
	Set   bool
	Value T
}

// Some is a patch field that is given.
func Some[T any](v T) Opt[T] { return Opt[T]{Set: true, Value: v} }

// MerchantPatch changes only the fields that are Set.
type MerchantPatch struct {
	Name                    Opt[string]
	Timezone                Opt[string]
	ContactQuota            Opt[*int64]
	OperationQuota          Opt[*int64]
	MessageCredit           Opt[*int64]
	AllowedLadas            Opt[[]string]
	LandlinePrefixes        Opt[[]string]
	AllowNegativeOnReversal Opt[bool]
	MessagingChannel        Opt[string]
	MessagingURL            Opt[string]
}

const merchantColumns = `id, name, timezone, contact_quota, operation_quota, message_credit, allowed_ladas,
	landline_prefixes, allow_negative_on_reversal, messaging_channel, coalesce(messaging_url, ''), created_at`

func scanMerchant(row pgx.Row) (Merchant, error) {
	var m Merchant
	st := &m.Settings
	err := row.Scan(&m.ID, &m.Name, &m.Timezone, &st.ContactQuota, &st.OperationQuota, &st.MessageCredit,
		&st.AllowedLadas, &st.LandlinePrefixes, &st.AllowNegativeOnReversal, &st.MessagingChannel,
		&st.MessagingURL, &m.CreatedAt)
	return m, interpretError(err)
}

// CreateMerchant adds a merchant; timezone "" means DefaultTimezone. A name
// that is blank or a zone unknown to the IANA database is a *FieldError.
func (s *Store) CreateMerchant(ctx context.Context, name, timezone string) (Merchant, error) {
	if timezone == "" {
		timezone = DefaultTimezone
	}
	if err := checkName("name", name); err != nil {
		return Merchant{}, err
	}
	if err := checkTimezone(timezone); err != nil {
		return Merchant{}, err
	}
	var m Merchant
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		m, err = scanMerchant(tx.QueryRow(ctx, `INSERT INTO merchants (name, timezone, pin_key) VALUES ($1, $2, $3)
			RETURNING `+merchantColumns, name, timezone, secret.Bytes(secret.Size)))
		return err
	})
	return m, err
}

// Merchant returns one merchant with its settings, or ErrNotFound.
func (s *Store) Merchant(ctx context.Context, id int64) (Merchant, error) {
	return scanMerchant(s.pool.QueryRow(ctx, `SELECT `+merchantColumns+` FROM merchants WHERE id = $1`, id))
}

// Merchants lists every merchant, oldest first.
func (s *Store) Merchants(ctx context.Context) ([]Merchant, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+merchantColumns+` FROM merchants ORDER BY id`)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	ms := []Merchant{}
	for rows.Next() {
		m, err := scanMerchant(rows)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	return ms, interpretError(rows.Err())
}

// UpdateMerchant applies a patch and returns the merchant as it now is.
// Values are checked first (a *FieldError names the first bad one) and
// nothing is written when any is refused.
func (s *Store) UpdateMerchant(ctx context.Context, id int64, p MerchantPatch) (Merchant, error) {
	defer s.apikeys.clear() // tills see the new settings at once
	defer s.zones.clear()
	var m Merchant
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		m, err = scanMerchant(tx.QueryRow(ctx, `SELECT `+merchantColumns+` FROM merchants WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		if err := p.apply(&m); err != nil {
			return err
		}
		st := m.Settings
		var url *string
		if st.MessagingURL != "" {
			url = &st.MessagingURL
		}
		_, err = tx.Exec(ctx, `UPDATE merchants SET name = $2, timezone = $3, contact_quota = $4, operation_quota = $5,
			message_credit = $6, allowed_ladas = $7, landline_prefixes = $8, allow_negative_on_reversal = $9,
			messaging_channel = $10, messaging_url = $11 WHERE id = $1`,
			id, m.Name, m.Timezone, st.ContactQuota, st.OperationQuota, st.MessageCredit, st.AllowedLadas,
			st.LandlinePrefixes, st.AllowNegativeOnReversal, st.MessagingChannel, url)
		return interpretError(err)
	})
	return m, err
}

// apply validates the patch and writes it onto m.
func (p MerchantPatch) apply(m *Merchant) error {
	st := &m.Settings
	if p.Name.Set {
		if err := checkName("name", p.Name.Value); err != nil {
			return err
		}
		m.Name = p.Name.Value
	}
	if p.Timezone.Set {
		if err := checkTimezone(p.Timezone.Value); err != nil {
			return err
		}
		m.Timezone = p.Timezone.Value
	}
	for _, q := range []struct {
		field string
		opt   Opt[*int64]
		dst   **int64
	}{
		{"contact_quota", p.ContactQuota, &st.ContactQuota},
		{"operation_quota", p.OperationQuota, &st.OperationQuota},
		{"message_credit", p.MessageCredit, &st.MessageCredit},
	} {
		if !q.opt.Set {
			continue
		}
		if q.opt.Value != nil && *q.opt.Value < 0 {
			return invalid(q.field, "must be null (unlimited) or a whole number of at least 0")
		}
		*q.dst = q.opt.Value
	}
	if p.AllowedLadas.Set {
		ladas, err := digitList("allowed_ladas", p.AllowedLadas.Value, 2, 3, true)
		if err != nil {
			return err
		}
		st.AllowedLadas = ladas
	}
	if p.LandlinePrefixes.Set {
		prefixes, err := digitList("landline_prefixes", p.LandlinePrefixes.Value, 1, 10, false)
		if err != nil {
			return err
		}
		st.LandlinePrefixes = prefixes
	}
	if p.AllowNegativeOnReversal.Set {
		st.AllowNegativeOnReversal = p.AllowNegativeOnReversal.Value
	}
	if p.MessagingChannel.Set {
		switch p.MessagingChannel.Value {
		case "log", "http", "none":
			st.MessagingChannel = p.MessagingChannel.Value
		default:
			return invalid("messaging.channel", "must be log, http or none")
		}
	}
	if p.MessagingURL.Set {
		if err := checkHTTPURL("messaging.url", p.MessagingURL.Value); err != nil {
			return err
		}
		st.MessagingURL = p.MessagingURL.Value
	}
	if st.MessagingChannel == "http" && st.MessagingURL == "" {
		return invalid("messaging.url", "is required when the channel is http")
	}
	return nil
}

func checkTimezone(tz string) error {
	// time.LoadLocation also accepts "Local" and "", which name no zone.
	if tz == "" || tz == "Local" || strings.ContainsAny(tz, " \\") {
		return invalid("timezone", "%q is not an IANA time zone such as America/Mexico_City", tz)
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return invalid("timezone", "%q is not an IANA time zone such as America/Mexico_City", tz)
	}
	return nil
}

// digitList checks a list of digit strings of lo..hi digits (a lada never
// starts with 0 or 1, like the numbers it prefixes) and drops duplicates.
func digitList(field string, in []string, lo, hi int, lada bool) ([]string, error) {
	out := []string{}
	seen := map[string]bool{}
	for _, v := range in {
		if len(v) < lo || len(v) > hi || strings.Trim(v, "0123456789") != "" || (lada && (v[0] == '0' || v[0] == '1')) {
			return nil, invalid(field, "%q is not %d to %d digits", v, lo, hi)
		}
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out, nil
}

// merchantExists answers ErrNotFound for an unknown merchant inside tx, so
// that writes under it fail with the right error before touching anything.
func merchantExists(ctx context.Context, tx pgx.Tx, id int64) error {
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM merchants WHERE id = $1`, id).Scan(&one)
	if errors.Is(interpretError(err), ErrNotFound) {
		return ErrNotFound
	}
	return interpretError(err)
}
