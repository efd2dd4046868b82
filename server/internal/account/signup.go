package account

import (
	"cmp"
	"context"
	"errors"

	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/apperr"
)

// SignUpInput is a sign-up form.
type SignUpInput struct {
	Name, Email, Password string
	// InvitationToken, when set, is the token of an invitation to Email: an administrator's, or one
	// into a project.
	InvitationToken string
}

// SignUpResult says what a sign-up did.
type SignUpResult struct {
	// User and Session are set when the user was created and signed in at once: an invitation,
	// having reached the mailbox, already proves the address.
	User    *User
	Session *NewSession
}

// SignUp creates an account.
//
// With an invitation, the user is created confirmed and signed in. Without one (only when sign-up
// is open), the user must confirm their address before signing in, and the answer is the same
// whether or not the address already has an account: that address instead receives a reminder (or,
// if still unconfirmed, a fresh confirmation link), so sign-up never reveals who has an account.
//
// Errors: apperr Unprocessable for bad fields (or an address other than the invited one); Conflict
// "setup_required" before the first administrator exists, "email_taken" when an invited address
// already has an account; Forbidden "invitation_required" when sign-up is by invitation only;
// NotFound/Gone for an unusable invitation.
func (s *Service) SignUp(ctx context.Context, in SignUpInput, client ClientInfo) (*SignUpResult, error) {
	var problems fieldErrors
	name, ferr := checkName(in.Name)
	problems.add(ferr)
	email, ferr := checkEmail(in.Email)
	problems.add(ferr)
	problems.add(checkPassword("password", in.Password))
	if err := problems.err(); err != nil {
		return nil, err
	}
	required, err := setupRequired(ctx, s.db)
	if err != nil {
		return nil, err
	}
	if required {
		return nil, apperr.Conflict("setup_required",
			"This instance has no administrator yet: open the setup link the server printed at start-up.")
	}
	if in.InvitationToken == "" && s.opts.Signup == SignupInvite {
		return nil, apperr.ForbiddenCode("invitation_required",
			"Sign-up on this instance is by invitation only. Ask an administrator to invite you.")
	}
	// Hash before looking the address up, so both answers take the same time.
	hash := s.hasher.Hash(in.Password)

	var res SignUpResult
	err = s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if in.InvitationToken != "" {
			return s.acceptInvitation(ctx, tx, in.InvitationToken, &User{Email: email, Name: name, PasswordHash: hash}, client, &res)
		}
		existing, err := findUser(ctx, tx, "email = ?", email)
		if err != nil {
			return err
		}
		if existing != nil {
			return s.signUpTaken(ctx, tx, existing)
		}
		u := &User{Email: email, Name: name, PasswordHash: hash}
		if err := insertUser(ctx, tx, u); errors.Is(err, errEmailTaken) {
			return nil // a concurrent sign-up of the same address won; answer as for any taken address
		} else if err != nil {
			return err
		}
		return s.sendConfirmation(ctx, tx, u)
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// signUpTaken answers a sign-up for an address that has an account, by mail to that address only.
func (s *Service) signUpTaken(ctx context.Context, tx bun.IDB, u *User) error {
	switch {
	case u.Disabled():
		return nil
	case !u.Confirmed():
		// The password stays as first chosen: replacing it would let whoever signs up last own the
		// account once the mailbox owner confirms.
		return s.sendConfirmation(ctx, tx, u)
	default:
		return s.mailer.Send(ctx, tx, s.accountExistsMail(u.Email, u.Name))
	}
}

func (s *Service) sendConfirmation(ctx context.Context, tx bun.IDB, u *User) error {
	token, _, err := s.issueToken(ctx, tx, purposeConfirm, &u.ID, u.Email, nil, ConfirmationTTL)
	if err != nil {
		return err
	}
	return s.mailer.Send(ctx, tx, s.confirmationMail(u.Email, u.Name, token))
}

func (s *Service) acceptInvitation(ctx context.Context, tx bun.Tx, token string, u *User, client ClientInfo, res *SignUpResult) error {
	inv, err := s.consumeToken(ctx, tx, token, purposeInvitation, purposeProjectInvitation)
	if err != nil {
		return err
	}
	if inv.Email != u.Email {
		return apperr.InvalidFields(apperr.FieldError{Field: "email", Message: "must be the address the invitation was sent to"})
	}
	now := s.now()
	u.ConfirmedAt = &now
	u.LastSignInAt = &now
	if err := insertUser(ctx, tx, u); errors.Is(err, errEmailTaken) {
		return apperr.Conflict("email_taken", "This address already has an account. Sign in instead.")
	} else if err != nil {
		return err
	}
	// The invitation proved the mailbox: the user joins every project it was invited into.
	if err := s.joinInvitedProjects(ctx, tx, u, inv); err != nil {
		return err
	}
	sess, err := s.WithDB(tx).CreateSession(ctx, u, client)
	if err != nil {
		return err
	}
	res.User, res.Session = s.present(u), sess
	return nil
}

// ConfirmResult says what a confirmation link did.
type ConfirmResult struct {
	User *User
	// EmailChanged is true for the link of an e-mail change, false for a sign-up confirmation.
	EmailChanged bool
}

// ConfirmEmail uses a confirmation link: it confirms a new account's address, or completes a change
// of address. It does not sign the user in.
//
// Errors: apperr NotFound ("invalid_link") or Gone ("link_expired") for an unusable link; Conflict
// "email_taken" when the new address got an account of its own meanwhile.
func (s *Service) ConfirmEmail(ctx context.Context, token string) (*ConfirmResult, error) {
	var res ConfirmResult
	err := s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		t, err := s.consumeToken(ctx, tx, token, purposeConfirm, purposeEmailChange)
		if err != nil {
			return err
		}
		u, err := lockUser(ctx, tx, *t.UserID)
		if err != nil || u == nil {
			return cmp.Or(err, errUserGone())
		}
		now := s.now()
		sets := map[string]any{}
		if u.ConfirmedAt == nil {
			sets["confirmed_at"] = now
		}
		if t.Purpose == purposeEmailChange {
			res.EmailChanged = true
			sets["email"] = t.Email
			sets["pending_email"] = nil
		}
		if len(sets) > 0 {
			err = updateUser(ctx, tx, u.ID, u, sets)
			if errors.Is(err, errEmailTaken) {
				return apperr.Conflict("email_taken", "This address now belongs to another account, so it cannot be yours.")
			}
			if err != nil {
				return err
			}
		}
		res.User = s.present(u)
		// The link proved the mailbox: the user joins the projects this address was invited into.
		return s.joinInvitedProjects(ctx, tx, u, nil)
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// ResendConfirmation mails a fresh confirmation link to an unconfirmed account's address. It says
// nothing about whether the address has an account.
//
// Errors: apperr Unprocessable for an address that is not one.
func (s *Service) ResendConfirmation(ctx context.Context, email string) error {
	email, ferr := checkEmail(email)
	if ferr != nil {
		return apperr.InvalidFields(*ferr)
	}
	return s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		u, err := findUser(ctx, tx, "email = ?", email)
		if err != nil || u == nil || u.Confirmed() || u.Disabled() {
			return err
		}
		return s.sendConfirmation(ctx, tx, u)
	})
}

// SignIn checks an e-mail and password and starts a session.
//
// Errors: apperr Unauthorized "invalid_credentials" for an unknown address or a wrong password
// (the same answer, in the same time); once the password is right, Forbidden "email_not_confirmed"
// or "account_disabled".
func (s *Service) SignIn(ctx context.Context, email, password string, client ClientInfo) (*User, *NewSession, error) {
	email = NormalizeEmail(email)
	badCredentials := apperr.UnauthorizedCode("invalid_credentials", "The e-mail address or password is not correct.")
	u, err := findUser(ctx, s.db, "email = ?", email)
	if err != nil {
		return nil, nil, err
	}
	if u == nil || len(password) > 4*MaxPasswordLength {
		s.hasher.Waste(password)
		return nil, nil, badCredentials
	}
	ok, stale, err := s.hasher.Verify(password, u.PasswordHash)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, badCredentials
	}
	if u.Disabled() {
		return nil, nil, apperr.ForbiddenCode("account_disabled", "This account is disabled. Ask an administrator.")
	}
	if !u.Confirmed() {
		return nil, nil, apperr.ForbiddenCode("email_not_confirmed",
			"Confirm your e-mail address first: follow the link we sent, or ask for a new one.")
	}
	var sess *NewSession
	err = s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		sets := map[string]any{"last_sign_in_at": s.now()}
		if stale {
			sets["password_hash"] = s.hasher.Hash(password) // cost parameters changed: upgrade
		}
		if err := updateUser(ctx, tx, u.ID, u, sets); err != nil {
			return err
		}
		sess, err = s.WithDB(tx).CreateSession(ctx, u, client)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return s.present(u), sess, nil
}

// RequestPasswordReset mails a password reset link (valid ResetTTL) to the address if it has an
// account. It says nothing about whether it does.
//
// Errors: apperr Unprocessable for an address that is not one.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	email, ferr := checkEmail(email)
	if ferr != nil {
		return apperr.InvalidFields(*ferr)
	}
	return s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		u, err := findUser(ctx, tx, "email = ?", email)
		if err != nil || u == nil || u.Disabled() {
			return err
		}
		token, _, err := s.issueToken(ctx, tx, purposeReset, &u.ID, u.Email, nil, ResetTTL)
		if err != nil {
			return err
		}
		return s.mailer.Send(ctx, tx, s.resetMail(u.Email, u.Name, token))
	})
}

// ResetPassword uses a reset link to set a new password. Having reached the mailbox, it also
// confirms the address. Because a reset is how someone takes an account back, it ends every
// session and revokes every personal access token of the user.
//
// Errors: apperr Unprocessable for a bad password; NotFound ("invalid_link") or Gone
// ("link_expired") for an unusable link.
func (s *Service) ResetPassword(ctx context.Context, token, password string) error {
	if ferr := checkPassword("password", password); ferr != nil {
		return apperr.InvalidFields(*ferr)
	}
	hash := s.hasher.Hash(password)
	return s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		t, err := s.consumeToken(ctx, tx, token, purposeReset)
		if err != nil {
			return err
		}
		u, err := lockUser(ctx, tx, *t.UserID)
		if err != nil || u == nil {
			return cmp.Or(err, errUserGone())
		}
		now := s.now()
		sets := map[string]any{"password_hash": hash, "password_changed_at": now}
		if u.ConfirmedAt == nil && u.Email == t.Email {
			sets["confirmed_at"] = now
		}
		if err := updateUser(ctx, tx, u.ID, u, sets); err != nil {
			return err
		}
		if err := revokeSessions(ctx, tx, u.ID, 0); err != nil {
			return err
		}
		if err := revokeAccessTokens(ctx, tx, u.ID); err != nil {
			return err
		}
		return s.mailer.Send(ctx, tx, s.passwordChangedMail(u.Email, u.Name))
	})
}

// errUserGone answers a link whose user was deleted meanwhile.
func errUserGone() error {
	e := apperr.NotFound("This link is not valid: its account no longer exists.")
	e.Code = "invalid_link"
	return e
}
