package panel

// catalog holds every text of the pages, Spanish first. Keys are
// "page.item"; a test checks both languages have the same keys and that
// every key the templates use exists.
var catalog = map[Lang]map[string]string{
	Spanish: {
		"layout.skip":     "Saltar al contenido",
		"layout.language": "Idioma",
		"layout.logout":   "Cerrar sesión",
		"layout.menu":     "Menú principal",

		"nav.home":          "Inicio",
		"nav.apikeys":       "Claves API",
		"nav.oauth":         "Clientes OAuth",
		"nav.cards":         "Tarjetas de lealtad",
		"nav.wallets":       "Monederos",
		"nav.collaborators": "Colaboradores",
		"nav.blacklist":     "Lista negra",
		"nav.webhooks":      "Webhooks",
		"nav.contacts":      "Contactos",
		"nav.reports":       "Resumen diario",

		"login.title":    "Iniciar sesión",
		"login.email":    "Correo electrónico",
		"login.password": "Contraseña",
		"login.submit":   "Entrar",
		"login.failed":   "Correo o contraseña incorrectos.",

		"home.title":    "Panel",
		"home.merchant": "Comercio:",
		"home.summary":  "Resumen",

		"error.title":     "Error",
		"error.back":      "Volver al panel",
		"error.csrf":      "La solicitud no es válida o la sesión expiró. Recargue la página e intente de nuevo.",
		"error.internal":  "Ocurrió un error interno. Intente más tarde.",
		"error.not_found": "No encontrado.",
	},
	English: {
		"layout.skip":     "Skip to content",
		"layout.language": "Language",
		"layout.logout":   "Log out",
		"layout.menu":     "Main menu",

		"nav.home":          "Home",
		"nav.apikeys":       "API keys",
		"nav.oauth":         "OAuth clients",
		"nav.cards":         "Loyalty cards",
		"nav.wallets":       "Wallets",
		"nav.collaborators": "Collaborators",
		"nav.blacklist":     "Blacklist",
		"nav.webhooks":      "Webhooks",
		"nav.contacts":      "Contacts",
		"nav.reports":       "Daily summary",

		"login.title":    "Log in",
		"login.email":    "E-mail",
		"login.password": "Password",
		"login.submit":   "Log in",
		"login.failed":   "Wrong e-mail or password.",

		"home.title":    "Panel",
		"home.merchant": "Merchant:",
		"home.summary":  "Summary",

		"error.title":     "Error",
		"error.back":      "Back to the panel",
		"error.csrf":      "The request is not valid or the session expired. Reload the page and try again.",
		"error.internal":  "An internal error occurred. Try again later.",
		"error.not_found": "Not found.",
	},
}
