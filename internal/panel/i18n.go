package panel

import (
	"fmt"
	"net/http"
)

// Lang is a language of the pages: "es" (the default) or "en".
type Lang string

// The languages the catalog has.
const (
	Spanish Lang = "es"
	English Lang = "en"
)

// ParseLang returns the language named by s, or ok=false.
func ParseLang(s string) (Lang, bool) {
	switch Lang(s) {
	case Spanish, English:
		return Lang(s), true
	}
	return Spanish, false
}

// LangCookie remembers the visitor's choice of language.
const LangCookie = "puntos_lang"

// RequestLang picks the language: ?lang= first (the switch links), then
// the cookie the switch set, else Spanish.
func RequestLang(r *http.Request) Lang {
	if l, ok := ParseLang(r.URL.Query().Get("lang")); ok {
		return l
	}
	if c, err := r.Cookie(LangCookie); err == nil {
		if l, ok := ParseLang(c.Value); ok {
			return l
		}
	}
	return Spanish
}

// T translates key, formatting args into it like fmt.Sprintf. A key missing
// from English falls back to Spanish, and a missing key shows itself, which
// the catalog test forbids.
func (l Lang) T(key string, args ...any) string {
	msg, ok := catalog[l][key]
	if !ok {
		if msg, ok = catalog[Spanish][key]; !ok {
			msg = key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// Has reports whether the catalog has key in language l.
func (l Lang) Has(key string) bool {
	_, ok := catalog[l][key]
	return ok
}

// Keys lists the catalog's keys in language l.
func (l Lang) Keys() []string {
	keys := make([]string, 0, len(catalog[l]))
	for k := range catalog[l] {
		keys = append(keys, k)
	}
	return keys
}
