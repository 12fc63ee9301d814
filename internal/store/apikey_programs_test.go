package store

import (
	"strings"
	"testing"
)

func TestProgramSQL(t *testing.T) {
	got := ProgramWallet.sql(`SELECT {fk} FROM {members} JOIN {table} USING (merchant_id) WHERE {scope} AND {message}`)
	if want := `SELECT wallet_id FROM wallet_members JOIN wallets USING (merchant_id) WHERE wallet_scope AND sale_message`; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	// Filling a template is on the request path (contact add, member
	// lists): it allocates the statement it builds (4 here), not the
	// replacer's tables again (23 when each call built its own).
	if n := testing.AllocsPerRun(100, func() { _ = ProgramCard.sql(contactAddReadSQL) }); n > 6 {
		t.Fatalf("%v allocations to fill a template, want at most 6", n)
	}
	if strings.Contains(ProgramCard.sql(contactAddReadSQL), "{") {
		t.Fatal("a placeholder was left unfilled")
	}
}
