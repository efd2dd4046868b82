package project

import (
	"context"
	"database/sql"
	"errors"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/store"
)

// Members: the owner, plus users with the role admin or viewer. Owners and admins add, change and
// remove members; anyone but the owner may leave. People without an account are invited by e-mail.

// Members lists the project's owner and members (viewer).
func (s *Service) Members(ctx context.Context, acc *Access) ([]store.MemberListItem, error) {
	return store.ListMembers(ctx, s.db, acc.Project.ID)
}

// AddResult is what AddMember did: added an existing user (Member), or invited the address
// (Invitation).
type AddResult struct {
	Member     *store.MemberListItem
	Invitation *account.ProjectInvitation
}

func (s *Service) accounts() (*account.Service, error) {
	if s.opts.Accounts == nil {
		return nil, errors.New("project: the service has no account service")
	}
	return s.opts.Accounts, nil
}

func checkMemberRole(role Role) error {
	if role != RoleAdmin && role != RoleViewer {
		return apperr.InvalidFields(apperr.FieldError{Field: "role", Message: "must be admin or viewer"})
	}
	return nil
}

// AddMember gives the user with an address a role in the project (admin): an existing user becomes
// a member at once (and is told by e-mail); an address without an account gets an invitation,
// which makes its holder a member when they sign up with it. A new invitation of the same address
// replaces the earlier one.
//
// Errors: apperr Unprocessable for a bad address or role; Conflict "already_owner" or
// "already_member"; Forbidden "invitation_not_allowed" when sign-up is by invitation only and the
// actor, not an instance administrator, invites an address without an account.
func (s *Service) AddMember(ctx context.Context, actor Actor, acc *Access, email string, role Role) (*AddResult, error) {
	accounts, err := s.accounts()
	if err != nil {
		return nil, err
	}
	email, err = account.CheckEmail(email)
	if err != nil {
		return nil, err
	}
	if err := checkMemberRole(role); err != nil {
		return nil, err
	}
	p := acc.Project
	var res AddResult
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := store.UserSummaryByEmail(ctx, tx, email)
		if errors.Is(err, sql.ErrNoRows) {
			if accounts.Signup() == account.SignupInvite && !actor.InstanceAdmin {
				return apperr.ForbiddenCode("invitation_not_allowed",
					"%s has no account, and on this instance only administrators may invite people to sign up.", email)
			}
			res.Invitation, err = accounts.InviteToProject(ctx, tx, account.ProjectInvite{
				Inviter: actor.User, Email: email, ProjectID: p.ID, ProjectName: p.Name, Role: string(role),
			})
			return err
		}
		if err != nil {
			return err
		}
		if p.OwnerID != nil && *p.OwnerID == u.ID {
			return apperr.Conflict("already_owner", "%s owns this project.", email)
		}
		m := &store.ProjectMember{ProjectID: p.ID, UserID: u.ID, Role: string(role)}
		if err := store.InsertMember(ctx, tx, m); errors.Is(err, store.ErrAlreadyMember) {
			return apperr.Conflict("already_member", "%s is a member already; change their role instead.", email)
		} else if err != nil {
			return err
		}
		res.Member = &store.MemberListItem{User: *u, Role: m.Role, AddedAt: m.CreatedAt}
		if u.ID == actor.User.ID {
			return nil // an instance administrator joining: no need to tell them
		}
		return accounts.NotifyAddedToProject(ctx, tx, actor.User, u, p.Name, p.UUID, string(role))
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// target finds a user of the project's team by uuid: the owner (role RoleOwner) or a member.
//
// Errors: apperr NotFound when the user is neither.
func (s *Service) target(ctx context.Context, db bun.IDB, acc *Access, userID uuid.UUID) (*store.UserSummary, Role, error) {
	notFound := apperr.NotFound("No such member.")
	u, err := store.UserSummaryByUUID(ctx, db, userID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", notFound
	}
	if err != nil {
		return nil, "", err
	}
	if acc.Project.OwnerID != nil && *acc.Project.OwnerID == u.ID {
		return u, RoleOwner, nil
	}
	role, err := store.MemberRole(ctx, db, acc.Project.ID, u.ID)
	if err != nil {
		return nil, "", err
	}
	if role == "" {
		return nil, "", notFound
	}
	return u, Role(role), nil
}

// UpdateMember changes a member's role (admin).
//
// Errors: apperr NotFound when the user is not a member; Conflict "owner_role_fixed" for the owner;
// Unprocessable for a bad role.
func (s *Service) UpdateMember(ctx context.Context, acc *Access, userID uuid.UUID, role Role) (*store.MemberListItem, error) {
	if err := checkMemberRole(role); err != nil {
		return nil, err
	}
	u, current, err := s.target(ctx, s.db, acc, userID)
	if err != nil {
		return nil, err
	}
	if current == RoleOwner {
		return nil, apperr.Conflict("owner_role_fixed", "The owner's role cannot be changed.")
	}
	m, err := store.SetMemberRole(ctx, s.db, acc.Project.ID, u.ID, string(role))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFound("No such member.")
	}
	if err != nil {
		return nil, err
	}
	return &store.MemberListItem{User: *u, Role: m.Role, AddedAt: m.CreatedAt}, nil
}

// RemoveMember removes a member from the project: any member may remove themselves (leave); only
// admins and the owner may remove others. The member's assignments in the project are cleared in
// the same transaction.
//
// Errors: apperr NotFound when the user is not a member; Forbidden "insufficient_role" for a viewer
// removing someone else; Conflict "owner_cannot_leave" for the owner.
func (s *Service) RemoveMember(ctx context.Context, actor Actor, acc *Access, userID uuid.UUID) error {
	if actor.User.UUID != userID {
		if err := acc.Require(RoleAdmin); err != nil {
			return err
		}
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, current, err := s.target(ctx, tx, acc, userID)
		if err != nil {
			return err
		}
		if current == RoleOwner {
			return apperr.Conflict("owner_cannot_leave", "The owner cannot be removed from their project; delete it instead.")
		}
		if err := store.DeleteMember(ctx, tx, acc.Project.ID, u.ID); errors.Is(err, sql.ErrNoRows) {
			return apperr.NotFound("No such member.")
		} else if err != nil {
			return err
		}
		return store.ClearAssignments(ctx, tx, acc.Project.ID, u.ID)
	})
}

// Invitations lists the project's pending invitations (admin).
func (s *Service) Invitations(ctx context.Context, acc *Access) ([]*account.ProjectInvitation, error) {
	accounts, err := s.accounts()
	if err != nil {
		return nil, err
	}
	return accounts.ProjectInvitations(ctx, s.db, acc.Project.ID)
}

// RevokeInvitation withdraws a pending invitation (admin).
//
// Errors: apperr NotFound when the project has no such pending invitation.
func (s *Service) RevokeInvitation(ctx context.Context, acc *Access, id uuid.UUID) error {
	accounts, err := s.accounts()
	if err != nil {
		return err
	}
	return accounts.RevokeProjectInvitation(ctx, s.db, acc.Project.ID, id)
}

// AcceptInvitation uses a project invitation link for the signed-in actor, whose address must be
// the invited one, and returns the project as they now see it.
//
// Errors: as account.Service.AcceptProjectInvitation.
func (s *Service) AcceptInvitation(ctx context.Context, actor Actor, token string) (*View, error) {
	accounts, err := s.accounts()
	if err != nil {
		return nil, err
	}
	projectID, err := accounts.AcceptProjectInvitation(ctx, actor.User, token)
	if err != nil {
		return nil, err
	}
	p, err := store.ProjectByID(ctx, s.db, projectID)
	if err != nil {
		return nil, err
	}
	acc, err := s.Access(ctx, actor, p.UUID)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, acc)
}

// UserSummary returns the summary of a user by id, or nil when the user is gone.
func (s *Service) UserSummary(ctx context.Context, userID int64) (*store.UserSummary, error) {
	u, err := store.UserSummaryByID(ctx, s.db, userID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return u, err
}
