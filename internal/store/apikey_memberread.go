package store

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgtype"
)

// Contact lookups by phone (/loyalty/contact/get, /wallet/contact/get) are
// the till's most frequent request. Concurrent ones are read together: each
// program kind has lanes (lanes.go) whose batches read every lookup queued
// in one statement, one index probe per table per lookup. Nothing is
// locked or written; a lookup alone is a batch of one.

// readMaxBatch bounds one read statement.
const readMaxBatch = 256

// readJob is one lookup waiting for its batch.
type readJob struct {
	waiter
	merchantID int64
	key, phone string
	res        MemberRow
}

// memberByKeySQL finds, per input (merchant, program key, phone), the
// program, the member and its balance; each lookup is a fenced
// unique-index probe (see saleReadSQL).
const memberByKeySQL = `
SELECT i.idx, p.id, pm.id, ct.name, ct.phone, ct.birthdate, {completions},
       coalesce((SELECT sum(a.balance) FROM ledger_accounts a
                 WHERE a.merchant_id = i.mid AND a.owner_kind = $4 AND a.owner_id = pm.id AND a.unit = $5
                   AND (a.expires_at IS NULL OR a.expires_at > $6)), 0)::bigint
FROM unnest($1::bigint[], $2::text[], $3::text[]) WITH ORDINALITY AS i(mid, key, phone, idx)
LEFT JOIN LATERAL (SELECT id FROM {table} WHERE merchant_id = i.mid AND key = i.key LIMIT 1) p ON true
LEFT JOIN LATERAL (SELECT id, name, phone, birthdate FROM contacts WHERE merchant_id = i.mid AND phone = i.phone LIMIT 1) ct ON true
LEFT JOIN LATERAL (SELECT * FROM {members} WHERE merchant_id = i.mid AND {fk} = p.id AND contact_id = ct.id LIMIT 1) pm ON true`

var memberByKey = map[Program]string{
	ProgramCard:   strings.Replace(ProgramCard.sql(memberByKeySQL), "{completions}", "coalesce(pm.completions, 0)::bigint", 1),
	ProgramWallet: strings.Replace(ProgramWallet.sql(memberByKeySQL), "{completions}", "0::bigint", 1),
}

// MemberByKey returns the member with that phone of the program with that
// key: ErrProgramNotFound without such a program, ErrNotFound when the
// phone is not enrolled in it.
func (s *Store) MemberByKey(ctx context.Context, merchantID int64, p Program, key, phone string) (MemberRow, error) {
	if err := ctx.Err(); err != nil {
		return MemberRow{}, err
	}
	j := &readJob{waiter: newWaiter(ctx), merchantID: merchantID, key: key, phone: phone}
	s.readLanes[p].do(memberLaneKey(merchantID, phone), j)
	return j.res, j.err
}

// readMembers answers every lookup of live with one statement.
func (s *Store) readMembers(p Program, live []*readJob) {
	n := len(live)
	mids, keys, phones := make([]int64, n), make([]string, n), make([]string, n)
	for i, j := range live {
		mids[i], keys[i], phones[i] = j.merchantID, j.key, j.phone
	}
	t := programTables[p]
	rows, err := s.lanePool.Query(context.WithoutCancel(live[0].ctx), memberByKey[p],
		mids, keys, phones, string(t.owner), int16(t.unit), s.clock.Now())
	if err != nil {
		for _, j := range live {
			j.err = interpretError(err)
		}
		return
	}
	defer rows.Close()
	answered := 0
	for rows.Next() {
		// pgtype values rather than pointers: a lookup is the till's most
		// frequent request, and each pointer scanned is an allocation.
		var idx int64
		var programID, memberID pgtype.Int8
		var name, phone pgtype.Text
		var m MemberRow
		if err := rows.Scan(&idx, &programID, &memberID, &name, &phone, &m.Birthdate, &m.Completions, &m.Balance); err != nil {
			break
		}
		j := live[idx-1]
		switch {
		case !programID.Valid:
			j.err = ErrProgramNotFound
		case !memberID.Valid:
			j.err = ErrNotFound
		default:
			m.Name, m.Phone = name.String, phone.String
			j.res = m
		}
		answered++
	}
	if err := rows.Err(); err != nil || answered != n {
		if err == nil {
			err = errBatchRows
		}
		for _, j := range live {
			j.res, j.err = MemberRow{}, interpretError(err)
		}
	}
}

// errBatchRows is a batch statement that did not answer every input once;
// it cannot happen unless the statement is wrong.
var errBatchRows = errors.New("store: batch read did not answer every lookup")
