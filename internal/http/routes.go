package http

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/puntos/puntos/internal/ledger"
)

// routes is the whole route tree of the server, every API family in one place.
func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(s.observe)

	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Method(http.MethodGet, "/metrics", s.metrics.Handler())
	r.Get("/openapi.yaml", serveOpenAPI)

	// The merchant panel: HTML pages, one session cookie, CSRF tokens.
	r.Handle("/panel/assets/*", servePanelAsset())
	r.Group(func(r chi.Router) {
		r.Use(pageHeaders, s.crossOrigin)
		// The customer page of a card or wallet (*_app_client), public.
		r.Get("/c/{key}", s.customerProgram)
		r.Get("/c/{key}/{token}", s.customerPage)
		// The cashier page of a card or wallet (*_app_redeem): PIN login, sales by phone.
		r.Get("/r/{key}", s.cashierPage)
		r.Post("/r/{key}/login", s.cashierLogin)
		r.Post("/r/{key}/sale", s.cashierSale)
		r.Post("/r/{key}/logout", s.cashierLogout)
		r.Get("/panel/login", s.panelLoginForm)
		r.Post("/panel/login", s.panelLogin)
		r.Group(func(r chi.Router) {
			r.Use(s.panelAuth)
			r.Get("/panel", s.panelHome)
			r.Post("/panel/logout", s.panelLogout)
			r.Get("/panel/apikeys", s.panelAPIKeys)
			r.Post("/panel/apikeys", s.panelCreateAPIKey)
			r.Post("/panel/apikeys/{id}/revoke", s.panelRevokeAPIKey)
			r.Get("/panel/oauth-clients", s.panelOAuthClients)
			r.Post("/panel/oauth-clients", s.panelCreateOAuthClient)
			r.Post("/panel/oauth-clients/{id}/revoke", s.panelRevokeOAuthClient)
			r.Get("/panel/cards", s.panelCards)
			r.Post("/panel/cards", s.panelCreateCard)
			r.Get("/panel/cards/{key}", s.panelCard)
			r.Post("/panel/cards/{key}", s.panelUpdateCard)
			r.Get("/panel/wallets", s.panelWallets)
			r.Post("/panel/wallets", s.panelCreateWallet)
			r.Get("/panel/wallets/{key}", s.panelWallet)
			r.Post("/panel/wallets/{key}", s.panelUpdateWallet)
			r.Get("/panel/collaborators", s.panelCollaborators)
			r.Post("/panel/collaborators", s.panelCreateCollaborator)
			r.Get("/panel/collaborators/{id}", s.panelCollaborator)
			r.Post("/panel/collaborators/{id}/permissions", s.panelCollaboratorPermissions)
			r.Post("/panel/collaborators/{id}/archive", s.panelArchiveCollaborator)
			r.Get("/panel/blacklist", s.panelBlacklist)
			r.Post("/panel/blacklist", s.panelBlockPhone)
			r.Post("/panel/blacklist/{phone}/delete", s.panelUnblockPhone)
			r.Get("/panel/contacts", s.panelContacts)
			r.Get("/panel/contacts/{id}", s.panelContact)
			r.Get("/panel/reports", s.panelReports)
			r.Get("/panel/webhooks", s.panelWebhooks)
			r.Post("/panel/webhooks/test", s.panelWebhookTest)
		})
	})

	// The JSON API (seed 003): a token, then bearer-authenticated /api routes
	// that answer unknown paths and methods in the API's envelope.
	r.Post("/oauth/token", s.token)
	r.Route("/api", func(r chi.Router) {
		r.Use(s.bearer)
		r.NotFound(s.apiNotFound)
		r.MethodNotAllowed(s.apiMethodNotAllowed)
		r.Group(func(r chi.Router) {
			r.Use(s.idempotent(s.oauthIdemFail))
			r.Post("/transaction", s.postTransaction)
			r.Post("/transaction/checkbook", s.postCheckbook)
			r.Post("/transaction/redeemFullBalance", s.redeemFullBalance)
			r.Post("/transaction/reverse", s.reverse)
			r.Post("/transaction/reverseMany", s.reverseMany)
			r.Post("/transaction/transfer", s.transfer)
			r.Post("/customer", s.registerCustomer)
		})
		r.Get("/transaction/history", s.history)
		r.Get("/transaction/transactionByCode", s.transactionByCode)
		r.Get("/transaction/reloadsByCustomer", s.customerRange(ledger.Coins, "BALANCE RELOAD"))
		r.Get("/transaction/pointsByCustomer", s.customerRange(ledger.Points, ""))
		r.Get("/batch/expiration", s.batchExpiration)
		r.Get("/customer/findByExternalId", s.findByExternalID)
		r.Get("/group/default", s.defaultGroup)
		r.Get("/report/dailySummary/stores", s.storesReport)
		r.Get("/report/dailySummary/products", s.productsReport)
	})

	// The third-party shops API (seed 002): every method authenticates its
	// bearer token with its own bad-token code; POST methods accept the
	// Idempotency-Key header after authentication.
	r.Route("/api/thirdparty/v1", func(r chi.Router) {
		idem := s.idempotent(tpIdemFail)
		r.With(s.tpAuth("add-shop"), idem).Post("/add-shop", s.tpAddShop)
		r.With(s.tpAuth("get-shops")).Get("/get-shops", tpList(s, "shops", s.store.ListShops, tpShop))
		r.With(s.tpAuth("show-shop")).Get("/show-shop", tpShow(s, s.store.ShopByCode, tpShop))
		r.With(s.tpAuth("add-agent"), idem).Post("/add-agent", s.tpAddAgent)
		r.With(s.tpAuth("get-agents")).Get("/get-agents", tpList(s, "agents", s.store.ListAgents, tpAgent))
		r.With(s.tpAuth("show-agent")).Get("/show-agent", tpShow(s, s.store.AgentByCode, tpAgent))
		r.With(s.tpAuth("add-customer"), idem).Post("/add-customer", s.tpAddCustomer)
		r.With(s.tpAuth("get-customers")).Get("/get-customers", tpList(s, "customers", s.store.ListShopCustomers, tpCustomer))
		r.With(s.tpAuth("show-customer")).Get("/show-customer", tpShow(s, s.store.ShopCustomerByCode, tpCustomer))
		r.With(s.tpAuth("add-order"), idem).Post("/add-order", s.tpAddOrder)
	})

	// The admin API: operator token on everything; routes under
	// /merchants/{id} find the merchant first (adminMerchantOf(r)), 404 if unknown.
	r.Route("/admin/v1", func(r chi.Router) {
		r.Use(s.adminAuth)
		r.NotFound(s.adminNoRoute)
		r.MethodNotAllowed(s.adminNoMethod)
		r.Get("/merchants", s.adminListMerchants)
		r.Post("/merchants", s.adminCreateMerchant)
		r.Route("/merchants/{id}", func(r chi.Router) {
			r.Use(s.adminMerchant)
			r.Get("/", s.adminGetMerchant)
			r.Patch("/", s.adminPatchMerchant)

			r.Get("/apikeys", s.adminListCredentials(adminAPIKeys, "apikeys"))
			r.Post("/apikeys", s.adminCreateAPIKey)
			r.Delete("/apikeys/{keyID}", s.adminRevokeCredential(adminAPIKeys, "keyID"))
			r.Get("/oauth-clients", s.adminListCredentials(adminOAuthClients, "oauth_clients"))
			r.Post("/oauth-clients", s.adminCreateOAuthClient)
			r.Delete("/oauth-clients/{clientID}", s.adminRevokeCredential(adminOAuthClients, "clientID"))
			r.Post("/oauth-clients/{clientID}/revoke-tokens", s.adminRevokeTokens)
			r.Post("/groups", s.adminCreateGroup)
			r.Get("/transaction-types", s.adminListTxTypes)
			r.Post("/transaction-types", s.adminCreateTxType)
			r.Get("/thirdparty-tokens", s.adminListCredentials(adminThirdpartyTokens, "thirdparty_tokens"))
			r.Post("/thirdparty-tokens", s.adminCreateThirdpartyToken)
			r.Delete("/thirdparty-tokens/{tokenID}", s.adminRevokeCredential(adminThirdpartyTokens, "tokenID"))

			s.adminCards().routes(s, r, "/loyalty-cards")
			s.adminWallets().routes(s, r, "/wallets")

			r.Get("/blacklist", s.adminBlacklist)
			r.Put("/blacklist/{phone}", s.adminBlockPhone)
			r.Delete("/blacklist/{phone}", s.adminUnblockPhone)

			r.Get("/collaborators", s.adminListCollaborators)
			r.Post("/collaborators", s.adminCreateCollaborator)
			r.Put("/collaborators/{usertoolID}/permissions", s.adminSetPermissions)

			r.Put("/shops/{code}/wallet", s.adminLinkShopWallet)

			r.Get("/ledger/check", s.adminLedgerCheck)

			r.Post("/panel-users", s.adminCreatePanelUser)

			r.Get("/webhooks/deliveries", s.adminWebhookDeliveries)
			r.Post("/webhooks/test", s.adminWebhookTest)
		})
	})

	// The apikey POS API (seeds 000, 001): form, multipart or JSON bodies of
	// at most 64 KiB, authenticated by the apikey header.
	r.Group(func(r chi.Router) {
		r.Use(apikeyBodyLimit, s.apikeyAuth, s.idempotent(s.apikeyIdemFail))
		r.Post("/toolusers/get", s.toolUsersGet)
		r.Post("/employee/add", s.employeeAdd)
		r.Post("/employee/disable", s.employeeDisable)
		r.Post("/loyalty/get", s.loyaltyGet)
		r.Post("/loyalty/contact/add", s.cardContactAdd)
		r.Post("/loyalty/contact/get", s.cardContactGet)
		r.Post("/loyalty/sale", s.loyaltySale)
		r.Post("/wallet/get", s.walletGet)
		r.Post("/wallet/contact/add", s.walletContactAdd)
		r.Post("/wallet/contact/get", s.walletContactGet)
		r.Post("/wallet/sale", s.walletSale)
		r.Post("/wallet/balance/update", s.balanceUpdate)
	})

	return r
}
