package secret

import "testing"

func TestContactLinks(t *testing.T) {
	t.Parallel()
	secret := []byte("0123456789abcdef0123456789abcdef")
	token := SignContact(secret, 7, 123456, "card-key")
	tests := []struct {
		name   string
		secret []byte
		token  string
		key    string
		ok     bool
	}{
		{"OK", secret, token, "card-key", true},
		{"OtherProgram", secret, token, "other-key", false},
		{"OtherSecret", []byte("another secret another secret!!!"), token, "card-key", false},
		{"Tampered", secret, "A" + token[1:], "card-key", false},
		{"Truncated", secret, token[:len(token)-2], "card-key", false},
		{"NotBase64", secret, "!!!", "card-key", false},
		{"Empty", secret, "", "card-key", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, c, ok := VerifyContact(tt.secret, tt.token, tt.key)
			if ok != tt.ok {
				t.Fatalf("got ok=%v, want %v", ok, tt.ok)
			}
			if ok && (m != 7 || c != 123456) {
				t.Errorf("got merchant %d contact %d, want 7 and 123456", m, c)
			}
		})
	}
}
