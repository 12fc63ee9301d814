package http

import (
	"net/http"

	"github.com/puntos/puntos/internal/adminview"
	"github.com/puntos/puntos/internal/store"
)

func (s *Server) adminCreateMerchant(w http.ResponseWriter, r *http.Request) {
	b, err := readAdminBody(r, "name", "timezone")
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	name, err := adminRequired[string](b, "name", "a non-empty string")
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	tz, err := adminOptional[string](b, "timezone", "an IANA time zone name")
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	if tz == nil {
		tz = new(string)
	}
	m, err := s.store.CreateMerchant(r.Context(), name, *tz)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	noteMerchant(r, m.ID)
	writeJSON(w, http.StatusCreated, adminview.MerchantOf(m))
}

func (s *Server) adminListMerchants(w http.ResponseWriter, r *http.Request) {
	ms, err := s.store.Merchants(r.Context())
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	out := make([]adminview.Merchant, len(ms))
	for i, m := range ms {
		out[i] = adminview.MerchantOf(m)
	}
	writeJSON(w, http.StatusOK, map[string]any{"merchants": out})
}

func (s *Server) adminGetMerchant(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, adminview.MerchantOf(adminMerchantOf(r)))
}

func (s *Server) adminPatchMerchant(w http.ResponseWriter, r *http.Request) {
	b, err := readAdminBody(r, "name", "timezone", "contact_quota", "operation_quota", "message_credit",
		"allowed_ladas", "landline_prefixes", "allow_negative_on_reversal", "messaging")
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	p, err := adminMerchantPatch(b)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	m, err := s.store.UpdateMerchant(r.Context(), adminMerchantOf(r).ID, p)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, adminview.MerchantOf(m))
}

// adminMerchantPatch turns a PATCH body into a store patch; for the quotas,
// null means unlimited.
func adminMerchantPatch(b adminBody) (store.MerchantPatch, error) {
	var p store.MerchantPatch
	for _, f := range []struct {
		name string
		dst  *store.Opt[string]
	}{{"name", &p.Name}, {"timezone", &p.Timezone}} {
		if v, err := adminOptional[string](b, f.name, "a string"); err != nil {
			return p, err
		} else if v != nil {
			*f.dst = store.Some(*v)
		}
	}
	for _, q := range []struct {
		name string
		dst  *store.Opt[*int64]
	}{{"contact_quota", &p.ContactQuota}, {"operation_quota", &p.OperationQuota}, {"message_credit", &p.MessageCredit}} {
		if !b.has(q.name) {
			continue
		}
		var v *int64
		if err := adminField(b, q.name, "null (unlimited) or a whole number", &v); err != nil {
			return p, err
		}
		*q.dst = store.Some(v)
	}
	for _, l := range []struct {
		name string
		dst  *store.Opt[[]string]
	}{{"allowed_ladas", &p.AllowedLadas}, {"landline_prefixes", &p.LandlinePrefixes}} {
		if v, err := adminOptional[[]string](b, l.name, "a list of digit strings"); err != nil {
			return p, err
		} else if v != nil {
			*l.dst = store.Some(*v)
		}
	}
	if v, err := adminOptional[bool](b, "allow_negative_on_reversal", "true or false"); err != nil {
		return p, err
	} else if v != nil {
		p.AllowNegativeOnReversal = store.Some(*v)
	}
	if b.has("messaging") {
		var m struct {
			Channel *string `json:"channel"`
			URL     *string `json:"url"`
		}
		if err := adminField(b, "messaging", `an object {"channel": "log"|"http"|"none", "url"}`, &m); err != nil || b.isNull("messaging") {
			return p, adminWrongType("messaging", `an object {"channel": "log"|"http"|"none", "url"}`)
		}
		if m.Channel != nil {
			p.MessagingChannel = store.Some(*m.Channel)
		}
		if m.URL != nil {
			p.MessagingURL = store.Some(*m.URL)
		} else if m.Channel != nil && *m.Channel != "http" {
			p.MessagingURL = store.Some("") // a non-http channel needs no URL
		}
	}
	return p, nil
}
