package store

import (
	"strings"
	"time"

	"github.com/puntos/puntos/internal/ledger"
)

// Program is the kind of loyalty program an apikey request names: a stamp
// card (loyalty_key) or a cashback wallet (wallet_key).
type Program string

// The two program kinds of the apikey API.
const (
	ProgramCard   Program = "card"
	ProgramWallet Program = "wallet"
)

// programSQL holds the table and column names that differ between cards and
// wallets, so one statement text serves both. The names are constants, never
// input.
type programSQL struct {
	table   string // loyalty_cards | wallets
	members string // card_members | wallet_members
	fk      string // card_id | wallet_id
	scope   string // card_scope | wallet_scope
	message string // the per-sale message switch: stamp_message | sale_message
	owner   ledger.OwnerKind
	unit    ledger.Unit
}

var programTables = map[Program]programSQL{
	ProgramCard:   {"loyalty_cards", "card_members", "card_id", "card_scope", "stamp_message", ledger.OwnerCardMember, ledger.Stamps},
	ProgramWallet: {"wallets", "wallet_members", "wallet_id", "wallet_scope", "sale_message", ledger.OwnerWalletMember, ledger.Points},
}

// programReplacers fill a statement template's placeholders for each
// program. Built once: a Replacer builds its lookup tables on first use,
// which cost about twenty allocations every time a request built its own.
var programReplacers = func() map[Program]*strings.Replacer {
	r := map[Program]*strings.Replacer{}
	for p, t := range programTables {
		r[p] = strings.NewReplacer("{table}", t.table, "{members}", t.members, "{fk}", t.fk,
			"{scope}", t.scope, "{message}", t.message)
	}
	return r
}()

// sql replaces the placeholders {table}, {members}, {fk}, {scope} and
// {message} in a statement template.
func (p Program) sql(tmpl string) string { return programReplacers[p].Replace(tmpl) }

// localTime is how the apikey API writes time stamps: the merchant's zone,
// `YYYY-MM-DD HH:MM:SS`.
func localTime(t time.Time, m Merchant) string {
	return t.In(m.Location()).Format("2006-01-02 15:04:05")
}

// merchantDay is the merchant-time-zone calendar day of t, as a UTC midnight
// for a Postgres date parameter.
func merchantDay(t time.Time, m Merchant) time.Time {
	y, mo, d := t.In(m.Location()).Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}
