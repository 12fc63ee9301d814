// Package adminview renders provisioning objects as the admin API and the
// admin CLI both show them, so the two never drift apart. Secrets are never
// part of a view: the callers that just created one add it to their answer.
package adminview

import (
	"encoding/json"
	"time"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// TimeLayout is the shared response time format, in the merchant's zone.
const TimeLayout = "2006-01-02 15:04:05"

// Time formats t in the merchant's time zone.
func Time(t time.Time, m store.Merchant) string { return t.In(m.Location()).Format(TimeLayout) }

func timePtr(t *time.Time, m store.Merchant) *string {
	if t == nil {
		return nil
	}
	s := Time(*t, m)
	return &s
}

// amount renders an amount as an exact JSON number.
func amount(a ledger.Amount) json.RawMessage { return json.RawMessage(a.NumberText()) }

// ClientURL is the customer's page of a card or wallet. Keys of cards and
// wallets never collide (their prefixes differ), so one path serves both
// and the link stays stable.
func ClientURL(publicURL, key string) string { return publicURL + "/c/" + key }

// RedeemURL is the cashier's page of a card or wallet.
func RedeemURL(publicURL, key string) string { return publicURL + "/r/" + key }

// Merchant is a merchant with its settings, flat as PATCH takes them.
type Merchant struct {
	ID                      int64     `json:"id"`
	Name                    string    `json:"name"`
	Timezone                string    `json:"timezone"`
	ContactQuota            *int64    `json:"contact_quota"`
	OperationQuota          *int64    `json:"operation_quota"`
	MessageCredit           *int64    `json:"message_credit"`
	AllowedLadas            []string  `json:"allowed_ladas"`
	LandlinePrefixes        []string  `json:"landline_prefixes"`
	AllowNegativeOnReversal bool      `json:"allow_negative_on_reversal"`
	Messaging               Messaging `json:"messaging"`
	CreatedAt               string    `json:"created_at"`
}

// Messaging is where a merchant's customer messages go.
type Messaging struct {
	Channel string  `json:"channel"`
	URL     *string `json:"url"`
}

// MerchantOf renders a merchant.
func MerchantOf(m store.Merchant) Merchant {
	st := m.Settings
	v := Merchant{ID: m.ID, Name: m.Name, Timezone: m.Timezone, ContactQuota: st.ContactQuota,
		OperationQuota: st.OperationQuota, MessageCredit: st.MessageCredit, AllowedLadas: st.AllowedLadas,
		LandlinePrefixes: st.LandlinePrefixes, AllowNegativeOnReversal: st.AllowNegativeOnReversal,
		Messaging: Messaging{Channel: st.MessagingChannel}, CreatedAt: Time(m.CreatedAt, m)}
	if st.MessagingURL != "" {
		v.Messaging.URL = &st.MessagingURL
	}
	if v.AllowedLadas == nil {
		v.AllowedLadas = []string{}
	}
	if v.LandlinePrefixes == nil {
		v.LandlinePrefixes = []string{}
	}
	return v
}

// Credential lists an issued credential without its secret.
type Credential struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name,omitempty"`
	Prefix    string  `json:"prefix,omitempty"`
	CreatedAt string  `json:"created_at"`
	RevokedAt *string `json:"revoked_at"`
}

// CredentialsOf renders a list of credentials.
func CredentialsOf(cs []store.Credential, m store.Merchant) []Credential {
	out := make([]Credential, len(cs))
	for i, c := range cs {
		out[i] = Credential{ID: c.ID, Name: c.Name, Prefix: c.Prefix, CreatedAt: Time(c.CreatedAt, m),
			RevokedAt: timePtr(c.RevokedAt, m)}
	}
	return out
}
