package http

import "github.com/puntos/puntos/internal/store"

var adminWalletFields = []string{"name", "cashback_percent", "ticket_required", "birthdate_required", "points_ttl_days",
	"webhook_url", "welcome_message", "sale_message", "enabled"}

// adminWalletInput reads a wallet body; webhook_url takes null to clear.
func adminWalletInput(b adminBody) (store.WalletInput, error) {
	var in store.WalletInput
	var err error
	if b.has("name") {
		if in.Name, err = adminRequired[string](b, "name", "a non-empty string"); err != nil {
			return in, err
		}
		if in.Name == "" {
			return in, adminWrongType("name", "a non-empty string")
		}
	}
	if b.has("cashback_percent") {
		if b.isNull("cashback_percent") {
			return in, adminWrongType("cashback_percent", "a percentage such as 5 or 5.25")
		}
		a, err := adminAmount(b, "cashback_percent")
		if err != nil {
			return in, err
		}
		in.CashbackPercent = &a
	}
	if in.PointsTTLDays, err = adminOptional[int](b, "points_ttl_days", "a whole number of days"); err != nil {
		return in, err
	}
	for _, f := range []struct {
		name string
		dst  **bool
	}{{"ticket_required", &in.TicketRequired}, {"birthdate_required", &in.BirthdateRequired},
		{"welcome_message", &in.WelcomeMessage}, {"sale_message", &in.SaleMessage}, {"enabled", &in.Enabled}} {
		if *f.dst, err = adminOptional[bool](b, f.name, "true or false"); err != nil {
			return in, err
		}
	}
	in.WebhookURL, err = adminNullableString(b, "webhook_url")
	return in, err
}
