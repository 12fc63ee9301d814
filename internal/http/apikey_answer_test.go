package http

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/puntos/puntos/internal/ledger"
	"github.com/puntos/puntos/internal/store"
)

// The apikey API's answers are encoded by hand (apikeyAnswer, memberJSON,
// appendJSONString). These tests hold them to the bytes encoding/json made
// of the values the answers were before: maps through writeJSON's encoder
// (SetEscapeHTML(false)), and the seed's contact structs below.

// encodeLikeWriteJSON is what writeJSON writes for v.
func encodeLikeWriteJSON(t testing.TB, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	return buf.String()
}

// jsonTestStrings are texts that exercise every branch of the escaping:
// HTML characters, quotes and backslashes, every control byte, DEL, U+2028
// and U+2029, multi-byte UTF-8 and each kind of invalid UTF-8.
func jsonTestStrings() []string {
	ss := []string{
		"", "a", "Venta creada correctamente.", "Teléfono con formato incorrecto.", "Usuario creado con éxito.",
		`<script>alert("x")</script>`, "a&b", "<>&", `"`, `\`, `\"`, "'", "/", "\x7f", "\u0080", "\u00ff",
		"\u2027\u2028\u2029\u202a", "line\u2028sep\u2029para", "日本語", "😀 emoji", "\ufffd", "\uFEFFbom",
		"\xff", "\xfe\xff", "a\xffb", "\xc3", "\xc3(", "\xe2\x82", "\xe2\x82(", "\xf0\x9f\x98", "\xed\xa0\x80",
		"\xc0\xaf", "\xf8\x88\x80\x80\x80", "\xf4\x90\x80\x80", "trailing \xe2", "José Ñúñez", "tab\there",
	}
	for c := range 0x80 {
		ss = append(ss, string(rune(c)), "x"+string(rune(c))+"y")
	}
	for c := 0x80; c < 0x100; c++ {
		ss = append(ss, string([]byte{byte(c)}), "x"+string([]byte{byte(c)})+"y")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "Z", " ", "<", ">", "&", `"`, `\`, "\n", "\x00", "\x1f", "\x7f", "é", "\u2028", "\u2029",
		"😀", "\xff", "\xe2\x82", "\xed\xa0\x80", "\U0010ffff"}
	for range 3000 {
		var sb strings.Builder
		for range rng.IntN(24) {
			if rng.IntN(4) == 0 {
				sb.WriteByte(byte(rng.IntN(256)))
			} else {
				sb.WriteString(alphabet[rng.IntN(len(alphabet))])
			}
		}
		ss = append(ss, sb.String())
	}
	return ss
}

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, s := range jsonTestStrings() {
		want := strings.TrimSuffix(encodeLikeWriteJSON(t, s), "\n")
		if got := string(appendJSONString([]byte("prefix"), s)); got != "prefix"+want {
			t.Fatalf("appendJSONString(%q) = %s, encoding/json writes %s", s, got, want)
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "<a href=\"x\">&</a>", "\u2028\xff\x00\t\\", "\xed\xa0\x80é😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.TrimSuffix(encodeLikeWriteJSON(t, s), "\n")
		if got := string(appendJSONString(nil, s)); got != want {
			t.Fatalf("appendJSONString(%q) = %s, encoding/json writes %s", s, got, want)
		}
	})
}

// testAmounts are balances with every shape of NumberText.
var testAmounts = []ledger.Amount{0, 1, 5, 10, 50, 99, 100, 150, 1250, 25050, 12345678, -1, -5, -10, -1250,
	ledger.MaxAmount, math.MaxInt64, math.MinInt64}

// answerCase is one apikey answer and the map the handlers used to encode.
type answerCase struct {
	answer apikeyAnswer
	old    map[string]any
}

func answerCases() []answerCase {
	var cases []answerCase
	strs := jsonTestStrings()
	// Errors, as writeAPIKeyError wrote them.
	for i, e := range []apikeyError{errAuth01, errRequest01, errRate01, errInternal01, errIdempotency03, errNewSale02,
		errNewSale07, errNewSale16, errWalletRedeem10, errBalanceGet04, errLoyaltyContactGet06, errToolusers01Request} {
		cases = append(cases, answerCase{apikeyAnswer{code: e.Code, message: e.Message, status: e.Status},
			map[string]any{"success": false, "message": e.Message, "status": e.Status, "code": e.Code}})
		if s := strs[i*97%len(strs)]; s != "" {
			cases = append(cases, answerCase{apikeyAnswer{code: s, message: s + "!", status: 400 + i},
				map[string]any{"success": false, "message": s + "!", "status": 400 + i, "code": s}})
		}
	}
	// Successes with a message, as apikeyOK wrote them.
	for _, msg := range []string{"Venta creada correctamente.", "Contacto creado correctamente.", "Saldo actualizado correctamente",
		"El usuario ya ha completado la tarjeta.", "<b>&é\u2028"} {
		cases = append(cases, answerCase{apikeyAnswer{code: "loyalty_sale_01", message: msg, status: 200, success: true},
			map[string]any{"message": msg, "status": http.StatusOK, "success": true, "code": "loyalty_sale_01"}})
	}
	// Sales and balance updates: a message and the new balance.
	for _, a := range testAmounts {
		cases = append(cases, answerCase{apikeyAnswer{code: "new_sale_01", message: "Venta creada correctamente.", newBalance: a, hasBalance: true, status: 200, success: true},
			map[string]any{"message": "Venta creada correctamente.", "newBalance": json.RawMessage(a.NumberText()),
				"status": http.StatusOK, "success": true, "code": "new_sale_01"}})
	}
	// Contact lookups: a card or wallet member.
	for _, row := range testMemberRows() {
		for _, card := range []bool{true, false} {
			cases = append(cases, answerCase{apikeyAnswer{code: "balance_get_01", result: memberJSON{row: row, card: card}, status: 200, success: true},
				map[string]any{"result": seedMember(row, card), "status": http.StatusOK, "success": true, "code": "balance_get_01"}})
		}
	}
	return cases
}

// cardMember and walletMember are the seed's contact objects as the
// handlers encoded them with encoding/json before memberJSON.
type cardMember struct {
	Name        string `json:"contact_name"`
	Phone       string `json:"contact_phone"`
	Birthdate   string `json:"contact_birthdate"`
	Completions int64  `json:"contact_total_loyalty_completes"`
	Stamps      int64  `json:"contact_current_redeem"`
}

type walletMember struct {
	Name      string          `json:"contact_name"`
	Phone     string          `json:"contact_phone"`
	Birthdate string          `json:"contact_birthdate"`
	Balance   json.RawMessage `json:"contact_balance"`
}

func seedMember(m store.MemberRow, card bool) any {
	birthdate := ""
	if m.Birthdate != nil {
		birthdate = m.Birthdate.Format("2006-01-02")
	}
	if card {
		return cardMember{Name: m.Name, Phone: m.Phone, Birthdate: birthdate, Completions: m.Completions, Stamps: int64(m.Balance / 100)}
	}
	return walletMember{Name: m.Name, Phone: m.Phone, Birthdate: birthdate, Balance: json.RawMessage(m.Balance.NumberText())}
}

func testMemberRows() []store.MemberRow {
	day := func(y int, m time.Month, d int, loc *time.Location) *time.Time {
		t := time.Date(y, m, d, 23, 59, 0, 0, loc)
		return &t
	}
	mx := time.FixedZone("CST", -6*3600)
	births := []*time.Time{nil, day(1990, 5, 17, time.UTC), day(2000, 1, 1, mx), day(1, 1, 1, time.UTC), day(9999, 12, 31, mx), day(-5, 3, 4, time.UTC), day(12345, 6, 7, time.UTC)}
	strs := jsonTestStrings()
	var rows []store.MemberRow
	for i, a := range testAmounts {
		rows = append(rows, store.MemberRow{Name: strs[i*131%len(strs)], Phone: "+52" + strs[i*17%len(strs)],
			Birthdate: births[i%len(births)], Completions: int64(i*7) - 3, Balance: a})
	}
	for _, s := range strs[:200] {
		rows = append(rows, store.MemberRow{Name: s, Phone: s, Balance: 100})
	}
	return rows
}

func TestAPIKeyAnswerMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, c := range answerCases() {
		want := encodeLikeWriteJSON(t, c.old)
		if got := string(append(c.answer.appendJSON(nil), '\n')); got != want {
			t.Fatalf("apikeyAnswer %+v encodes\n%s\nencoding/json wrote\n%s", c.answer, got, want)
		}
	}
}

// TestWriteAPIKeyAnswerMatchesWriteJSON compares whole answers: status,
// headers and body, through the pool of buffers.
func TestWriteAPIKeyAnswerMatchesWriteJSON(t *testing.T) {
	t.Parallel()
	for _, c := range answerCases() {
		status := c.answer.status
		old, got := httptest.NewRecorder(), httptest.NewRecorder()
		writeJSON(old, status, c.old)
		req := httptest.NewRequest(http.MethodPost, "/wallet/sale", nil)
		writeAPIKeyAnswer(got, req, status, c.answer)
		if got.Code != old.Code || got.Body.String() != old.Body.String() {
			t.Fatalf("writeAPIKeyAnswer: %d %s, writeJSON: %d %s", got.Code, got.Body, old.Code, old.Body)
		}
		if g, o := got.Header(), old.Header(); len(g) != len(o) || g.Get("Content-Type") != o.Get("Content-Type") {
			t.Fatalf("headers %v, writeJSON's %v", g, o)
		}
	}
}

// TestMemberStreamRows checks the listing's rows against the structs
// json.Encoder wrote, newline included.
func TestMemberStreamRows(t *testing.T) {
	t.Parallel()
	for _, row := range testMemberRows() {
		for _, card := range []bool{true, false} {
			want := encodeLikeWriteJSON(t, seedMember(row, card))
			if got := string(memberJSON{row: row, card: card}.appendJSON(nil)) + "\n"; got != want {
				t.Fatalf("memberJSON %+v (card %v) = %s, encoding/json wrote %s", row, card, got, want)
			}
			if !utf8.ValidString(want) {
				t.Fatalf("invalid UTF-8 in %q", want)
			}
		}
	}
}

// BenchmarkSaleAnswer compares a sale's success answer written by hand with
// the map writeJSON encoded before (no database: only the encoding).
func BenchmarkSaleAnswer(b *testing.B) {
	req := httptest.NewRequest(http.MethodPost, "/wallet/sale", nil)
	balance := ledger.Amount(1234550)
	w := &discardWriter{header: http.Header{}}
	b.Run("encoding_json_map", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			writeJSON(w, http.StatusOK, map[string]any{"message": "Venta creada correctamente.",
				"newBalance": json.RawMessage(balance.NumberText()), "status": http.StatusOK, "success": true, "code": "new_sale_01"})
		}
	})
	b.Run("apikeyAnswer", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			apikeySuccess(w, req, apikeyAnswer{code: "new_sale_01", message: "Venta creada correctamente.", newBalance: balance, hasBalance: true})
		}
	})
}

// discardWriter is a ResponseWriter that keeps nothing.
type discardWriter struct{ header http.Header }

func (w *discardWriter) Header() http.Header         { return w.header }
func (w *discardWriter) WriteHeader(int)             {}
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
