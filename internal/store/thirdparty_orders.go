package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// ShopOrder is a sales order of a shop's customer, with the cashback it
// earned when the shop is linked to a wallet.
type ShopOrder struct {
	ID           int64
	Code         string
	ShopCode     string
	ShopName     string
	CustomerCode string
	CustomerName string
	AgentCode    *string
	AgentName    *string
	Amount       ledger.Amount
	Description  string
	WalletKey    *string       // the wallet the order earned in; nil when it earned nothing
	Cashback     ledger.Amount // zero when it earned nothing
	CreatedAt    time.Time
}

// ShopOrderInput is what add-order accepts; Amount is positive.
type ShopOrderInput struct {
	ShopCode, CustomerCode, AgentCode string
	Amount                            ledger.Amount
	Description                       string
}

const shopOrderColumns = `o.id, o.code, s.code, s.name, c.code, c.name, a.code, a.name, o.amount, o.description, w.key, o.cashback, o.created_at
	FROM thirdparty_orders o
	JOIN stores s ON s.merchant_id = o.merchant_id AND s.id = o.store_id
	JOIN thirdparty_customers c ON c.merchant_id = o.merchant_id AND c.id = o.customer_id
	LEFT JOIN thirdparty_agents a ON a.merchant_id = o.merchant_id AND a.id = o.agent_id
	LEFT JOIN wallets w ON w.merchant_id = o.merchant_id AND w.id = o.wallet_id`

func scanShopOrder(row pgx.Row) (ShopOrder, error) {
	var o ShopOrder
	err := row.Scan(&o.ID, &o.Code, &o.ShopCode, &o.ShopName, &o.CustomerCode, &o.CustomerName, &o.AgentCode, &o.AgentName,
		&o.Amount, &o.Description, &o.WalletKey, &o.Cashback, &o.CreatedAt)
	return o, err
}

// CreateShopOrder records a sales order, counts it on its customer and, when
// the shop is linked to a wallet, earns the wallet's cashback for the
// customer's phone, all in one transaction. It returns ErrShopNotFound,
// ErrCustomerNotFound, ErrCustomerOtherShop, ErrAgentNotFound or
// ErrAgentOtherShop, checked in that order.
func (s *Store) CreateShopOrder(ctx context.Context, merchantID int64, in ShopOrderInput) (ShopOrder, error) {
	if !in.Amount.Positive() || in.Amount > ledger.MaxAmount {
		return ShopOrder{}, ErrInvalid
	}
	var o ShopOrder
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		now := s.clock.Now()
		storeID, walletID, err := shopIDByCode(ctx, tx, merchantID, in.ShopCode)
		if err != nil {
			return err
		}
		// Locking the customer serialises its counters and its enrolment.
		cust, err := lockShopCustomer(ctx, tx, merchantID, in.CustomerCode, storeID)
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
		var code string
		err = tx.QueryRow(ctx, `INSERT INTO thirdparty_orders (merchant_id, store_id, customer_id, agent_id, amount, description, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, code`,
			merchantID, storeID, cust.id, agentID, in.Amount, in.Description, now).Scan(&id, &code)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE thirdparty_customers
			SET agent_orders = agent_orders + $3, no_agent_orders = no_agent_orders + $4
			WHERE merchant_id = $1 AND id = $2`, merchantID, cust.id, boolCount(agentID != nil), boolCount(agentID == nil)); err != nil {
			return err
		}
		if walletID != nil {
			earning := orderEarning{id: id, storeID: storeID, code: code, amount: in.Amount, customer: cust}
			if err := s.earnOrderCashback(ctx, tx, merchantID, *walletID, earning, now); err != nil {
				return err
			}
		}
		o, err = scanShopOrder(tx.QueryRow(ctx, `SELECT `+shopOrderColumns+` WHERE o.merchant_id = $1 AND o.id = $2`, merchantID, id))
		return err
	})
	return o, interpretError(err)
}

// lockedCustomer is what an order needs of its customer.
type lockedCustomer struct {
	id                    int64
	name, lastname, email string
	phone                 *string
}

// lockShopCustomer finds the merchant's customer by code, locks it and checks
// that it is a customer of the shop storeID.
func lockShopCustomer(ctx context.Context, tx pgx.Tx, merchantID int64, code string, storeID int64) (lockedCustomer, error) {
	var c lockedCustomer
	var custStore int64
	err := tx.QueryRow(ctx, `SELECT id, store_id, name, coalesce(lastname, ''), coalesce(email, ''), phone
		FROM thirdparty_customers WHERE merchant_id = $1 AND code = $2 FOR UPDATE`, merchantID, code).
		Scan(&c.id, &custStore, &c.name, &c.lastname, &c.email, &c.phone)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return c, ErrCustomerNotFound
	case err != nil:
		return c, err
	case custStore != storeID:
		return c, ErrCustomerOtherShop
	}
	return c, nil
}

func boolCount(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
