package http

import (
	"strconv"

	"github.com/puntos/puntos/internal/ledger"
)

// unitJSON is the seed's unit object: {"id", "name", "sign"}.
func unitJSON(u ledger.Unit) map[string]string {
	return map[string]string{"id": strconv.Itoa(int(u)), "name": u.Name(), "sign": u.Sign()}
}
