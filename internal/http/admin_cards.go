package http

import "github.com/puntos/puntos/internal/store"

var adminCardFields = []string{"name", "stamps_required", "ticket_required", "default_amount", "birthdate_required",
	"max_stamps_per_day", "webhook_url", "welcome_message", "stamp_message", "custom_js", "enabled"}

// adminCardInput reads a card body; default_amount and webhook_url take null to clear.
func adminCardInput(b adminBody) (store.CardInput, error) {
	var in store.CardInput
	var err error
	if b.has("name") {
		if in.Name, err = adminRequired[string](b, "name", "a non-empty string"); err != nil {
			return in, err
		}
		if in.Name == "" {
			return in, adminWrongType("name", "a non-empty string")
		}
	}
	if in.StampsRequired, err = adminOptional[int](b, "stamps_required", "a whole number"); err != nil {
		return in, err
	}
	if in.MaxStampsPerDay, err = adminOptional[int](b, "max_stamps_per_day", "a whole number"); err != nil {
		return in, err
	}
	if in.CustomJS, err = adminOptional[string](b, "custom_js", "a string"); err != nil {
		return in, err
	}
	for _, f := range []struct {
		name string
		dst  **bool
	}{{"ticket_required", &in.TicketRequired}, {"birthdate_required", &in.BirthdateRequired},
		{"welcome_message", &in.WelcomeMessage}, {"stamp_message", &in.StampMessage}, {"enabled", &in.Enabled}} {
		if *f.dst, err = adminOptional[bool](b, f.name, "true or false"); err != nil {
			return in, err
		}
	}
	if in.DefaultAmount, err = adminNullableAmount(b, "default_amount"); err != nil {
		return in, err
	}
	in.WebhookURL, err = adminNullableString(b, "webhook_url")
	return in, err
}
