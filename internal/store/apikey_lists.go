package store

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// MemberRow is an enrolled contact as /loyalty/contact/get and
// /wallet/contact/get show it. Balance is the ledger's: stamps on the
// current card, or available wallet points (expired batches excluded).
type MemberRow struct {
	Name        string
	Phone       string
	Birthdate   *time.Time
	Completions int64
	Balance     ledger.Amount
}

// memberRowsSQL reads members with their ledger balance, summed over the
// member's accounts in the program's unit that have not expired (as bigint:
// sum(bigint) is numeric, which pgx scans through math/big).
const memberRowsSQL = `
SELECT ct.name, ct.phone, ct.birthdate, {completions},
       coalesce((SELECT sum(a.balance) FROM ledger_accounts a
                 WHERE a.merchant_id = pm.merchant_id AND a.owner_kind = $3 AND a.owner_id = pm.id AND a.unit = $4
                   AND (a.expires_at IS NULL OR a.expires_at > $5)), 0)::bigint
FROM {members} pm JOIN contacts ct ON ct.merchant_id = pm.merchant_id AND ct.id = pm.contact_id
WHERE pm.merchant_id = $1 AND pm.{fk} = $2`

// memberSQL is memberRowsSQL for p with tail (filter, order) appended;
// only cards count completions.
func (p Program) memberSQL(tail string) string {
	completions := "0::bigint"
	if p == ProgramCard {
		completions = "pm.completions::bigint"
	}
	return strings.Replace(p.sql(memberRowsSQL+tail), "{completions}", completions, 1)
}

func scanMember(row pgx.Row) (MemberRow, error) {
	var m MemberRow
	err := row.Scan(&m.Name, &m.Phone, &m.Birthdate, &m.Completions, &m.Balance)
	return m, err
}

// StreamMembers calls fn for every member of a program in enrollment
// order, straight from the database cursor: the list is never held in
// memory, so a program with 100,000 contacts costs one row at a time.
// limit 0 means all.
func (s *Store) StreamMembers(ctx context.Context, merchantID int64, p Program, programID int64, limit, offset int64, fn func(MemberRow) error) error {
	t := programTables[p]
	var lim *int64
	if limit > 0 {
		lim = &limit
	}
	rows, err := s.pool.Query(ctx, p.memberSQL(` ORDER BY pm.id LIMIT $6 OFFSET $7`), merchantID, programID,
		string(t.owner), int16(t.unit), s.clock.Now(), lim, offset)
	if err != nil {
		return interpretError(err)
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return interpretError(err)
		}
		if err := fn(m); err != nil {
			return err
		}
	}
	return interpretError(rows.Err())
}
