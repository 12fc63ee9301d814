package store

import (
	"errors"
	"fmt"
	"strings"
)

// Errors of the third-party shops API's references; each wraps ErrNotFound or
// names a broken relation, so that the HTTP layer can answer each with the
// method's own code.
var (
	// ErrShopNotFound: no shop (store) of the merchant has that code.
	ErrShopNotFound = fmt.Errorf("shop %w", ErrNotFound)
	// ErrAgentNotFound: no sales agent of the merchant has that code.
	ErrAgentNotFound = fmt.Errorf("agent %w", ErrNotFound)
	// ErrCustomerNotFound: no shop customer of the merchant has that code.
	ErrCustomerNotFound = fmt.Errorf("customer %w", ErrNotFound)
	// ErrAgentOtherShop: the agent exists but belongs to another shop.
	ErrAgentOtherShop = errors.New("the agent belongs to another shop")
	// ErrCustomerOtherShop: the customer exists but belongs to another shop.
	ErrCustomerOtherShop = errors.New("the customer belongs to another shop")
)

// MaxThirdpartyLimit bounds a page of the third-party API's lists, so that no
// request can make the server read a merchant's whole table at once.
const MaxThirdpartyLimit = 100

// ThirdpartyQuery pages and narrows a list of the third-party API. Empty
// strings do not narrow.
type ThirdpartyQuery struct {
	Page      int    // 1-based
	Limit     int    // 1..MaxThirdpartyLimit
	Search    string // case-insensitive substring of the listed names (and emails, phones)
	ShopCode  string // only rows of this shop
	AgentCode string // only rows of this agent
}

// maxThirdpartyPage keeps OFFSET far from overflow and from scanning the
// whole table for a page nobody can reach.
const maxThirdpartyPage = 1_000_000

func (q ThirdpartyQuery) offset() (int64, error) {
	if q.Page < 1 || q.Page > maxThirdpartyPage || q.Limit < 1 || q.Limit > MaxThirdpartyLimit {
		return 0, ErrInvalid
	}
	return int64(q.Page-1) * int64(q.Limit), nil
}

// likePattern is an ILIKE pattern matching s anywhere, with LIKE's own
// metacharacters escaped so that a search for "50%" means that text.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}
