package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// GroupRule is a tier's rule for one unit: the multiplier (hundredths:
// 150 = x1.5) applied to POINTS ORDER earnings while in the tier, and the
// amount of the unit earned in the tier's rolling window that admits to it.
type GroupRule struct {
	Unit       ledger.Unit
	Multiplier int64
	Threshold  ledger.Amount
}

// Group is a customer tier (grupo).
type Group struct {
	ID          int64
	Name        string
	Description string
	Rules       []GroupRule
	NextID      *int64
	Next        *Group // only ID, Name and Description are loaded
	Default     bool
	WindowDays  int
}

// CreateGroup adds a tier to a merchant. Making it the default takes that
// role from the previous default. A next group must exist (FieldError
// next_group_id).
func (s *Store) CreateGroup(ctx context.Context, merchantID int64, g Group) (Group, error) {
	if g.WindowDays == 0 {
		g.WindowDays = 365
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if g.NextID != nil {
			var one int
			err := tx.QueryRow(ctx, `SELECT 1 FROM customer_groups WHERE merchant_id = $1 AND id = $2`, merchantID, *g.NextID).Scan(&one)
			if err = interpretError(err); err == ErrNotFound {
				return &FieldError{Field: "next_group_id", Message: "no such group"}
			} else if err != nil {
				return err
			}
		}
		if g.Default {
			if _, err := tx.Exec(ctx, `UPDATE customer_groups SET is_default = false WHERE merchant_id = $1 AND is_default`, merchantID); err != nil {
				return interpretError(err)
			}
		}
		err := tx.QueryRow(ctx, `INSERT INTO customer_groups (merchant_id, name, description, next_group_id, is_default, window_days)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			merchantID, g.Name, g.Description, g.NextID, g.Default, g.WindowDays).Scan(&g.ID)
		if err != nil {
			return interpretError(err)
		}
		for _, r := range g.Rules {
			if _, err := tx.Exec(ctx, `INSERT INTO group_rules (merchant_id, group_id, unit, multiplier, threshold)
				VALUES ($1, $2, $3, $4, $5)`, merchantID, g.ID, int16(r.Unit), r.Multiplier, int64(r.Threshold)); err != nil {
				if interpretError(err) == ErrConflict {
					return &FieldError{Field: "rules", Message: "one rule per unit"}
				}
				return interpretError(err)
			}
		}
		return nil
	})
	if err != nil {
		return Group{}, err
	}
	return s.group(ctx, merchantID, g.ID)
}

// DefaultGroup is the merchant's default tier with its rules and next tier
// (ErrNotFound when the merchant has none).
func (s *Store) DefaultGroup(ctx context.Context, merchantID int64) (Group, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `SELECT id FROM customer_groups WHERE merchant_id = $1 AND is_default`, merchantID).Scan(&id)
	if err != nil {
		return Group{}, interpretError(err)
	}
	return s.group(ctx, merchantID, id)
}

func (s *Store) group(ctx context.Context, merchantID, id int64) (Group, error) {
	groups, err := loadGroups(ctx, s.pool, merchantID)
	if err != nil {
		return Group{}, err
	}
	g, ok := groups[id]
	if !ok {
		return Group{}, ErrNotFound
	}
	if g.NextID != nil {
		n := groups[*g.NextID]
		g.Next = &Group{ID: n.ID, Name: n.Name, Description: n.Description}
	}
	return *g, nil
}

// groupsSQL reads a merchant's tiers ($1), without their rules.
const groupsSQL = `SELECT id, name, description, next_group_id, is_default, window_days
		FROM customer_groups WHERE merchant_id = $1`

// loadGroups reads all of a merchant's tiers with their rules (a handful).
func loadGroups(ctx context.Context, q querier, merchantID int64) (map[int64]*Group, error) {
	rows, err := q.Query(ctx, groupsSQL, merchantID)
	if err != nil {
		return nil, interpretError(err)
	}
	groups, err := scanGroups(rows)
	if err != nil {
		return nil, err
	}
	return groups, loadRules(ctx, q, merchantID, groups)
}

// scanGroups reads the rows of groupsSQL and closes them.
func scanGroups(rows pgx.Rows) (map[int64]*Group, error) {
	defer rows.Close()
	groups := map[int64]*Group{}
	for rows.Next() {
		g := &Group{}
		if err := rows.Scan(&g.ID, &g.Name, &g.Description, &g.NextID, &g.Default, &g.WindowDays); err != nil {
			return nil, interpretError(err)
		}
		groups[g.ID] = g
	}
	return groups, interpretError(rows.Err())
}

// loadRules adds their rules to groups; a merchant without tiers has none
// to ask for, and every earn of such a merchant comes here.
func loadRules(ctx context.Context, q querier, merchantID int64, groups map[int64]*Group) error {
	if len(groups) == 0 {
		return nil
	}
	rows, err := q.Query(ctx, `SELECT group_id, unit, multiplier, threshold FROM group_rules
		WHERE merchant_id = $1 ORDER BY group_id, unit`, merchantID)
	if err != nil {
		return interpretError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var gid int64
		var unit int16
		var r GroupRule
		if err := rows.Scan(&gid, &unit, &r.Multiplier, &r.Threshold); err != nil {
			return interpretError(err)
		}
		r.Unit = ledger.Unit(unit)
		if g := groups[gid]; g != nil {
			g.Rules = append(g.Rules, r)
		}
	}
	return interpretError(rows.Err())
}

// orderMultiplier is the POINTS multiplier of the customer's current tier
// (its default tier when never evaluated; 100 = x1 without tiers).
func orderMultiplier(ctx context.Context, tx pgx.Tx, merchantID, customerID int64) (int64, error) {
	var m int64
	err := tx.QueryRow(ctx, `SELECT `+multiplierSQL+` FROM customers c WHERE c.merchant_id = $1 AND c.id = $2`,
		merchantID, customerID).Scan(&m)
	return m, interpretError(err)
}

// multiplierSQL is the multiplier (percent) of POINTS ORDER credits for the
// tier of customer c of merchant $1: its group's, or the default group's
// when it has none (or c is NULL), or 100 without a rule.
const multiplierSQL = `coalesce((SELECT r.multiplier FROM group_rules r WHERE r.merchant_id = $1 AND r.unit = 1 AND r.group_id =
	coalesce(c.group_id, (SELECT g.id FROM customer_groups g WHERE g.merchant_id = $1 AND g.is_default))), 100)`

// earningSQL adds a customer's earned (or, negative, reversed) amount of a
// unit to its own daily row ($1 merchant, $2 customer, $3 unit, $4 day, $5 amount).
const earningSQL = `INSERT INTO customer_daily_earnings AS e (merchant_id, customer_id, unit, day, earned)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (merchant_id, customer_id, unit, day) DO UPDATE SET earned = e.earned + excluded.earned`

// evaluateTier walks the tier chain from the default tier and stops at the
// first next tier whose rules the customer's earnings in that tier's window
// do not meet: so a customer moves up as it earns, and back down when its
// window slides past old earnings or a reversal takes them back.
// groups are the merchant's tiers as groupsSQL read them, in the same
// transaction; their rules are read here.
func evaluateTier(ctx context.Context, tx pgx.Tx, merchantID, customerID int64, today time.Time, groups map[int64]*Group) error {
	if err := loadRules(ctx, tx, merchantID, groups); err != nil || len(groups) == 0 {
		return err
	}
	var cur *Group
	for _, g := range groups {
		if g.Default {
			cur = g
		}
	}
	if cur == nil {
		return nil
	}
	for steps := 0; cur.NextID != nil && steps < len(groups); steps++ {
		next := groups[*cur.NextID]
		ok, err := meetsRules(ctx, tx, merchantID, customerID, next, today)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		cur = next
	}
	_, err := tx.Exec(ctx, `UPDATE customers SET group_id = $3 WHERE merchant_id = $1 AND id = $2 AND group_id IS DISTINCT FROM $3`,
		merchantID, customerID, cur.ID)
	return interpretError(err)
}

func meetsRules(ctx context.Context, tx pgx.Tx, merchantID, customerID int64, g *Group, today time.Time) (bool, error) {
	for _, r := range g.Rules {
		var earned int64
		err := tx.QueryRow(ctx, `SELECT coalesce(sum(earned), 0) FROM customer_daily_earnings
			WHERE merchant_id = $1 AND customer_id = $2 AND unit = $3 AND day > $4::date - $5::int`,
			merchantID, customerID, int16(r.Unit), today, g.WindowDays).Scan(&earned)
		if err != nil {
			return false, interpretError(err)
		}
		if ledger.Amount(earned) < r.Threshold {
			return false, nil
		}
	}
	return true, nil
}

// CustomerGroup is the tier a customer is in (ErrNotFound without tiers).
func (s *Store) CustomerGroup(ctx context.Context, merchantID, customerID int64) (Group, error) {
	var id *int64
	err := s.pool.QueryRow(ctx, `SELECT coalesce(c.group_id, (SELECT g.id FROM customer_groups g WHERE g.merchant_id = $1 AND g.is_default))
		FROM customers c WHERE c.merchant_id = $1 AND c.id = $2`, merchantID, customerID).Scan(&id)
	if err != nil {
		return Group{}, interpretError(err)
	}
	if id == nil {
		return Group{}, ErrNotFound
	}
	return s.group(ctx, merchantID, *id)
}
