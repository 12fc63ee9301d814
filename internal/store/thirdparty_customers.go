package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// ShopCustomer is a customer of one shop, optionally assigned to one of its
// agents, with the counts of its orders.
type ShopCustomer struct {
	ID            int64
	Code          string
	Name          string
	Lastname      *string
	Phone         *string
	Email         *string
	ShopCode      string
	ShopName      string
	AgentCode     *string
	AgentName     *string
	AgentOrders   int64 // orders placed with an agent
	NoAgentOrders int64 // orders placed without one
	CreatedAt     time.Time
}

// TotalOrders counts every order of the customer, with or without an agent.
func (c ShopCustomer) TotalOrders() int64 { return c.AgentOrders + c.NoAgentOrders }

// ShopCustomerInput is what add-customer accepts; empty optional fields are
// stored as absent.
type ShopCustomerInput struct {
	ShopCode, AgentCode          string
	Name, Lastname, Phone, Email string
}

const shopCustomerColumns = `c.id, c.code, c.name, c.lastname, c.phone, c.email, s.code, s.name, a.code, a.name,
	c.agent_orders, c.no_agent_orders, c.created_at
	FROM thirdparty_customers c
	JOIN stores s ON s.merchant_id = c.merchant_id AND s.id = c.store_id
	LEFT JOIN thirdparty_agents a ON a.merchant_id = c.merchant_id AND a.id = c.agent_id`

func scanShopCustomer(row pgx.Row) (ShopCustomer, error) {
	var c ShopCustomer
	err := row.Scan(&c.ID, &c.Code, &c.Name, &c.Lastname, &c.Phone, &c.Email, &c.ShopCode, &c.ShopName,
		&c.AgentCode, &c.AgentName, &c.AgentOrders, &c.NoAgentOrders, &c.CreatedAt)
	return c, err
}

// CreateShopCustomer adds a customer to the merchant's shop. It returns
// ErrShopNotFound, ErrAgentNotFound, or ErrAgentOtherShop when the agent
// works at another shop, in that order of checking.
func (s *Store) CreateShopCustomer(ctx context.Context, merchantID int64, in ShopCustomerInput) (ShopCustomer, error) {
	var c ShopCustomer
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		storeID, _, err := shopIDByCode(ctx, tx, merchantID, in.ShopCode)
		if err != nil {
			return err
		}
		var agentID *int64
		if in.AgentCode != "" {
			id, err := agentInShop(ctx, tx, merchantID, in.AgentCode, storeID)
			if err != nil {
				return err
			}
			agentID = &id
		}
		var id int64
		err = tx.QueryRow(ctx, `INSERT INTO thirdparty_customers (merchant_id, store_id, agent_id, name, lastname, phone, email, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			merchantID, storeID, agentID, in.Name, nullIfEmpty(in.Lastname), nullIfEmpty(in.Phone), nullIfEmpty(in.Email),
			s.clock.Now()).Scan(&id)
		if err != nil {
			return err
		}
		c, err = scanShopCustomer(tx.QueryRow(ctx, `SELECT `+shopCustomerColumns+` WHERE c.merchant_id = $1 AND c.id = $2`, merchantID, id))
		return err
	})
	return c, interpretError(err)
}

// ShopCustomerByCode returns the merchant's shop customer with that code, or
// ErrCustomerNotFound.
func (s *Store) ShopCustomerByCode(ctx context.Context, merchantID int64, code string) (ShopCustomer, error) {
	c, err := scanShopCustomer(s.pool.QueryRow(ctx, `SELECT `+shopCustomerColumns+` WHERE c.merchant_id = $1 AND c.code = $2`, merchantID, code))
	if errors.Is(err, pgx.ErrNoRows) {
		return ShopCustomer{}, ErrCustomerNotFound
	}
	return c, interpretError(err)
}

// ListShopCustomers returns one page of the merchant's shop customers, oldest
// first, narrowed to q.ShopCode's shop, q.AgentCode's agent and to names,
// last names, emails or phones containing q.Search, and how many match in
// all. Unknown codes are ErrShopNotFound / ErrAgentNotFound.
func (s *Store) ListShopCustomers(ctx context.Context, merchantID int64, q ThirdpartyQuery) ([]ShopCustomer, int64, error) {
	offset, err := q.offset()
	if err != nil {
		return nil, 0, err
	}
	var customers []ShopCustomer
	var total int64
	err = s.inSnapshot(ctx, func(tx pgx.Tx) error {
		var storeID, agentID *int64
		if q.ShopCode != "" {
			id, _, err := shopIDByCode(ctx, tx, merchantID, q.ShopCode)
			if err != nil {
				return err
			}
			storeID = &id
		}
		if q.AgentCode != "" {
			var id int64
			err := tx.QueryRow(ctx, `SELECT id FROM thirdparty_agents WHERE merchant_id = $1 AND code = $2`, merchantID, q.AgentCode).Scan(&id)
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrAgentNotFound
			} else if err != nil {
				return err
			}
			agentID = &id
		}
		where := ` WHERE c.merchant_id = $1 AND ($2::bigint IS NULL OR c.store_id = $2) AND ($3::bigint IS NULL OR c.agent_id = $3)
			AND ($4 = '' OR c.name ILIKE $5 OR c.lastname ILIKE $5 OR c.email ILIKE $5 OR c.phone ILIKE $5)`
		args := []any{merchantID, storeID, agentID, q.Search, likePattern(q.Search)}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM thirdparty_customers c`+where, args...).Scan(&total); err != nil {
			return err
		}
		customers, err = scanAll(ctx, tx, scanShopCustomer, `SELECT `+shopCustomerColumns+where+` ORDER BY c.id LIMIT $6 OFFSET $7`,
			append(args, q.Limit, offset)...)
		return err
	})
	return customers, total, interpretError(err)
}
