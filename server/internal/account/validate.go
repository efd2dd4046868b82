package account

import (
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/logister/logister/server/internal/apperr"
)

// Field rules (reference 5.1, with a stronger password minimum).
const (
	// MaxNameLength is the longest display name, in characters.
	MaxNameLength = 100
	// MinPasswordLength is the shortest password, in characters. The reference allows 6; NIST SP
	// 800-63B asks for at least 8 for passwords people choose, and Logister guards error data.
	MinPasswordLength = 8
	// MaxPasswordLength is the longest password, in characters; it bounds the hashing work.
	MaxPasswordLength = 128
	// MaxEmailLength is the longest e-mail address (RFC 5321's path limit).
	MaxEmailLength = 254
	// MaxTokenNameLength is the longest personal access token name.
	MaxTokenNameLength = 100
)

// NormalizeEmail trims and lower-cases an address. Addresses compare case-insensitively everywhere.
func NormalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

// checkEmail returns the normalised address, or an error for the field "email".
func checkEmail(email string) (string, *apperr.FieldError) {
	const field = "email"
	email = NormalizeEmail(email)
	switch {
	case email == "":
		return "", &apperr.FieldError{Field: field, Message: "must not be blank"}
	case len(email) > MaxEmailLength:
		return "", &apperr.FieldError{Field: field, Message: "must be at most 254 characters"}
	}
	addr, err := mail.ParseAddress(email)
	at := strings.LastIndexByte(email, '@')
	if err != nil || addr.Address != email || at < 1 || at == len(email)-1 || strings.ContainsAny(email, " \t\r\n") {
		return "", &apperr.FieldError{Field: field, Message: "must be an e-mail address such as ada@example.com"}
	}
	return email, nil
}

// checkName returns the trimmed name, or an error for the field "name".
func checkName(name string) (string, *apperr.FieldError) {
	const field = "name"
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", &apperr.FieldError{Field: field, Message: "must not be blank"}
	case utf8.RuneCountInString(name) > MaxNameLength:
		return "", &apperr.FieldError{Field: field, Message: "must be at most 100 characters"}
	case strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return "", &apperr.FieldError{Field: field, Message: "must not contain control characters"}
	}
	return name, nil
}

// checkPassword returns a field error when password breaks the length rules. Passwords are used as
// given: no trimming, any characters.
func checkPassword(field, password string) *apperr.FieldError {
	switch n := utf8.RuneCountInString(password); {
	case n < MinPasswordLength:
		return &apperr.FieldError{Field: field, Message: "must be at least 8 characters"}
	case n > MaxPasswordLength:
		return &apperr.FieldError{Field: field, Message: "must be at most 128 characters"}
	}
	return nil
}

// fieldErrors collects field errors and turns them into one 422.
type fieldErrors []apperr.FieldError

func (f *fieldErrors) add(e *apperr.FieldError) {
	if e != nil {
		*f = append(*f, *e)
	}
}

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	return apperr.InvalidFields(f...)
}
