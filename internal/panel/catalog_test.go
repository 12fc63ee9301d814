package panel

import (
	"io/fs"
	"regexp"
	"sort"
	"testing"
)

func TestCatalogLanguagesHaveTheSameKeys(t *testing.T) {
	t.Parallel()
	for _, pair := range [][2]Lang{{Spanish, English}, {English, Spanish}} {
		for _, k := range pair[0].Keys() {
			if !pair[1].Has(k) {
				t.Errorf("key %q is in %s but not in %s", k, pair[0], pair[1])
			}
		}
	}
}

// usedKey finds the catalog keys the templates name: .T "key" and $.T "key".
var usedKey = regexp.MustCompile(`\.T "([a-z_]+\.[a-z0-9_.]+)"`)

func TestTemplatesUseOnlyKnownKeys(t *testing.T) {
	t.Parallel()
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for _, n := range names {
		b, err := fs.ReadFile(templateFS, n)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range usedKey.FindAllStringSubmatch(string(b), -1) {
			if !Spanish.Has(m[1]) {
				missing = append(missing, n+": "+m[1])
			}
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("template uses a key the catalog lacks: %s", m)
	}
}

func TestTemplatesParse(t *testing.T) {
	t.Parallel()
	if _, err := NewRenderer(); err != nil {
		t.Fatal(err)
	}
}

func TestTranslate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		lang Lang
		key  string
		want string
	}{
		{"Spanish", Spanish, "login.submit", "Entrar"},
		{"English", English, "login.submit", "Log in"},
		{"UnknownKeyShowsItself", English, "no.such", "no.such"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.lang.T(tt.key); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
