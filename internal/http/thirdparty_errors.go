package http

import (
	"errors"
	"net/http"

	"github.com/puntos/puntos/internal/store"
)

// tpReason is why a third-party call ended; with the method it picks the
// four-digit code and HTTP status the client gets.
type tpReason int

const (
	tpOK tpReason = iota
	tpBadToken
	tpBadInput // the body is not a form or JSON object, or a value is not clean text
	tpTooLarge // the body is over 64 KiB
	tpShopRequired
	tpNameRequired
	tpEmailRequired
	tpBadEmail
	tpBadPassword
	tpCustomerRequired
	tpBadAmount
	tpCodeRequired
	tpBadPage
	tpBadLimit
	tpShopNotFound
	tpAgentNotFound
	tpAgentOtherShop
	tpCustomerNotFound
	tpCustomerOtherShop
	tpNotFound // the shown object (show-*) does not exist
	tpIdemKeyInvalid
	tpIdemKeyReused
	tpIdemInFlight
	tpRateLimited
	tpInternal
)

// tpCode is a code of the third-party API with the HTTP status it travels with.
type tpCode struct {
	Code   string
	Status int
}

// Shared codes (ext): the same failure on every method of the family.
var (
	tpBadInputCode    = tpCode{"2090", http.StatusBadRequest}
	tpIdemInvalidCode = tpCode{"2091", http.StatusUnprocessableEntity}   // Idempotency-Key not 1–255 printable ASCII
	tpIdemReusedCode  = tpCode{"2092", http.StatusUnprocessableEntity}   // Idempotency-Key used for another request
	tpIdemBusyCode    = tpCode{"2093", http.StatusConflict}              // the key's first request still runs, or committed and lost its answer
	tpRateCode        = tpCode{"2094", http.StatusTooManyRequests}       // RATE_LIMIT exceeded for this token
	tpTooLargeCode    = tpCode{"2095", http.StatusRequestEntityTooLarge} // a POST body over 64 KiB
)

// tpCodes is the error table of the third-party shops API. Codes in 2000–2099
// are ours (ext); the others are the vendor's, from seed 002 and its public
// pages. A reason a method cannot meet has no entry.
var tpCodes = map[string]map[tpReason]tpCode{
	"add-customer": {
		tpTooLarge: tpTooLargeCode, tpIdemKeyInvalid: tpIdemInvalidCode, tpIdemKeyReused: tpIdemReusedCode, tpIdemInFlight: tpIdemBusyCode,
		tpRateLimited: tpRateCode, tpOK: {"0052", 200}, tpBadToken: {"1276", 401}, tpBadInput: tpBadInputCode,
		tpShopRequired: {"1285", 400}, tpNameRequired: {"1277", 400}, tpBadEmail: {"1292", 400},
		tpShopNotFound: {"1286", 400}, tpAgentNotFound: {"1287", 400}, tpAgentOtherShop: {"1288", 400},
		tpInternal: {"1290", 500},
	},
	"get-shops": {
		tpRateLimited: tpRateCode, tpOK: {"0039", 200}, tpBadToken: {"1192", 401}, tpBadInput: tpBadInputCode,
		tpBadPage: {"1571", 400}, tpBadLimit: {"2000", 400}, tpInternal: {"2001", 500},
	},
	"add-shop": {
		tpTooLarge: tpTooLargeCode, tpIdemKeyInvalid: tpIdemInvalidCode, tpIdemKeyReused: tpIdemReusedCode, tpIdemInFlight: tpIdemBusyCode,
		tpRateLimited: tpRateCode, tpOK: {"2002", 200}, tpBadToken: {"2003", 401}, tpBadInput: tpBadInputCode,
		tpNameRequired: {"2004", 400}, tpBadEmail: {"2005", 400}, tpInternal: {"2006", 500},
	},
	"show-shop": {
		tpRateLimited: tpRateCode, tpOK: {"2007", 200}, tpBadToken: {"2008", 401}, tpBadInput: tpBadInputCode,
		tpCodeRequired: {"2009", 400}, tpNotFound: {"2010", 404}, tpInternal: {"2011", 500},
	},
	"add-agent": {
		tpTooLarge: tpTooLargeCode, tpIdemKeyInvalid: tpIdemInvalidCode, tpIdemKeyReused: tpIdemReusedCode, tpIdemInFlight: tpIdemBusyCode,
		tpRateLimited: tpRateCode, tpOK: {"2012", 200}, tpBadToken: {"2013", 401}, tpBadInput: tpBadInputCode,
		tpShopRequired: {"2014", 400}, tpNameRequired: {"2015", 400}, tpEmailRequired: {"2016", 400},
		tpBadEmail: {"2017", 400}, tpBadPassword: {"2018", 400}, tpShopNotFound: {"2019", 400},
		tpInternal: {"2020", 500},
	},
	"get-agents": {
		tpRateLimited: tpRateCode, tpOK: {"0048", 200}, tpBadToken: {"2021", 401}, tpBadInput: tpBadInputCode,
		tpBadPage: {"2022", 400}, tpBadLimit: {"2023", 400}, tpShopNotFound: {"2024", 400},
		tpInternal: {"2025", 500},
	},
	"show-agent": {
		tpRateLimited: tpRateCode, tpOK: {"0061", 200}, tpBadToken: {"1367", 401}, tpBadInput: tpBadInputCode,
		tpCodeRequired: {"1368", 400}, tpNotFound: {"1369", 404}, tpInternal: {"1371", 500},
	},
	"get-customers": {
		tpRateLimited: tpRateCode, tpOK: {"2026", 200}, tpBadToken: {"2027", 401}, tpBadInput: tpBadInputCode,
		tpBadPage: {"2028", 400}, tpBadLimit: {"2029", 400}, tpShopNotFound: {"2030", 400},
		tpAgentNotFound: {"2031", 400}, tpInternal: {"2032", 500},
	},
	"show-customer": {
		tpRateLimited: tpRateCode, tpOK: {"0062", 200}, tpBadToken: {"2033", 401}, tpBadInput: tpBadInputCode,
		tpCodeRequired: {"2034", 400}, tpNotFound: {"2035", 404}, tpInternal: {"2036", 500},
	},
	"add-order": {
		tpTooLarge: tpTooLargeCode, tpIdemKeyInvalid: tpIdemInvalidCode, tpIdemKeyReused: tpIdemReusedCode, tpIdemInFlight: tpIdemBusyCode,
		tpRateLimited: tpRateCode, tpOK: {"2037", 200}, tpBadToken: {"2038", 401}, tpBadInput: tpBadInputCode,
		tpShopRequired: {"2039", 400}, tpCustomerRequired: {"2040", 400}, tpBadAmount: {"2041", 400},
		tpShopNotFound: {"2042", 400}, tpCustomerNotFound: {"2043", 400}, tpCustomerOtherShop: {"2044", 400},
		tpAgentNotFound: {"2045", 400}, tpAgentOtherShop: {"2046", 400}, tpInternal: {"2047", 500},
	},
}

// tpStoreReasons maps the store's errors to reasons; anything else is ours.
var tpStoreReasons = []struct {
	err    error
	reason tpReason
}{
	{store.ErrShopNotFound, tpShopNotFound},
	{store.ErrAgentNotFound, tpAgentNotFound},
	{store.ErrAgentOtherShop, tpAgentOtherShop},
	{store.ErrCustomerNotFound, tpCustomerNotFound},
	{store.ErrCustomerOtherShop, tpCustomerOtherShop},
}

// tpCodeFor finds a method's code for a reason. A reason the method does not
// list is a bug of ours, answered as the method's internal error.
func tpCodeFor(method string, reason tpReason) tpCode {
	codes := tpCodes[method]
	if c, ok := codes[reason]; ok {
		return c
	}
	return codes[tpInternal]
}

// tpFail answers a third-party call with the failure shape of seed 002:
// {"status": false, "error": {"code": "1287"}}.
func tpFail(w http.ResponseWriter, r *http.Request, reason tpReason) {
	c := tpCodeFor(tpMethodOf(r), reason)
	noteCode(r, c.Code)
	writeJSON(w, c.Status, map[string]any{"status": false, "error": map[string]string{"code": c.Code}})
}

// tpStoreFail answers a store error: a known reference error with its code,
// anything else (a storage failure) with the method's internal code, logged.
func (s *Server) tpStoreFail(w http.ResponseWriter, r *http.Request, err error) {
	for _, m := range tpStoreReasons {
		if errors.Is(err, m.err) {
			tpFail(w, r, m.reason)
			return
		}
	}
	s.log.Error("thirdparty storage failure", "request_id", infoOf(r).requestID, "method", tpMethodOf(r), "err", err)
	tpFail(w, r, tpInternal)
}

// tpSucceed answers a third-party call with the success shape of seed 002:
// {"status": true, "success": {"code": "0052"}, "data": {...}}.
func tpSucceed(w http.ResponseWriter, r *http.Request, data any) {
	c := tpCodeFor(tpMethodOf(r), tpOK)
	noteCode(r, c.Code)
	writeJSON(w, c.Status, map[string]any{"status": true, "success": map[string]string{"code": c.Code}, "data": data})
}

// tpIdemFail answers the Idempotency-Key middleware's refusals in this
// family's shape; a key that could not be checked is the method's storage
// failure.
func tpIdemFail(w http.ResponseWriter, r *http.Request, p idemProblem) {
	switch p {
	case idemKeyInvalid:
		tpFail(w, r, tpIdemKeyInvalid)
	case idemKeyReused:
		tpFail(w, r, tpIdemKeyReused)
	case idemKeyInFlight:
		tpFail(w, r, tpIdemInFlight)
	default:
		tpFail(w, r, tpInternal)
	}
}
