package http

import (
	"net/http"
	"strconv"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// apikeyAnswer is an answer of the apikey API in the seeds' shape: every
// error, and the successes of the POS hot path (sales, balance updates,
// contact add and lookup). It is encoded by hand, to exactly the bytes
// encoding/json made of the map[string]any these answers used to be: keys
// in sorted order (code, message, newBalance, result, status, success),
// HTML not escaped, a final newline (apikey_answer_test.go checks it).
// Under load, encoding/json's reflection and the maps it encoded were a
// tenth of the server's CPU and many of its allocations.
type apikeyAnswer struct {
	code       string
	message    string        // left out when empty (ae refuses an empty message)
	newBalance ledger.Amount // written when hasBalance (a value, not a pointer, so the caller's result stays on its stack)
	hasBalance bool
	result     jsonAppender // left out when nil
	status     int
	success    bool
}

// jsonAppender is a value that appends its own JSON encoding.
type jsonAppender interface{ appendJSON(dst []byte) []byte }

func (a apikeyAnswer) appendJSON(b []byte) []byte {
	b = append(b, `{"code":`...)
	b = appendJSONString(b, a.code)
	if a.message != "" {
		b = append(b, `,"message":`...)
		b = appendJSONString(b, a.message)
	}
	if a.hasBalance {
		b = append(b, `,"newBalance":`...)
		b = a.newBalance.AppendNumber(b)
	}
	if a.result != nil {
		b = append(b, `,"result":`...)
		b = a.result.appendJSON(b)
	}
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(a.status), 10)
	b = append(b, `,"success":`...)
	b = strconv.AppendBool(b, a.success)
	return append(b, '}')
}

// writeAPIKeyAnswer notes a's code for the request log and answers it with
// the HTTP status given.
func writeAPIKeyAnswer(w http.ResponseWriter, r *http.Request, status int, a apikeyAnswer) {
	noteCode(r, a.code)
	bp := jsonBuffers.Get().(*[]byte)
	b := append(a.appendJSON((*bp)[:0]), '\n') // json.Encoder ends every value with one
	writeJSONBytes(w, status, b)
	if cap(b) <= maxPooledJSON {
		*bp = b[:0]
		jsonBuffers.Put(bp)
	}
}

// apikeySuccess answers a success of the hot path: HTTP 200 with
// "status":200 and "success":true. (apikeyOK answers the others.)
func apikeySuccess(w http.ResponseWriter, r *http.Request, a apikeyAnswer) {
	a.status, a.success = http.StatusOK, true
	writeAPIKeyAnswer(w, r, http.StatusOK, a)
}

// memberJSON is one contact of /loyalty/contact/get (card) or
// /wallet/contact/get (wallet) in the seed's shape, keys in the seed's
// order: name, phone, birthdate ("" when unknown), then for a card its
// completions and current stamps, for a wallet its balance as a number.
type memberJSON struct {
	row  store.MemberRow
	card bool
}

func (m memberJSON) appendJSON(b []byte) []byte {
	b = append(b, `{"contact_name":`...)
	b = appendJSONString(b, m.row.Name)
	b = append(b, `,"contact_phone":`...)
	b = appendJSONString(b, m.row.Phone)
	b = append(b, `,"contact_birthdate":"`...)
	if m.row.Birthdate != nil {
		b = m.row.Birthdate.AppendFormat(b, "2006-01-02") // digits and dashes: nothing to escape
	}
	b = append(b, '"')
	if m.card {
		b = append(b, `,"contact_total_loyalty_completes":`...)
		b = strconv.AppendInt(b, m.row.Completions, 10)
		b = append(b, `,"contact_current_redeem":`...)
		b = strconv.AppendInt(b, int64(m.row.Balance/100), 10)
	} else {
		b = append(b, `,"contact_balance":`...)
		b = m.row.Balance.AppendNumber(b)
	}
	return append(b, '}')
}
