package http

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// The JSON API's request bodies and their validation: each error names the
// field as the seed spells it (nested fields with a dot).

type customerRequest struct {
	ExternalID string          `json:"externalId"`
	Name       string          `json:"name"`
	Data       json.RawMessage `json:"data"`
}

type storeRequest struct {
	ExternalID string `json:"externalId"`
	Name       string `json:"name"`
}

// maxText bounds free-text fields.
const maxText = 255

func textField(field, v string, required bool) error {
	switch {
	case required && v == "":
		return invalid(field, "required")
	case len(v) > maxText:
		return invalid(field, "at most 255 characters")
	}
	return nil
}

// customerRef validates a customer object named field.
func customerRef(field string, c *customerRequest) (store.CustomerRef, error) {
	if c == nil {
		return store.CustomerRef{}, invalid(field, "required")
	}
	if err := textField(field+".externalId", c.ExternalID, true); err != nil {
		return store.CustomerRef{}, err
	}
	if err := textField(field+".name", c.Name, true); err != nil {
		return store.CustomerRef{}, err
	}
	if !jsonObjectOrNull(c.Data) {
		return store.CustomerRef{}, invalid(field+".data", "must be an object")
	}
	return store.CustomerRef{ExternalID: c.ExternalID, Name: c.Name, Data: c.Data}, nil
}

// storeRef validates an optional store object named field.
func storeRef(field string, s *storeRequest) (*store.StoreRef, error) {
	if s == nil {
		return nil, nil // no store: the transaction has none
	}
	if err := textField(field+".externalId", s.ExternalID, true); err != nil {
		return nil, err
	}
	if err := textField(field+".name", s.Name, true); err != nil {
		return nil, err
	}
	return &store.StoreRef{ExternalID: s.ExternalID, Name: s.Name}, nil
}

// numberField is a JSON number, or a numeric string, kept as text so that
// amounts are parsed exactly; anything else is remembered as bad, so the
// error names the field instead of the whole body.
type numberField struct {
	text string
	set  bool
	bad  bool
}

func (n *numberField) UnmarshalJSON(b []byte) error {
	n.set = true
	var num json.Number
	if err := json.Unmarshal(b, &num); err == nil {
		n.text = num.String()
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil && s != "" {
		n.text = s
		return nil
	}
	n.bad = string(b) != "null"
	n.set = n.bad
	return nil
}

// amountField parses a JSON number (or numeric string) with at most two
// decimals; positive requires it > 0.
func amountField(field string, n numberField, required, positive bool) (ledger.Amount, error) {
	if !n.set {
		if required {
			return 0, invalid(field, "required")
		}
		return 0, nil
	}
	a, err := ledger.ParseAmount(n.text)
	if n.bad || err != nil {
		return 0, invalid(field, "must be a number with at most two decimals")
	}
	if positive && !a.Positive() {
		return 0, invalid(field, "must be greater than 0")
	}
	return a, nil
}

// dateField parses an optional YYYY-MM-DD.
func dateField(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return d, invalid(field, "must be a date YYYY-MM-DD")
	}
	return d, nil
}

// transactionRequest is POST /api/transaction (seed 003).
type transactionRequest struct {
	Type                  string           `json:"type"`
	Code                  string           `json:"code"`
	ExternalID            string           `json:"externalId"`
	ExpirationDate        string           `json:"expirationDate"`
	Title                 string           `json:"title"`
	Description           string           `json:"description"`
	Total                 numberField      `json:"total"`
	Customer              *customerRequest `json:"customer"`
	Store                 *storeRequest    `json:"store"`
	Vendor                *storeRequest    `json:"vendor"`
	CheckbookID           string           `json:"checkbookId"`
	TransferTransactionID string           `json:"transferTransactionId"`
}

func (req transactionRequest) validate() (store.APITransaction, error) {
	in := store.APITransaction{Type: req.Type, Code: req.Code, ExternalID: req.ExternalID, Title: req.Title,
		Description: req.Description, CheckbookID: req.CheckbookID, TransferTxID: req.TransferTransactionID}
	var err error
	for _, f := range []struct {
		name, v  string
		required bool
	}{{"type", req.Type, true}, {"code", req.Code, false}, {"externalId", req.ExternalID, false}, {"title", req.Title, false},
		{"description", req.Description, true}, {"checkbookId", req.CheckbookID, false}, {"transferTransactionId", req.TransferTransactionID, false}} {
		if err = textField(f.name, f.v, f.required); err != nil {
			return in, err
		}
	}
	if in.Total, err = amountField("total", req.Total, true, true); err != nil {
		return in, err
	}
	if in.Customer, err = customerRef("customer", req.Customer); err != nil {
		return in, err
	}
	if in.Store, err = storeRef("store", req.Store); err != nil {
		return in, err
	}
	if in.Vendor, err = storeRef("vendor", req.Vendor); err != nil {
		return in, err
	}
	in.ExpirationDate, err = dateField("expirationDate", req.ExpirationDate)
	return in, err
}

// lineRequest is one checkbook detail line.
type lineRequest struct {
	Name           string      `json:"name"`
	ExternalID     string      `json:"externalId"`
	Total          numberField `json:"total"`
	EarnedRedeemed numberField `json:"earnedRedeemed"`
	Quantity       numberField `json:"quantity"`
}

// checkbookRequest is POST /api/transaction/checkbook and /redeemFullBalance.
type checkbookRequest struct {
	Type           string           `json:"type"`
	Customer       *customerRequest `json:"customer"`
	Code           string           `json:"code"`
	ExternalID     string           `json:"externalId"`
	Total          numberField      `json:"total"`
	EarnedRedeemed numberField      `json:"earnedRedeemed"`
	Store          *storeRequest    `json:"store"`
	Title          string           `json:"title"`
	ExpirationDate string           `json:"expirationDate"`
	Detail         json.RawMessage  `json:"detail"`
}

// maxLines bounds a checkbook's detail.
const maxLines = 500

// validate checks the body; earnedRedeemed is required (> 0) unless the
// endpoint computes it (redeemFullBalance).
func (req checkbookRequest) validate(needPoints bool) (store.Checkbook, error) {
	cb := store.Checkbook{Type: req.Type, Code: req.Code, ExternalID: req.ExternalID, Title: req.Title}
	var err error
	for _, f := range []struct {
		name, v  string
		required bool
	}{{"type", req.Type, true}, {"code", req.Code, false}, {"externalId", req.ExternalID, false}, {"title", req.Title, false}} {
		if err = textField(f.name, f.v, f.required); err != nil {
			return cb, err
		}
	}
	if cb.Customer, err = customerRef("customer", req.Customer); err != nil {
		return cb, err
	}
	if cb.Total, err = amountField("total", req.Total, false, false); err != nil {
		return cb, err
	}
	if needPoints {
		if cb.EarnedRedeemed, err = amountField("earnedRedeemed", req.EarnedRedeemed, true, true); err != nil {
			return cb, err
		}
	}
	if cb.Store, err = storeRef("store", req.Store); err != nil {
		return cb, err
	}
	if cb.ExpirationDate, err = dateField("expirationDate", req.ExpirationDate); err != nil {
		return cb, err
	}
	cb.Lines, err = detailLines(req.Detail)
	return cb, err
}

// detailLines accepts the seed's single detail object or an array of them.
func detailLines(raw json.RawMessage) ([]store.CheckbookLine, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var lines []lineRequest
	if raw[0] == '{' {
		var one lineRequest
		if err := json.Unmarshal(raw, &one); err != nil {
			return nil, invalid("detail", "must be an object or an array of objects")
		}
		lines = []lineRequest{one}
	} else if err := json.Unmarshal(raw, &lines); err != nil {
		return nil, invalid("detail", "must be an object or an array of objects")
	}
	if len(lines) > maxLines {
		return nil, invalid("detail", "at most 500 lines")
	}
	out := make([]store.CheckbookLine, 0, len(lines))
	for i, l := range lines {
		prefix := "detail"
		if raw[0] == '[' {
			prefix = "detail." + itoa(i)
		}
		line := store.CheckbookLine{Name: l.Name, ProductCode: l.ExternalID, Quantity: 1}
		if err := textField(prefix+".externalId", l.ExternalID, true); err != nil {
			return nil, err
		}
		if err := textField(prefix+".name", l.Name, false); err != nil {
			return nil, err
		}
		var err error
		if line.Total, err = amountField(prefix+".total", l.Total, false, false); err != nil {
			return nil, err
		}
		if line.EarnedRedeemed, err = amountField(prefix+".earnedRedeemed", l.EarnedRedeemed, false, false); err != nil {
			return nil, err
		}
		if l.Quantity.set {
			q, err := strconv.ParseInt(l.Quantity.text, 10, 64)
			if err != nil || q < 1 || q > 1_000_000 {
				return nil, invalid(prefix+".quantity", "must be a whole number from 1")
			}
			line.Quantity = q
		}
		out = append(out, line)
	}
	return out, nil
}
