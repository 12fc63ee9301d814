package panel

import "testing"

func TestPasswords(t *testing.T) {
	t.Parallel()
	if _, err := HashPassword("short"); err != ErrPasswordTooShort {
		t.Errorf("got %v for a short password, want ErrPasswordTooShort", err)
	}
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword(h, "correct horse battery") {
		t.Error("the right password was refused")
	}
	if CheckPassword(h, "correct horse battery!") {
		t.Error("a wrong password was accepted")
	}
}
