package account

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/apperr"
)

// What signed-in users do to their own account.

// UpdateProfile changes a user's display name.
//
// Errors: apperr Unprocessable for a bad name.
func (s *Service) UpdateProfile(ctx context.Context, userID int64, name string) (*User, error) {
	name, ferr := checkName(name)
	if ferr != nil {
		return nil, apperr.InvalidFields(*ferr)
	}
	var u User
	if err := updateUser(ctx, s.db, userID, &u, map[string]any{"name": name}); err != nil {
		return nil, err
	}
	return s.present(&u), nil
}

// checkCurrentPassword verifies a user's current password for a sensitive change.
func (s *Service) checkCurrentPassword(ctx context.Context, userID int64, password string) (*User, error) {
	u, err := findUser(ctx, s.db, "id = ?", userID)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, apperr.NotFound("No such user.")
	}
	ok := false
	if password != "" && len(password) <= 4*MaxPasswordLength {
		if ok, _, err = s.hasher.Verify(password, u.PasswordHash); err != nil {
			return nil, err
		}
	}
	if !ok {
		return nil, apperr.InvalidFields(apperr.FieldError{Field: "currentPassword", Message: "is not your current password"})
	}
	return u, nil
}

// ChangePassword sets a new password after checking the current one, and ends every other session
// of the user (keepSessionID, the caller's own session, stays; 0 when the caller used a token).
// Personal access tokens stay valid.
//
// Errors: apperr Unprocessable for a wrong current password or a bad new one.
func (s *Service) ChangePassword(ctx context.Context, userID, keepSessionID int64, current, password string) error {
	if ferr := checkPassword("newPassword", password); ferr != nil {
		return apperr.InvalidFields(*ferr)
	}
	u, err := s.checkCurrentPassword(ctx, userID, current)
	if err != nil {
		return err
	}
	hash := s.hasher.Hash(password)
	return s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := updateUser(ctx, tx, u.ID, u, map[string]any{"password_hash": hash, "password_changed_at": s.now()}); err != nil {
			return err
		}
		if err := revokeSessions(ctx, tx, u.ID, keepSessionID); err != nil {
			return err
		}
		return s.mailer.Send(ctx, tx, s.passwordChangedMail(u.Email, u.Name))
	})
}

// RequestEmailChange starts moving a user to a new address, after checking their password: the new
// address receives a confirmation link (valid EmailChangeTTL) and the old one a notice. The address
// changes only when the link is used. If the new address has an account of its own, it receives a
// note instead and nothing changes; the answer is the same either way.
//
// Errors: apperr Unprocessable for a bad or unchanged address or a wrong password.
func (s *Service) RequestEmailChange(ctx context.Context, userID int64, current, newEmail string) error {
	email, ferr := checkEmail(newEmail)
	if ferr != nil {
		return apperr.InvalidFields(*ferr)
	}
	u, err := s.checkCurrentPassword(ctx, userID, current)
	if err != nil {
		return err
	}
	if email == u.Email {
		return apperr.InvalidFields(apperr.FieldError{Field: "email", Message: "is already your address"})
	}
	return s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		other, err := findUser(ctx, tx, "email = ?", email)
		if err != nil {
			return err
		}
		if other != nil {
			return s.mailer.Send(ctx, tx, s.emailInUseMail(email))
		}
		token, _, err := s.issueToken(ctx, tx, purposeEmailChange, &u.ID, email, nil, EmailChangeTTL)
		if err != nil {
			return err
		}
		if err := updateUser(ctx, tx, u.ID, u, map[string]any{"pending_email": email}); err != nil {
			return err
		}
		if err := s.mailer.Send(ctx, tx, s.emailChangeMail(email, u.Name, token)); err != nil {
			return err
		}
		return s.mailer.Send(ctx, tx, s.emailChangeNoticeMail(u.Email, u.Name, email))
	})
}
