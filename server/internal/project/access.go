package project

import (
	"context"
	"database/sql"
	"errors"

	"github.com/google/uuid"

	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/store"
)

// Role is a user's standing in a project. Each role may do everything the roles before it may.
type Role string

// The roles, weakest first.
const (
	// RoleViewer reads the project and triages its errors.
	RoleViewer Role = store.RoleViewer
	// RoleAdmin also manages the project's keys, members and settings.
	RoleAdmin Role = store.RoleAdmin
	// RoleOwner, the project's creator, also archives, restores and deletes it.
	RoleOwner Role = store.RoleOwner
)

var roleRank = map[Role]int{RoleViewer: 1, RoleAdmin: 2, RoleOwner: 3}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return roleRank[r] > 0 }

// Includes reports whether a holder of r may do what needs required.
func (r Role) Includes(required Role) bool {
	return roleRank[r] > 0 && roleRank[r] >= roleRank[required]
}

// Actor is who acts on projects.
type Actor struct {
	User *account.User
	// InstanceAdmin is true when the actor may read and manage every project as its owner may: an
	// instance administrator signed in with a session or with a token of scope admin. (With a
	// narrower token they are an ordinary user, and see only their own projects.)
	InstanceAdmin bool
}

// ActorOf is the Actor of an authenticated request.
func ActorOf(p *account.Principal) Actor {
	return Actor{User: p.User, InstanceAdmin: p.User.Admin && p.Scope.Includes(account.ScopeAdmin)}
}

// Access is what an actor may do in a project.
type Access struct {
	Project *store.Project
	// Role is the actor's own role in the project, or "" when they have none.
	Role Role
	// Level is what the actor may do: their role, or RoleOwner for instance administrators.
	Level Role
}

// errNoProject answers every project the actor may not see, and every project that does not exist:
// the two are indistinguishable.
func errNoProject() error {
	return apperr.NotFound("No such project.")
}

// Access resolves what actor may do in the project with the uuid.
//
// Errors: apperr NotFound when there is no such project or the actor may not see it (the same
// answer, so that project ids reveal nothing).
func (s *Service) Access(ctx context.Context, actor Actor, id uuid.UUID) (*Access, error) {
	p, err := store.ProjectForUser(ctx, s.db, id, actor.User.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoProject()
	}
	if err != nil {
		return nil, err
	}
	return accessOf(actor, p)
}

func accessOf(actor Actor, p *store.ProjectWithRole) (*Access, error) {
	acc := &Access{Project: &p.Project, Role: Role(p.Role), Level: Role(p.Role)}
	if actor.InstanceAdmin {
		acc.Level = RoleOwner
	}
	if !acc.Level.Valid() {
		return nil, errNoProject()
	}
	return acc, nil
}

// Require refuses an actor whose access is below required.
//
// Errors: apperr Forbidden "insufficient_role".
func (a *Access) Require(required Role) error {
	if a.Level.Includes(required) {
		return nil
	}
	return apperr.ForbiddenCode("insufficient_role", "This needs the project's %s role; yours is %s.", required, a.Level)
}
