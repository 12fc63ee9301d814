package store

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// ContactAdd is a /loyalty/contact/add or /wallet/contact/add request that
// passed its format checks.
type ContactAdd struct {
	Program        Program
	Key            string // loyalty_key or wallet_key
	Phone          string // ten digits
	Name           string
	CollaboratorID int64      // 0 when usertool_id is not a number: never the merchant's
	Birthdate      *time.Time // nil when not given
	BadBirthdate   bool       // given but not a date
}

// contactAddRead is everything the checks of a contact add need, read in
// one round trip.
type contactAddRead struct {
	programID       *int64
	programName     string
	enabled         bool
	birthRequired   bool
	welcome         bool
	webhookURL      string
	collabFound     bool
	collabAllowed   bool
	contactID       *int64
	contactDisabled bool
	blacklisted     bool
	enrolled        bool
}

const contactAddReadSQL = `
SELECT p.id, coalesce(p.name, ''), coalesce(p.enabled, false), coalesce(p.birthdate_required, false),
       coalesce(p.welcome_message, false), coalesce(p.webhook_url, ''),
       col.id IS NOT NULL,
       coalesce(col.status = 'active' AND (col.{scope} IS NULL OR p.id = ANY (col.{scope})), false),
       ct.id, coalesce(ct.disabled, false),
       EXISTS (SELECT 1 FROM blacklist b WHERE b.merchant_id = $1 AND b.phone = $3),
       EXISTS (SELECT 1 FROM {members} pm WHERE pm.merchant_id = $1 AND pm.{fk} = p.id AND pm.contact_id = ct.id)
FROM (SELECT 1) one
LEFT JOIN {table} p ON p.merchant_id = $1 AND p.key = $2
LEFT JOIN collaborators col ON col.merchant_id = $1 AND col.id = $4
LEFT JOIN contacts ct ON ct.merchant_id = $1 AND ct.phone = $3`

// AddContact enrolls a phone in a card or wallet, adding it to the
// merchant's agenda when new, and queues the welcome message and the
// registered_user webhook in the same transaction. Checks run in the
// endpoint's order; the first failure is returned and nothing is written:
// ErrProgramNotFound, ErrProgramDisabled, ErrCollaboratorNotFound (also for
// an archived or not permitted collaborator), ErrLadaNotSupported,
// ErrLandline, ErrBirthdate, ErrContactDisabled (cards only, as the seeds'
// tables), ErrAlreadyEnrolled, ErrContactQuota, ErrNoMessagingChannel,
// ErrMessageCredit.
func (s *Store) AddContact(ctx context.Context, m Merchant, in ContactAdd) error {
	now := s.clock.Now()
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var r contactAddRead
		err := tx.QueryRow(ctx, in.Program.sql(contactAddReadSQL), m.ID, in.Key, in.Phone, in.CollaboratorID).Scan(
			&r.programID, &r.programName, &r.enabled, &r.birthRequired, &r.welcome, &r.webhookURL,
			&r.collabFound, &r.collabAllowed, &r.contactID, &r.contactDisabled, &r.blacklisted, &r.enrolled)
		if err != nil {
			return interpretError(err)
		}
		if err := r.check(m, in, now); err != nil {
			return err
		}
		if r.contactID == nil && m.Settings.ContactQuota != nil {
			// Lock the merchant row only when a quota is set, so that two
			// tills cannot both take the last place.
			var n int64
			err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM contacts WHERE merchant_id = $1)
				FROM merchants WHERE id = $1 FOR UPDATE`, m.ID).Scan(&n)
			if err != nil {
				return interpretError(err)
			}
			if n >= *m.Settings.ContactQuota {
				return ErrContactQuota
			}
		}
		if r.welcome {
			if err := s.chargeMessage(ctx, tx, m); err != nil {
				return err
			}
		}
		var c hookContact
		err = tx.QueryRow(ctx, `INSERT INTO contacts (merchant_id, phone, name, birthdate) VALUES ($1, $2, $3, $4)
			ON CONFLICT (merchant_id, phone) DO UPDATE SET birthdate = coalesce(contacts.birthdate, EXCLUDED.birthdate)
			RETURNING `+hookContactColumns, m.ID, in.Phone, in.Name, in.Birthdate).Scan(c.dest()...)
		if err != nil {
			return interpretError(err)
		}
		tag, err := tx.Exec(ctx, in.Program.sql(`INSERT INTO {members} (merchant_id, {fk}, contact_id, collaborator_id)
			VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`), m.ID, *r.programID, c.id, in.CollaboratorID)
		if err != nil {
			return interpretError(err)
		}
		if tag.RowsAffected() == 0 {
			return ErrAlreadyEnrolled // enrolled by a concurrent request since the read
		}
		ev := outboxEvent{program: in.Program, programID: *r.programID, now: now}
		if r.welcome {
			link, err := customerLink(ctx, tx, m.ID, c.id, in.Key)
			if err != nil {
				return err
			}
			if err := enqueueMessage(ctx, tx, m, ev, "welcome", c.phone, welcomeText(c.name, r.programName, link)); err != nil {
				return err
			}
		}
		if r.webhookURL != "" {
			if err := enqueueWebhook(ctx, tx, m, ev, r.webhookURL, "registered_user", registeredUser(c, r.programName, localTime(now, m))); err != nil {
				return err
			}
		}
		return nil
	})
}

// check applies the contact add rules that need no further reads.
func (r contactAddRead) check(m Merchant, in ContactAdd, now time.Time) error {
	switch {
	case r.programID == nil:
		return ErrProgramNotFound
	case !r.enabled:
		return ErrProgramDisabled
	case !r.collabFound || !r.collabAllowed:
		return ErrCollaboratorNotFound
	}
	if err := checkLada(m.Settings, in.Phone); err != nil {
		return err
	}
	if in.BadBirthdate || (in.Birthdate == nil && r.birthRequired) ||
		(in.Birthdate != nil && (!in.Birthdate.Before(merchantDay(now, m)) || in.Birthdate.Year() < 1900)) {
		return ErrBirthdate
	}
	switch {
	case in.Program == ProgramCard && (r.blacklisted || r.contactDisabled):
		return ErrContactDisabled
	case r.enrolled:
		return ErrAlreadyEnrolled
	}
	return nil
}

// checkLada refuses numbers no Mexican lada starts with (0, 1), numbers
// outside the merchant's allowed ladas, and the merchant's landline prefixes.
func checkLada(st MerchantSettings, phone string) error {
	if phone[0] == '0' || phone[0] == '1' {
		return ErrLadaNotSupported
	}
	if len(st.AllowedLadas) > 0 {
		ok := false
		for _, l := range st.AllowedLadas {
			ok = ok || strings.HasPrefix(phone, l)
		}
		if !ok {
			return ErrLadaNotSupported
		}
	}
	for _, p := range st.LandlinePrefixes {
		if strings.HasPrefix(phone, p) {
			return ErrLandline
		}
	}
	return nil
}

// chargeMessage takes one message from the merchant's credit when a credit
// is set; unlimited merchants touch no shared row.
func (s *Store) chargeMessage(ctx context.Context, tx pgx.Tx, m Merchant) error {
	if m.Settings.MessagingChannel == "none" {
		return ErrNoMessagingChannel
	}
	if m.Settings.MessageCredit == nil {
		return nil
	}
	tag, err := tx.Exec(ctx, `UPDATE merchants SET message_credit = message_credit - 1
		WHERE id = $1 AND message_credit IS NOT NULL AND message_credit >= 1`, m.ID)
	if err != nil {
		return interpretError(err)
	}
	if tag.RowsAffected() == 0 {
		var credit *int64
		if err := tx.QueryRow(ctx, `SELECT message_credit FROM merchants WHERE id = $1`, m.ID).Scan(&credit); err != nil {
			return interpretError(err)
		}
		if credit != nil {
			return ErrMessageCredit
		}
		// The operator lifted the limit since the merchant was read.
	}
	return nil
}

// hookContact is a contact as the registered_user webhook shows it.
type hookContact struct {
	id                                            int64
	phone, name, email, city, state, cp, cf1, cf2 string
	birthdate                                     *time.Time
}

const hookContactColumns = `id, phone, name, email, city, state, cp, custom_field_1, custom_field_2, birthdate`

func (c *hookContact) dest() []any {
	return []any{&c.id, &c.phone, &c.name, &c.email, &c.city, &c.state, &c.cp, &c.cf1, &c.cf2, &c.birthdate}
}
