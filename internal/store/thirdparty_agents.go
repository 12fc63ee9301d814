package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"
)

// Agent is a sales agent of one shop.
type Agent struct {
	ID        int64
	Code      string
	Name      string
	Email     string
	Phone     *string
	ShopCode  string
	ShopName  string
	Customers int64 // customers assigned to the agent
	Orders    int64 // orders placed with the agent
	CreatedAt time.Time
}

// AgentInput is what add-agent accepts; the caller has validated it.
type AgentInput struct {
	ShopCode, Name, Email, Phone, Password string
}

const agentColumns = `a.id, a.code, a.name, a.email, a.phone, s.code, s.name,
	(SELECT count(*) FROM thirdparty_customers c WHERE c.merchant_id = a.merchant_id AND c.agent_id = a.id),
	(SELECT count(*) FROM thirdparty_orders o WHERE o.merchant_id = a.merchant_id AND o.agent_id = a.id),
	a.created_at
	FROM thirdparty_agents a JOIN stores s ON s.merchant_id = a.merchant_id AND s.id = a.store_id`

func scanAgent(row pgx.Row) (Agent, error) {
	var a Agent
	err := row.Scan(&a.ID, &a.Code, &a.Name, &a.Email, &a.Phone, &a.ShopCode, &a.ShopName, &a.Customers, &a.Orders, &a.CreatedAt)
	return a, err
}

// CreateAgent adds a sales agent to the merchant's shop, keeping only a
// bcrypt hash of the password. It returns ErrShopNotFound for an unknown shop.
func (s *Store) CreateAgent(ctx context.Context, merchantID int64, in AgentInput) (Agent, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), bcrypt.DefaultCost)
	if err != nil {
		return Agent{}, err // only a password longer than bcrypt's 72 bytes; the caller bounds it
	}
	var a Agent
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		storeID, _, err := shopIDByCode(ctx, tx, merchantID, in.ShopCode)
		if err != nil {
			return err
		}
		var id int64
		err = tx.QueryRow(ctx, `INSERT INTO thirdparty_agents (merchant_id, store_id, name, email, phone, password_hash, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			merchantID, storeID, in.Name, in.Email, nullIfEmpty(in.Phone), string(hash), s.clock.Now()).Scan(&id)
		if err != nil {
			return err
		}
		a, err = scanAgent(tx.QueryRow(ctx, `SELECT `+agentColumns+` WHERE a.merchant_id = $1 AND a.id = $2`, merchantID, id))
		return err
	})
	return a, interpretError(err)
}

// AgentByCode returns the merchant's agent with that code, or ErrAgentNotFound.
func (s *Store) AgentByCode(ctx context.Context, merchantID int64, code string) (Agent, error) {
	a, err := scanAgent(s.pool.QueryRow(ctx, `SELECT `+agentColumns+` WHERE a.merchant_id = $1 AND a.code = $2`, merchantID, code))
	if errors.Is(err, pgx.ErrNoRows) {
		return Agent{}, ErrAgentNotFound
	}
	return a, interpretError(err)
}

// ListAgents returns one page of the merchant's agents, oldest first,
// narrowed to q.ShopCode's shop and to names or emails containing q.Search,
// and how many match in all. An unknown shop code is ErrShopNotFound.
func (s *Store) ListAgents(ctx context.Context, merchantID int64, q ThirdpartyQuery) ([]Agent, int64, error) {
	offset, err := q.offset()
	if err != nil {
		return nil, 0, err
	}
	var agents []Agent
	var total int64
	err = s.inSnapshot(ctx, func(tx pgx.Tx) error {
		var storeID *int64
		if q.ShopCode != "" {
			id, _, err := shopIDByCode(ctx, tx, merchantID, q.ShopCode)
			if err != nil {
				return err
			}
			storeID = &id
		}
		where := ` WHERE a.merchant_id = $1 AND ($2::bigint IS NULL OR a.store_id = $2)
			AND ($3 = '' OR a.name ILIKE $4 OR a.email ILIKE $4)`
		args := []any{merchantID, storeID, q.Search, likePattern(q.Search)}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM thirdparty_agents a`+where, args...).Scan(&total); err != nil {
			return err
		}
		agents, err = scanAll(ctx, tx, scanAgent, `SELECT `+agentColumns+where+` ORDER BY a.id LIMIT $5 OFFSET $6`,
			append(args, q.Limit, offset)...)
		return err
	})
	return agents, total, interpretError(err)
}

// shopIDByCode finds a shop of the merchant by code with its wallet link.
func shopIDByCode(ctx context.Context, tx pgx.Tx, merchantID int64, code string) (id int64, walletID *int64, err error) {
	err = tx.QueryRow(ctx, `SELECT id, wallet_id FROM stores WHERE merchant_id = $1 AND code = $2`, merchantID, code).Scan(&id, &walletID)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil, ErrShopNotFound
	}
	return id, walletID, err
}

// agentInShop finds the merchant's agent by code and checks that it works at
// the shop storeID: ErrAgentNotFound, else ErrAgentOtherShop.
func agentInShop(ctx context.Context, tx pgx.Tx, merchantID int64, code string, storeID int64) (int64, error) {
	var id, agentStore int64
	err := tx.QueryRow(ctx, `SELECT id, store_id FROM thirdparty_agents WHERE merchant_id = $1 AND code = $2`, merchantID, code).Scan(&id, &agentStore)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return 0, ErrAgentNotFound
	case err != nil:
		return 0, err
	case agentStore != storeID:
		return 0, ErrAgentOtherShop
	}
	return id, nil
}
