package panel

import (
	"errors"

	"golang.org/x/crypto/bcrypt"
)

// MinPasswordLen is the shortest panel password accepted.
const MinPasswordLen = 10

// ErrPasswordTooShort is returned by HashPassword for short passwords.
var ErrPasswordTooShort = errors.New("password too short")

// HashPassword returns the bcrypt hash of a panel password. bcrypt caps its
// input at 72 bytes, so longer passwords are refused rather than silently cut.
func HashPassword(password string) (string, error) {
	if len(password) < MinPasswordLen {
		return "", ErrPasswordTooShort
	}
	if len(password) > 72 {
		return "", errors.New("password longer than 72 bytes")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	return string(h), err
}

// CheckPassword reports whether password matches the bcrypt hash.
func CheckPassword(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}

// dummyHash is compared against when a login names an unknown user, so that
// a wrong e-mail costs as long as a wrong password and timing tells nothing.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password of anyone"), bcrypt.DefaultCost)

// BurnPasswordCheck spends the time of one password check.
func BurnPasswordCheck(password string) {
	_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
}
