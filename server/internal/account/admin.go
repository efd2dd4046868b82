package account

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/store"
)

// What operators (the CLI) and instance administrators (the admin API) do to accounts.

// NewUser is what CreateUser needs.
type NewUser struct {
	Email, Name, Password string
	// Admin sets the administrator flag. Creating an administrator completes the first-run setup.
	Admin bool
	// Confirmed skips e-mail confirmation.
	Confirmed bool
	// SignedIn records the creation as the user's first sign-in (the setup link signs its user in).
	SignedIn bool
}

// CreateUser creates a user directly (the CLI and the first-run setup), without any e-mail.
//
// Errors: apperr Unprocessable for bad fields; Conflict "email_taken".
func (s *Service) CreateUser(ctx context.Context, in NewUser) (*User, error) {
	var problems fieldErrors
	name, ferr := checkName(in.Name)
	problems.add(ferr)
	email, ferr := checkEmail(in.Email)
	problems.add(ferr)
	problems.add(checkPassword("password", in.Password))
	if err := problems.err(); err != nil {
		return nil, err
	}
	u := &User{Email: email, Name: name, PasswordHash: s.hasher.Hash(in.Password), IsAdmin: in.Admin}
	now := s.now()
	if in.Confirmed {
		u.ConfirmedAt = &now
	}
	if in.SignedIn {
		u.LastSignInAt = &now
	}
	err := s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := insertUser(ctx, tx, u); errors.Is(err, errEmailTaken) {
			return apperr.Conflict("email_taken", "A user with the address %s exists already.", email)
		} else if err != nil {
			return err
		}
		if in.Admin {
			return completeSetup(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.present(u), nil
}

// Promote makes the user with an address an instance administrator (the CLI). It also completes
// the first-run setup.
//
// Errors: apperr NotFound when no user has the address.
func (s *Service) Promote(ctx context.Context, email string) (*User, error) {
	u, err := s.UserByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	err = s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := updateUser(ctx, tx, u.ID, u, map[string]any{"is_admin": true}); err != nil {
			return err
		}
		return completeSetup(ctx, tx)
	})
	if err != nil {
		return nil, err
	}
	return s.present(u), nil
}

// UserByEmail finds a user by address.
//
// Errors: apperr NotFound.
func (s *Service) UserByEmail(ctx context.Context, email string) (*User, error) {
	u, err := findUser(ctx, s.db, "email = ?", NormalizeEmail(email))
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, apperr.NotFound("No user has the address %s.", NormalizeEmail(email))
	}
	return s.present(u), nil
}

// UserByUUID finds a user by id.
//
// Errors: apperr NotFound.
func (s *Service) UserByUUID(ctx context.Context, id uuid.UUID) (*User, error) {
	u, err := findUser(ctx, s.db, "uuid = ?", id)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, apperr.NotFound("No such user.")
	}
	return s.present(u), nil
}

// UserQuery selects a page of users.
type UserQuery struct {
	// Search, when set, keeps users whose address or name contains it (case-insensitive).
	Search string
	// Cursor continues an earlier page; "" starts with the newest user.
	Cursor string
	// Limit is the page size (1..200; default 50).
	Limit int
}

// UserPage is one page of users, newest first.
type UserPage struct {
	Users []*User
	// NextCursor continues the listing; "" on the last page.
	NextCursor string
}

// ListUsers lists users, newest first, by keyset paging.
//
// Errors: apperr Invalid for a malformed cursor.
func (s *Service) ListUsers(ctx context.Context, q UserQuery) (*UserPage, error) {
	limit := q.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	sel := s.db.NewSelect().Model((*User)(nil)).Order("id DESC").Limit(int64(limit) + 1)
	if search := strings.TrimSpace(q.Search); search != "" {
		pattern := likePattern(strings.ToLower(search))
		sel = sel.Where("(email LIKE ? OR lower(name) LIKE ?)", pattern, pattern)
	}
	if q.Cursor != "" {
		before, err := decodeCursor(q.Cursor)
		if err != nil {
			return nil, err
		}
		sel = sel.Where("id < ?", before)
	}
	var users []*User
	if err := sel.Scan(ctx, &users); err != nil {
		return nil, fmt.Errorf("account: list users: %w", err)
	}
	page := &UserPage{Users: users}
	if len(users) > limit {
		page.Users = users[:limit]
		page.NextCursor = encodeCursor(users[limit-1].ID)
	}
	for _, u := range page.Users {
		s.present(u)
	}
	return page, nil
}

// ConfirmUser confirms a user's address on an administrator's word.
//
// Errors: apperr NotFound.
func (s *Service) ConfirmUser(ctx context.Context, id uuid.UUID) (*User, error) {
	u, err := s.UserByUUID(ctx, id)
	if err != nil || u.Confirmed() {
		return u, err
	}
	if err := updateUser(ctx, s.db, u.ID, u, map[string]any{"confirmed_at": s.now()}); err != nil {
		return nil, err
	}
	return s.present(u), nil
}

// ResendConfirmationTo mails a fresh confirmation link to an unconfirmed user (admin).
//
// Errors: apperr NotFound; Conflict "already_confirmed".
func (s *Service) ResendConfirmationTo(ctx context.Context, id uuid.UUID) error {
	u, err := s.UserByUUID(ctx, id)
	if err != nil {
		return err
	}
	if u.Confirmed() {
		return apperr.Conflict("already_confirmed", "This user has confirmed their address already.")
	}
	return s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return s.sendConfirmation(ctx, tx, u)
	})
}

// SetDisabled disables or re-enables a user. Disabling ends every session and revokes every
// personal access token of the user at once; enabling restores neither (the user signs in again
// and makes new tokens).
//
// Errors: apperr NotFound; Conflict "cannot_disable_self" when actor disables themselves.
func (s *Service) SetDisabled(ctx context.Context, actor *User, id uuid.UUID, disabled bool) (*User, error) {
	u, err := s.UserByUUID(ctx, id)
	if err != nil {
		return nil, err
	}
	if disabled && u.ID == actor.ID {
		return nil, apperr.Conflict("cannot_disable_self", "You cannot disable your own account.")
	}
	err = s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if !disabled {
			return updateUser(ctx, tx, u.ID, u, map[string]any{"disabled_at": nil})
		}
		if u.DisabledAt == nil {
			if err := updateUser(ctx, tx, u.ID, u, map[string]any{"disabled_at": s.now()}); err != nil {
				return err
			}
		}
		if err := revokeSessions(ctx, tx, u.ID, 0); err != nil {
			return err
		}
		return revokeAccessTokens(ctx, tx, u.ID)
	})
	if err != nil {
		return nil, err
	}
	return s.present(u), nil
}

// DeleteUser deletes a user with their sessions, tokens and pending links.
//
// Errors: apperr NotFound; Conflict "cannot_delete_self" when actor deletes themselves, and
// "user_owns_data" when other data still refers to the user (such as projects they own, which must
// be deleted or handed over first).
func (s *Service) DeleteUser(ctx context.Context, actor *User, id uuid.UUID) error {
	u, err := s.UserByUUID(ctx, id)
	if err != nil {
		return err
	}
	if u.ID == actor.ID {
		return apperr.Conflict("cannot_delete_self", "You cannot delete your own account.")
	}
	_, err = s.db.NewDelete().Model((*User)(nil)).Where("id = ?", u.ID).Exec(ctx)
	if isForeignKeyViolation(err) {
		return apperr.Conflict("user_owns_data",
			"This user still owns data (such as projects) that must be deleted or handed over first.")
	}
	if err != nil {
		return fmt.Errorf("account: delete user: %w", err)
	}
	return nil
}

// Invitation is an invitation to sign up: an administrator's, or one into a project.
type Invitation struct {
	Email     string
	ExpiresAt time.Time
	// ProjectName and ProjectRole describe a project invitation; "" for an administrator's.
	ProjectName, ProjectRole string
}

// Invite mails an invitation link (valid InvitationTTL) to an address; it works whatever the
// sign-up mode. A new invitation to the same address replaces the earlier one.
//
// Errors: apperr Unprocessable for a bad address; Conflict "email_taken" when it has an account.
func (s *Service) Invite(ctx context.Context, actor *User, email string) (*Invitation, error) {
	email, ferr := checkEmail(email)
	if ferr != nil {
		return nil, apperr.InvalidFields(*ferr)
	}
	var inv Invitation
	err := s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		existing, err := findUser(ctx, tx, "email = ?", email)
		if err != nil {
			return err
		}
		if existing != nil {
			return apperr.Conflict("email_taken", "%s already has an account.", email)
		}
		token, t, err := s.issueToken(ctx, tx, purposeInvitation, nil, email, &actor.ID, InvitationTTL)
		if err != nil {
			return err
		}
		inv = Invitation{Email: email, ExpiresAt: t.ExpiresAt}
		return s.mailer.Send(ctx, tx, s.invitationMail(email, fmt.Sprintf("%s (%s)", actor.Name, actor.Email), token))
	})
	if err != nil {
		return nil, err
	}
	return &inv, nil
}

// InvitationByToken describes a live invitation without using it.
//
// Errors: apperr NotFound ("invalid_link") or Gone ("link_expired").
func (s *Service) InvitationByToken(ctx context.Context, token string) (*Invitation, error) {
	t, err := s.peekToken(ctx, s.db, token, purposeInvitation, purposeProjectInvitation)
	if err != nil {
		return nil, err
	}
	inv := &Invitation{Email: t.Email, ExpiresAt: t.ExpiresAt}
	if t.ProjectID != nil && t.ProjectRole != nil {
		p, err := store.ProjectByID(ctx, s.db, *t.ProjectID)
		if err != nil {
			return nil, err
		}
		inv.ProjectName, inv.ProjectRole = p.Name, *t.ProjectRole
	}
	return inv, nil
}

// encodeCursor makes an opaque keyset cursor from a row id.
func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10)))
}

func decodeCursor(cursor string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil {
		if id, err := strconv.ParseInt(string(b), 10, 64); err == nil && id > 0 {
			return id, nil
		}
	}
	return 0, apperr.Invalid("invalid_cursor", "The cursor is not valid; start again without it.")
}
