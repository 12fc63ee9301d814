package store

import "testing"

func TestAgendaPhone(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"3312345678": "3312345678", "+523312345678": "3312345678", "(33) 1234-5678": "3312345678",
		"+52 1 33 1234 5678": "3312345678", "33 1234": "", "0312345678": "", "331234567x": "", "": "",
		"+1 (212) 555-0100 ext": "",
	} {
		p := &in
		if in == "" {
			p = nil
		}
		got, ok := agendaPhone(p)
		if got != want || ok != (want != "") {
			t.Errorf("%q: got %q %v, want %q", in, got, ok, want)
		}
	}
}
