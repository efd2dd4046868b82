package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/mail"
	"github.com/logister/logister/server/internal/store"
)

// Invitations into projects. The project service decides who may invite whom (an existing user is
// added at once; only an address without an account is invited); this file keeps the invitations,
// which are one-time tokens like the others (purpose project_invitation, carrying the project and
// the role), and honours them: when the invitee signs up with the link, when they prove the
// mailbox by confirming it (sign-up or e-mail change), or when they accept the link signed in.

// ProjectInvitation is a pending invitation of an address into a project.
type ProjectInvitation struct {
	ID        uuid.UUID
	ProjectID int64
	Email     string
	// Role is what the invitee becomes: store.RoleAdmin or store.RoleViewer.
	Role string
	// InvitedBy is the inviting user's id, nil when that user is gone.
	InvitedBy *int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

func projectInvitationOf(t *oneTimeToken) *ProjectInvitation {
	inv := &ProjectInvitation{ID: t.UUID, Email: t.Email, InvitedBy: t.CreatedBy, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt}
	if t.ProjectID != nil {
		inv.ProjectID = *t.ProjectID
	}
	if t.ProjectRole != nil {
		inv.Role = *t.ProjectRole
	}
	return inv
}

// ProjectInvite is an invitation to make.
type ProjectInvite struct {
	Inviter     *User
	Email       string
	ProjectID   int64
	ProjectName string
	Role        string
}

// CheckEmail normalises an address from a form.
//
// Errors: apperr Unprocessable naming the field "email".
func CheckEmail(email string) (string, error) {
	email, ferr := checkEmail(email)
	if ferr != nil {
		return "", apperr.InvalidFields(*ferr)
	}
	return email, nil
}

// InviteToProject mails an invitation link (valid InvitationTTL) into a project, on db (the
// caller's transaction). A new invitation of the same address into the same project replaces the
// earlier one; invitations into other projects stay. It does not check whether the address has an
// account: the caller adds existing users directly.
func (s *Service) InviteToProject(ctx context.Context, db bun.IDB, in ProjectInvite) (*ProjectInvitation, error) {
	now := s.now()
	_, err := db.NewUpdate().Model((*oneTimeToken)(nil)).Set("used_at = ?", now).
		Where("purpose = ?", purposeProjectInvitation).Where("used_at IS NULL").
		Where("email = ?", in.Email).Where("project_id = ?", in.ProjectID).
		Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("account: retire project invitations: %w", err)
	}
	plaintext := newSecret()
	role := in.Role
	t := &oneTimeToken{
		Purpose: purposeProjectInvitation, TokenDigest: Digest(plaintext), Email: in.Email,
		CreatedBy: &in.Inviter.ID, ExpiresAt: now.Add(InvitationTTL), ProjectID: &in.ProjectID, ProjectRole: &role,
	}
	if _, err := db.NewInsert().Model(t).Returning("*").Exec(ctx); err != nil {
		return nil, fmt.Errorf("account: issue project invitation: %w", err)
	}
	inviter := fmt.Sprintf("%s (%s)", in.Inviter.Name, in.Inviter.Email)
	if err := s.mailer.Send(ctx, db, s.projectInvitationMail(in.Email, inviter, in.ProjectName, role, plaintext)); err != nil {
		return nil, err
	}
	return projectInvitationOf(t), nil
}

// ProjectInvitations lists a project's pending invitations (not used, not expired), newest first.
func (s *Service) ProjectInvitations(ctx context.Context, db bun.IDB, projectID int64) ([]*ProjectInvitation, error) {
	var rows []oneTimeToken
	err := db.NewSelect().Model(&rows).
		Where("purpose = ?", purposeProjectInvitation).Where("project_id = ?", projectID).
		Where("used_at IS NULL").Where("expires_at > ?", s.now()).
		Order("created_at DESC", "id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("account: list project invitations: %w", err)
	}
	out := make([]*ProjectInvitation, len(rows))
	for i := range rows {
		out[i] = projectInvitationOf(&rows[i])
	}
	return out, nil
}

// RevokeProjectInvitation deletes a pending invitation of the project; its link stops working.
//
// Errors: apperr NotFound when the project has no such pending invitation.
func (s *Service) RevokeProjectInvitation(ctx context.Context, db bun.IDB, projectID int64, id uuid.UUID) error {
	res, err := db.NewDelete().Model((*oneTimeToken)(nil)).
		Where("purpose = ?", purposeProjectInvitation).Where("project_id = ?", projectID).
		Where("uuid = ?", id).Where("used_at IS NULL").Exec(ctx)
	if err != nil {
		return fmt.Errorf("account: revoke project invitation: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.NotFound("No such invitation.")
	}
	return nil
}

// AcceptProjectInvitation uses a project invitation link for a signed-in user, whose address must
// be the invited one, and makes them a member. If they are a member or the owner already, their
// role stays. It returns the project's id.
//
// Errors: apperr NotFound ("invalid_link") or Gone ("link_expired") for an unusable link; Forbidden
// "invitation_for_another_address" when the link was sent to another address.
func (s *Service) AcceptProjectInvitation(ctx context.Context, u *User, token string) (int64, error) {
	var projectID int64
	err := s.runInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		t, err := s.consumeToken(ctx, tx, token, purposeProjectInvitation)
		if err != nil {
			return err
		}
		if t.Email != u.Email {
			return apperr.ForbiddenCode("invitation_for_another_address",
				"This invitation was sent to another address. Sign in with that address, or ask for an invitation to yours.")
		}
		projectID = *t.ProjectID
		_, err = store.AddMemberIfAbsent(ctx, tx, *t.ProjectID, u.ID, *t.ProjectRole)
		return err
	})
	return projectID, err
}

// joinInvitedProjects makes u a member of every project whose live invitation was sent to u's
// address, and uses those invitations up. It runs when u has just proven the mailbox (sign-up
// with an invitation, confirmation of the address), in that transaction. accepted, when not nil,
// is a project invitation consumed by the caller, honoured too.
func (s *Service) joinInvitedProjects(ctx context.Context, tx bun.IDB, u *User, accepted *oneTimeToken) error {
	if accepted != nil && accepted.Purpose == purposeProjectInvitation && accepted.Email == u.Email {
		if _, err := store.AddMemberIfAbsent(ctx, tx, *accepted.ProjectID, u.ID, *accepted.ProjectRole); err != nil {
			return err
		}
	}
	var pending []oneTimeToken
	err := tx.NewUpdate().Model((*oneTimeToken)(nil)).Set("used_at = ?", s.now()).
		Where("purpose = ?", purposeProjectInvitation).Where("email = ?", u.Email).
		Where("used_at IS NULL").Where("expires_at > ?", s.now()).
		Returning("*").Scan(ctx, &pending)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("account: use project invitations: %w", err)
	}
	for _, t := range pending {
		if _, err := store.AddMemberIfAbsent(ctx, tx, *t.ProjectID, u.ID, *t.ProjectRole); err != nil {
			return err
		}
	}
	return nil
}

// NotifyAddedToProject mails a user that they were added to a project, on db (the caller's
// transaction).
func (s *Service) NotifyAddedToProject(ctx context.Context, db bun.IDB, actor *User, to *store.UserSummary, projectName string, projectID uuid.UUID, role string) error {
	return s.mailer.Send(ctx, db, s.message("project_member_added", to.Email,
		fmt.Sprintf("You were added to %s", projectName),
		fmt.Sprintf("Hello %s,\n\n%s (%s) added you to the project %s on %s as %s:\n\n  %s",
			to.Name, actor.Name, actor.Email, projectName, s.opts.InstanceName, roleWords(role), s.link("/projects/"+projectID.String()))))
}

func (s *Service) projectInvitationMail(to, inviter, projectName, role, token string) mail.Message {
	return s.message("project_invitation", to, fmt.Sprintf("You are invited to %s", projectName),
		fmt.Sprintf("Hello,\n\n%s invites you to the project %s on %s, where your team tracks errors, as %s. "+
			"Create your account (or, if you have one with this address, sign in) here:\n\n  %s\n\n"+
			"The invitation works once, for %s.",
			inviter, projectName, s.opts.InstanceName, roleWords(role), s.link("/invitations/"+token), hours(InvitationTTL)))
}

func roleWords(role string) string {
	if role == store.RoleAdmin {
		return "an admin (managing its keys, members and settings)"
	}
	return "a viewer (reading and triaging its errors)"
}
