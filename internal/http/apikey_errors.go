package http

import (
	"net/http"
)

// apikeyError is one answer of the apikey POS API's error table: the seed's
// code and Spanish message, and the HTTP status the spec gives it. The same
// code can carry two messages or statuses on different endpoints (the seeds
// reuse err_toolusers_01 and err_toolusers_04), so each variant is its own
// value and endpoints pick theirs.
type apikeyError struct {
	Code    string
	Message string
	Status  int
}

func (e apikeyError) Error() string { return e.Code + ": " + e.Message }

func ae(code string, status int, message string) apikeyError {
	if message == "" {
		panic("apikey error " + code + " without a message") // apikeyAnswer would leave the key out
	}
	return apikeyError{Code: code, Message: message, Status: status}
}

const (
	s400 = http.StatusBadRequest
	s401 = http.StatusUnauthorized
	s403 = http.StatusForbidden
	s404 = http.StatusNotFound
	s409 = http.StatusConflict
	s413 = http.StatusRequestEntityTooLarge
	s422 = http.StatusUnprocessableEntity
	s429 = http.StatusTooManyRequests
	s500 = http.StatusInternalServerError
)

// The error table of the apikey API, endpoint by endpoint, in each table's
// order of checks. Messages are the seeds' (000, 001) byte for byte; codes
// marked ext fill gaps the seeds leave and are listed in api/openapi.yaml.
var (
	errAuth01    = ae("auth_01", s401, "Usuario no autorizado")
	errRequest01 = ae("request_01", s413, "La petición excede el tamaño máximo permitido.") // ext
	// errInternal01 answers an unexpected failure on an endpoint whose seed
	// table has no storage-failure code (listings and lookups). ext
	errRate01     = ae("rate_01", s429, "Demasiadas peticiones, intenta más tarde.") // ext: RATE_LIMIT
	errInternal01 = ae("internal_01", s500, "Error interno del servidor.")
	// The Idempotency-Key header (ledger.md), on every endpoint. ext
	errIdempotency01 = ae("idempotency_01", s422, "Idempotency-Key con formato incorrecto.")
	errIdempotency02 = ae("idempotency_02", s422, "Idempotency-Key ya usada con otra petición.")
	// idempotency_03 is also the answer, for 24 h, to a key whose request
	// committed and lost its answer in a crash: it is never run again.
	errIdempotency03 = ae("idempotency_03", s409, "Hay una petición en curso con la misma Idempotency-Key.")

	// /employee/add and /employee/disable
	errToolusers01Request  = ae("err_toolusers_01", s400, "Error al procesar la petición")
	errToolusers02         = ae("err_toolusers_02", s400, "Parámetro inválido.")
	errToolusers02NotFound = ae("err_toolusers_02", s404, "Parámetro inválido.")
	errToolusers03         = ae("err_toolusers_03", s409, "Ya existe un usuario con el mismo nombre o password")
	errToolusers04Create   = ae("err_toolusers_04", s500, "Error al crear el usuario.")
	errToolusers04Archive  = ae("err_toolusers_04", s500, "Error al archivar el usuario.")

	// /loyalty/contact/add
	errLoyaltyContactAdd02 = ae("loyalty_contact_add_02", s400, "Llave la tarjeta de lealtad indefinido.")
	errLoyaltyContactAdd03 = ae("loyalty_contact_add_03", s400, "Teléfono indefinido.")
	errLoyaltyContactAdd04 = ae("loyalty_contact_add_04", s400, "Teléfono con formato incorrecto.")
	errLoyaltyContactAdd05 = ae("loyalty_contact_add_05", s400, "Nombre indefinido.")
	errLoyaltyContactAdd06 = ae("loyalty_contact_add_06", s400, "Usuario indefinido.")
	errLoyalty02           = ae("loyalty_02", s404, "No existe la tarjeta de lealtad o está deshabilitada.")
	errLoyalty03           = ae("loyalty_03", s403, "No existe la tarjeta de lealtad o está deshabilitada.")
	errToolusers01NotOwner = ae("err_toolusers_01", s403, "El usuario no pertenece al propietario de la API Key.")
	errLoyaltyContactAdd15 = ae("loyalty_contact_add_15", s400, "Lada no soportada")
	errLoyaltyContactAdd09 = ae("loyalty_contact_add_09", s400, "El teléfono es de casa o fijo.")
	errLoyaltyContactAdd10 = ae("loyalty_contact_add_10", s400, "Fecha de cumpleaños indefinida o con formato incorrecto.")
	errLoyaltyContactAdd08 = ae("loyalty_contact_add_08", s403, "Contacto deshabilitado.")
	errLoyaltyContactAdd14 = ae("loyalty_contact_add_14", s409, "Ya existe el contacto.")
	errLoyaltyContactAdd16 = ae("loyalty_contact_add_16", s422, "No cuentas con clientes disponibles.")
	errWelcomeMessage02    = ae("marketing_tools_welcome_message_02", s422, "Error al obtener el WhatsApp.")
	errLoyaltyContactAdd18 = ae("loyalty_contact_add_18", s422, "Saldo insuficiente") // ext: messaging credit used up
	errLoyaltyContactAdd07 = ae("loyalty_contact_add_07", s500, "Error al crear el registro del contacto.")

	// /loyalty/contact/get
	errLoyaltyContactGet02 = ae("loyalty_contact_get_02", s400, "Llave de la tarjeta indefinida.")
	errLoyaltyContactGet03 = ae("loyalty_contact_get_03", s400, "Teléfono con formato incorrecto.")
	errLoyaltyContactGet04 = ae("loyalty_contact_get_04", s404, "La tarjeta de lealtad no existe.")
	errLoyaltyContactGet05 = ae("loyalty_contact_get_05", s404, "El contacto no se encuentra registrado en la tarjeta.")
	errLoyaltyContactGet06 = ae("loyalty_contact_get_06", s400, "Paginación con formato incorrecto.") // ext: limit/offset

	// /loyalty/sale
	errLoyaltySale03       = ae("loyalty_sale_03", s400, "Llave de la tarjeta indefinida.")
	errLoyaltySale04       = ae("loyalty_sale_04", s400, "Teléfono indefinido.")
	errLoyaltySale05       = ae("loyalty_sale_05", s400, "Teléfono con formato incorrecto.")
	errLoyaltySale06       = ae("loyalty_sale_06", s400, "Id del usuario indefinido.")
	errLoyaltySale21       = ae("loyalty_sale_21", s403, "El usuario de la herramienta no pertenece al usuario de la apikey.")
	errLoyaltySale22       = ae("loyalty_sale_22", s403, "El usuario de la herramienta no tiene permisos sobre el monedero.")
	errLoyaltySale07       = ae("loyalty_sale_07", s404, "El contacto no existe.")
	errLoyaltySale08       = ae("loyalty_sale_08", s404, "El contacto no se encuentra registrado en la tarjeta de lealtad.")
	errLoyaltySale11       = ae("loyalty_sale_11", s403, "El contacto está en tu blacklist.")
	errLoyaltySale09       = ae("loyalty_sale_09", s400, "Ticket indefinido.")
	errLoyaltySale10       = ae("loyalty_sale_10", s400, "Monto de la transacción indefinida o debe de ser mayor a 0.")
	errLoyaltySale13       = ae("loyalty_sale_13", s422, "El usuario llegó al límite de canjes por día.")
	errLoyaltySale23       = ae("loyalty_sale_23", s422, "No cuentas con canjes disponibles.")
	errLoyaltySale17       = ae("loyalty_sale_17", s422, "Error al obtener la información de tu WhatsApp.")
	errLoyaltySale15       = ae("loyalty_sale_15", s422, "Saldo insuficiente")
	errLoyaltySale12       = ae("loyalty_sale_12", s500, "Error al generar la venta.")
	errLoyaltySale12Ticket = ae("loyalty_sale_12", s409, "Error al generar la venta.")

	// /wallet/contact/add
	errContactAdd02    = ae("contact_add_02", s400, "Llave de monedero indefinido.")
	errContactAdd03    = ae("contact_add_03", s400, "Teléfono indefinido.")
	errContactAdd04    = ae("contact_add_04", s400, "Teléfono con formato incorrecto.")
	errContactAdd05    = ae("contact_add_05", s400, "Nombre indefinido.")
	errContactAdd06    = ae("contact_add_06", s400, "Usuario indefinido.")
	errContactAdd07    = ae("contact_add_07", s404, "Monedero no existe")
	errWalletManager15 = ae("wallet_manager_15", s400, "Lada no soportada")
	errWalletManager14 = ae("wallet_manager_14", s400, "Teléfono es de casa o fijo")
	errWalletManager09 = ae("wallet_manager_09", s400, "Error en formato de fecha de cumpleaños")
	errWalletManager08 = ae("wallet_manager_08", s409, "El usuario ya se encuentra registrado")
	errWalletManager18 = ae("wallet_manager_18", s422, "No cuentas con clientes disponibles.")
	errWalletManager11 = ae("wallet_manager_11", s422, "Saldo insuficiente")
	errWalletManager10 = ae("wallet_manager_10", s500, "Error generar el contacto nuevo")

	// /wallet/contact/get
	errBalanceGet02 = ae("balance_get_02", s400, "Llave de monedero indefinido.")
	errBalanceGet03 = ae("balance_get_03", s400, "Teléfono con formato incorrecto.")
	errBalanceGet05 = ae("balance_get_05", s404, "Monedero no existe.") // ext
	errBalanceGet04 = ae("balance_get_04", s404, "El contacto no se encuentra registrado en el monedero.")
	errBalanceGet06 = ae("balance_get_06", s400, "Paginación con formato incorrecto.") // ext: limit/offset

	// /wallet/sale
	errNewSale02       = ae("new_sale_02", s400, "Llave de monedero indefinido.")
	errNewSale03       = ae("new_sale_03", s400, "Teléfono indefinido.")
	errNewSale04       = ae("new_sale_04", s400, "Teléfono con formato incorrecto.")
	errNewSale05       = ae("new_sale_05", s400, "Tipo de transacción indefinido.")
	errNewSale06       = ae("new_sale_06", s400, "Monto de transacción indefinido.")
	errNewSale07       = ae("new_sale_07", s400, "Monto de transacción con formato incorrecto.")
	errNewSale08       = ae("new_sale_08", s400, "Puntos a utilizar con formato incorrecto.")
	errNewSale09       = ae("new_sale_09", s400, "Id del usuario indefinido.")
	errNewSale10       = ae("new_sale_10", s404, "Monedero no existe.")
	errNewSale11       = ae("new_sale_11", s400, "Ticket indefinido.")
	errNewSale12       = ae("new_sale_12", s404, "El contacto no se encuentra registrado en el monedero.")
	errNewSale13       = ae("new_sale_13", s403, "El usuario de la herramienta no pertenece al usuario de la apikey.")
	errNewSale14       = ae("new_sale_14", s403, "El usuario de la herramienta no tiene permisos sobre el monedero.")
	errWalletRedeem14  = ae("wallet_redeem_14", s403, "Número de teléfono se encuentra en tu blacklist.")
	errWalletRedeem10  = ae("wallet_redeem_10", s422, "Los puntos a utilizar son mayores a los disponibles.")
	errWalletRedeem18  = ae("wallet_redeem_18", s422, "No cuentas con canjes disponibles.")
	errWalletRedeem13  = ae("wallet_redeem_13", s422, "Saldo insuficiente")
	errNewSale15       = ae("new_sale_15", s409, "Ticket ya registrado con otro contacto.") // ext
	errNewSale16       = ae("new_sale_16", s500, "Error al generar la venta.")              // ext
	errSaleWhatsApp02  = ae("marketing_tools_welcome_message_02", s422, "Error al obtener el WhatsApp.")
	errBalanceUpdate02 = ae("balance_update_02", s400, "Llave de monedero indefinido.")
	errBalanceUpdate03 = ae("balance_update_03", s400, "Teléfono indefinido.")
	errBalanceUpdate04 = ae("balance_update_04", s400, "Teléfono con formato incorrecto.")
	errBalanceUpdate05 = ae("balance_update_05", s400, "Tipo de transacción indefinido.")
	errBalanceUpdate06 = ae("balance_update_06", s400, "Monto de transacción indefinido.")
	errBalanceUpdate07 = ae("balance_update_07", s400, "Monto de transacción con formato incorrecto.")
	errBalanceUpdate08 = ae("balance_update_08", s400, "Id del usuario indefinido.")
	errBalanceUpdate09 = ae("balance_update_09", s404, "Monedero no existe.")
	errBalanceUpdate10 = ae("balance_update_10", s404, "El contacto no se encuentra registrado en el monedero.")
	errBalanceUpdate11 = ae("balance_update_11", s403, "El usuario de la herramienta no pertenece al usuario de la apikey.")
	errBalanceUpdate12 = ae("balance_update_12", s403, "El usuario de la herramienta no tiene permisos sobre el monedero.")
	errWalletBalance10 = ae("wallet_balance_update_10", s403, "Número de teléfono se encuentra en tu blacklist.")
	errWalletBalance07 = ae("wallet_balance_update_07", s422, "Los puntos a remover son mayores a los disponibles.")
	errWalletBalance09 = ae("wallet_balance_update_09", s422, "Saldo insuficiente")
	errBalanceUpdate13 = ae("balance_update_13", s500, "Error al actualizar el saldo.") // ext
)

// writeAPIKeyError answers e in the apikey API's error shape and notes its
// code for the request log.
func writeAPIKeyError(w http.ResponseWriter, r *http.Request, e apikeyError) {
	writeAPIKeyAnswer(w, r, e.Status, apikeyAnswer{code: e.Code, message: e.Message, status: e.Status})
}
