package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/project"
	"github.com/logister/logister/server/internal/store"
)

// The authorisation matrix: every app and admin operation of the spec, called as each kind of
// caller, with the exact set of callers that succeed. An operation of the spec without an entry
// fails the test, so new operations must say who may call them.

// who is a kind of caller.
type who int

const (
	anonymous     who = iota
	nonMember         // signed in, with no role in the project
	viewer            // member with the role viewer
	admin             // member with the role admin
	owner             // the project's owner
	instanceAdmin     // an instance administrator with no role in the project
)

var callers = []who{anonymous, nonMember, viewer, admin, owner, instanceAdmin}

func (w who) String() string {
	return [...]string{"anonymous", "non-member", "viewer", "admin", "owner", "instance admin"}[w]
}

// The allowed sets.
var (
	signedIn   = []who{nonMember, viewer, admin, owner, instanceAdmin}
	viewersUp  = []who{viewer, admin, owner, instanceAdmin}
	adminsUp   = []who{admin, owner, instanceAdmin}
	ownersUp   = []who{owner, instanceAdmin}
	adminsOnly = []who{instanceAdmin}
)

// matrixCase is one way of calling an operation.
type matrixCase struct {
	op string // operationId, as in openapi.yaml
	// name tells cases of one operation apart.
	name    string
	allowed []who
	// other gives the status of callers that are neither allowed nor refused by authorisation
	// (a domain conflict, such as the owner leaving their project).
	other map[who]int
	// request builds the request one caller makes; it may first create what the call uses up.
	request func(f *matrix, w who) req
}

// matrix is a server with one project whose team is the callers, and a second, foreign project.
type matrix struct {
	t       *testing.T
	b       *authBundle
	users   map[who]*account.User
	as      map[who]*principal
	tokens  bool // callers use personal access tokens (scope admin) instead of sessions
	project *store.Project
	n       atomic.Int64
}

func (f *matrix) seq() int64 { return f.n.Add(1) }

// team makes a project owned by the owner, with the admin and the viewer as members.
func (f *matrix) team() *store.Project {
	return teamProject(f.t, f.b, f.users[owner], f.users[admin], f.users[viewer], fmt.Sprintf("Team %d", f.seq()))
}

func teamProject(t *testing.T, b *authBundle, owner, admin, viewer *account.User, name string) *store.Project {
	t.Helper()
	ctx := context.Background()
	p, err := b.projects.CreateProject(ctx, project.NewProject{Name: name, OwnerID: &owner.ID})
	require.NoError(t, err)
	for u, role := range map[*account.User]string{admin: store.RoleAdmin, viewer: store.RoleViewer} {
		if u != nil {
			require.NoError(t, store.InsertMember(ctx, b.store.DB, &store.ProjectMember{ProjectID: p.ID, UserID: u.ID, Role: role}))
		}
	}
	return p
}

func (f *matrix) user(email string, confirmed bool) *account.User {
	u, err := f.b.accounts.CreateUser(context.Background(), account.NewUser{Email: email, Name: "Someone", Password: testPassword, Confirmed: confirmed})
	require.NoError(f.t, err)
	return u
}

func (f *matrix) key(p *store.Project) uuid.UUID {
	_, k, err := f.b.projects.CreateKey(context.Background(), p.UUID.String(), "k")
	require.NoError(f.t, err)
	return k.UUID
}

func (f *matrix) invitation(p *store.Project, email string) (uuid.UUID, string) {
	ctx := context.Background()
	inv, err := f.b.accounts.InviteToProject(ctx, f.b.store.DB, account.ProjectInvite{
		Inviter: f.users[owner], Email: email, ProjectID: p.ID, ProjectName: p.Name, Role: store.RoleViewer,
	})
	require.NoError(f.t, err)
	return inv.ID, f.b.linkTo(email)
}

// email is w's address, or an unused one for the anonymous caller.
func (f *matrix) email(w who) string {
	if u := f.users[w]; u != nil {
		return u.Email
	}
	return fmt.Sprintf("nobody%d@example.com", f.seq())
}

func (f *matrix) userID(w who) string {
	if u := f.users[w]; u != nil {
		return u.UUID.String()
	}
	return uuid.NewString()
}

// session starts a browser session for u, as signing in does (without the sign-in rate limit).
func (b *authBundle) session(u *account.User) *principal {
	b.t.Helper()
	sess, err := b.accounts.CreateSession(context.Background(), u, account.ClientInfo{})
	require.NoError(b.t, err)
	return &principal{cookie: &http.Cookie{Name: "logister_session", Value: sess.Secret}, csrf: sess.CSRFToken}
}

func projectPath(p *store.Project, rest string) string {
	return "/api/v1/projects/" + p.UUID.String() + rest
}

func newMatrix(t *testing.T, tokens bool) *matrix {
	t.Helper()
	b := setupAuth(t, nil)
	b.claim()
	f := &matrix{t: t, b: b, tokens: tokens, users: map[who]*account.User{}, as: map[who]*principal{}}
	ctx := context.Background()
	for w, email := range map[who]string{
		nonMember: "stranger@example.com", viewer: "viewer@example.com", admin: "manager@example.com",
		owner: "owner@example.com", instanceAdmin: "admin@example.com",
	} {
		if w != instanceAdmin {
			b.user(email)
		}
		u, err := b.accounts.UserByEmail(ctx, email)
		require.NoError(t, err)
		f.users[w] = u
		if tokens {
			f.as[w] = b.token(email, account.ScopeAdmin)
		} else {
			f.as[w] = b.session(u)
		}
	}
	require.True(t, f.users[instanceAdmin].Admin)
	f.project = f.team()
	return f
}

// matrixCases are the cases of every operation that needs credentials.
var matrixCases = []matrixCase{
	// auth and me: anyone signed in, about themselves.
	{op: "GetSession", allowed: signedIn, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: "/api/v1/session"}
	}},
	{op: "SignOut", allowed: signedIn, request: func(f *matrix, w who) req {
		r := req{method: http.MethodPost, path: "/api/v1/auth/sign-out"}
		if f.users[w] != nil && !f.tokens {
			r.as = f.b.session(f.users[w]) // a session of its own, which the call ends
		}
		return r
	}},
	{op: "UpdateMe", allowed: signedIn, request: func(f *matrix, w who) req {
		return req{method: http.MethodPatch, path: "/api/v1/me", body: map[string]string{"name": "Renamed"}}
	}},
	{op: "ChangePassword", allowed: signedIn, request: func(f *matrix, w who) req {
		return req{method: http.MethodPost, path: "/api/v1/me/password",
			body: map[string]string{"currentPassword": testPassword, "newPassword": testPassword}}
	}},
	{op: "ChangeEmail", allowed: signedIn, request: func(f *matrix, w who) req {
		return req{method: http.MethodPost, path: "/api/v1/me/email",
			body: map[string]string{"currentPassword": testPassword, "email": fmt.Sprintf("new%d@example.com", f.seq())}}
	}},
	{op: "ListTokens", allowed: signedIn, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: "/api/v1/me/tokens"}
	}},
	{op: "CreateToken", allowed: signedIn, request: func(f *matrix, w who) req {
		return req{method: http.MethodPost, path: "/api/v1/me/tokens", body: map[string]string{"name": "t", "scope": "read"}}
	}},
	{op: "RevokeToken", allowed: signedIn, request: func(f *matrix, w who) req {
		id := uuid.NewString()
		if u := f.users[w]; u != nil {
			_, tok, err := f.b.accounts.CreateToken(context.Background(), u, account.NewToken{Name: "x", Scope: account.ScopeRead})
			require.NoError(f.t, err)
			id = tok.UUID.String()
		}
		return req{method: http.MethodDelete, path: "/api/v1/me/tokens/" + id}
	}},
	{op: "AcceptProjectInvitation", allowed: signedIn, request: func(f *matrix, w who) req {
		_, token := f.invitation(f.team(), f.email(w))
		return req{method: http.MethodPost, path: "/api/v1/invitations/" + token + "/accept"}
	}},

	// Projects: anyone signed in lists their own and creates one.
	{op: "ListProjects", allowed: signedIn, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: "/api/v1/projects?state=all"}
	}},
	{op: "CreateProject", allowed: signedIn, request: func(f *matrix, w who) req {
		return req{method: http.MethodPost, path: "/api/v1/projects", body: map[string]string{"name": fmt.Sprintf("New %d", f.seq())}}
	}},
	{op: "GetProject", allowed: viewersUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: projectPath(f.project, "")}
	}},
	{op: "UpdateProject", allowed: adminsUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodPatch, path: projectPath(f.project, ""), body: map[string]string{"description": "changed"}}
	}},
	{op: "ArchiveProject", allowed: ownersUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodPost, path: projectPath(f.team(), "/archive")}
	}},
	{op: "RestoreProject", allowed: ownersUp, request: func(f *matrix, w who) req {
		p := f.team()
		require.NoError(f.t, store.ArchiveProject(context.Background(), f.b.store.DB, p.ID))
		return req{method: http.MethodPost, path: projectPath(p, "/restore")}
	}},
	{op: "DeleteProject", allowed: ownersUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodDelete, path: projectPath(f.team(), "")}
	}},
	{op: "ListProjectMembers", allowed: viewersUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: projectPath(f.project, "/members")}
	}},
	{op: "AddProjectMember", allowed: adminsUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodPost, path: projectPath(f.project, "/members"),
			body: map[string]string{"email": fmt.Sprintf("invitee%d@example.com", f.seq()), "role": "viewer"}}
	}},
	{op: "UpdateProjectMember", allowed: adminsUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodPatch, path: projectPath(f.project, "/members/"+f.users[viewer].UUID.String()),
			body: map[string]string{"role": "viewer"}}
	}},
	{op: "RemoveProjectMember", name: "someone else", allowed: adminsUp, request: func(f *matrix, w who) req {
		u := f.user(fmt.Sprintf("member%d@example.com", f.seq()), true)
		require.NoError(f.t, store.InsertMember(context.Background(), f.b.store.DB,
			&store.ProjectMember{ProjectID: f.project.ID, UserID: u.ID, Role: store.RoleViewer}))
		return req{method: http.MethodDelete, path: projectPath(f.project, "/members/"+u.UUID.String())}
	}},
	{op: "RemoveProjectMember", name: "yourself (leave)", allowed: []who{viewer, admin},
		other: map[who]int{owner: http.StatusConflict, instanceAdmin: http.StatusNotFound},
		request: func(f *matrix, w who) req {
			return req{method: http.MethodDelete, path: projectPath(f.team(), "/members/"+f.userID(w))}
		}},
	{op: "ListProjectInvitations", allowed: adminsUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: projectPath(f.project, "/invitations")}
	}},
	{op: "RevokeProjectInvitation", allowed: adminsUp, request: func(f *matrix, w who) req {
		id, _ := f.invitation(f.project, fmt.Sprintf("pending%d@example.com", f.seq()))
		return req{method: http.MethodDelete, path: projectPath(f.project, "/invitations/"+id.String())}
	}},
	{op: "ListApiKeys", allowed: adminsUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: projectPath(f.project, "/api-keys")}
	}},
	{op: "CreateApiKey", allowed: adminsUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodPost, path: projectPath(f.project, "/api-keys"), body: map[string]string{"name": "CI"}}
	}},
	{op: "RevokeApiKey", allowed: adminsUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodDelete, path: projectPath(f.project, "/api-keys/"+f.key(f.project).String())}
	}},

	// Issues: viewers read and triage.
	{op: "ListIssues", allowed: viewersUp, request: func(f *matrix, w who) req {
		f.issue()
		return req{method: http.MethodGet, path: projectPath(f.project, "/issues?q=is:all&sparkline=24h")}
	}},
	{op: "GetIssue", allowed: viewersUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: projectPath(f.project, "/issues/"+f.issue())}
	}},
	{op: "SetIssueStatus", allowed: viewersUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodPost, path: projectPath(f.project, "/issues/"+f.issue()+"/status"),
			body: map[string]string{"status": "resolved"}}
	}},
	{op: "SetIssueAssignee", allowed: viewersUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodPut, path: projectPath(f.project, "/issues/"+f.issue()+"/assignee"),
			body: map[string]string{"userId": f.users[owner].UUID.String()}}
	}},
	{op: "ListIssueActivity", allowed: viewersUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: projectPath(f.project, "/issues/"+f.issue()+"/activity?limit=10")}
	}},
	{op: "CreateIssueComment", allowed: viewersUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodPost, path: projectPath(f.project, "/issues/"+f.issue()+"/comments"),
			body: map[string]string{"body": "Looking into it."}}
	}},
	// Each caller deletes their own comment (an admin of the instance deletes the owner's); deleting
	// someone else's as a viewer is 403, tested in TestIssueComments.
	{op: "DeleteIssueComment", allowed: viewersUp, request: func(f *matrix, w who) req {
		issue := f.issue()
		author := f.users[w]
		if author == nil || w == nonMember || w == instanceAdmin {
			author = f.users[owner]
		}
		return req{method: http.MethodDelete, path: projectPath(f.project, "/issues/"+issue+"/comments/"+f.comment(issue, author.ID))}
	}},
	{op: "BulkUpdateIssues", allowed: viewersUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodPost, path: projectPath(f.project, "/issues/bulk"),
			body: map[string]any{"ids": []string{f.issue(), f.issue()}, "action": "resolve"}}
	}},
	{op: "ListIssueEvents", allowed: viewersUp, request: func(f *matrix, w who) req {
		issue := f.issue()
		f.occurrence(issue)
		return req{method: http.MethodGet, path: projectPath(f.project, "/issues/"+issue+"/events?limit=10")}
	}},
	{op: "ListIssueRelatedLogs", allowed: viewersUp, request: func(f *matrix, w who) req {
		issue := f.issue()
		f.occurrence(issue)
		return req{method: http.MethodGet, path: projectPath(f.project, "/issues/"+issue+"/related-logs")}
	}},
	{op: "ExportIssue", allowed: viewersUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: projectPath(f.project, "/issues/"+f.issue()+"/export?includeOccurrences=true")}
	}},
	{op: "GetEvent", allowed: viewersUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: projectPath(f.project, "/events/"+f.occurrence(f.issue()))}
	}},

	// Telemetry, monitors, deployments, dashboard.
	{op: "ListEvents", allowed: viewersUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: projectPath(f.project, "/events?period=7d&q=x")}
	}},
	{op: "ListTraces", allowed: viewersUp, request: func(f *matrix, w who) req {
		f.trace()
		return req{method: http.MethodGet, path: projectPath(f.project, "/traces")}
	}},
	{op: "GetTrace", allowed: viewersUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: projectPath(f.project, "/traces/"+f.trace())}
	}},
	{op: "GetDashboard", allowed: signedIn, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: "/api/v1/dashboard"}
	}},
	{op: "ListMonitors", allowed: viewersUp, request: func(f *matrix, w who) req {
		f.monitor()
		return req{method: http.MethodGet, path: projectPath(f.project, "/monitors")}
	}},
	{op: "PauseMonitor", allowed: adminsUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodPost, path: projectPath(f.project, "/monitors/"+f.monitor()+"/pause")}
	}},
	{op: "ResumeMonitor", allowed: adminsUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodPost, path: projectPath(f.project, "/monitors/"+f.monitor()+"/resume")}
	}},
	{op: "ListDeployments", allowed: viewersUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: projectPath(f.project, "/deployments?environment=production&limit=10")}
	}},
	{op: "GetIssueDeploymentContext", allowed: viewersUp, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: projectPath(f.project, "/issues/"+f.issue()+"/deployment")}
	}},

	// The admin API: instance administrators only.
	{op: "AdminListUsers", allowed: adminsOnly, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: "/api/v1/admin/users?q=example"}
	}},
	{op: "AdminDeleteUser", allowed: adminsOnly, request: func(f *matrix, w who) req {
		return req{method: http.MethodDelete, path: "/api/v1/admin/users/" + f.user(fmt.Sprintf("doomed%d@example.com", f.seq()), true).UUID.String()}
	}},
	{op: "AdminConfirmUser", allowed: adminsOnly, request: func(f *matrix, w who) req {
		return req{method: http.MethodPost, path: "/api/v1/admin/users/" + f.user(fmt.Sprintf("c%d@example.com", f.seq()), false).UUID.String() + "/confirm"}
	}},
	{op: "AdminResendConfirmation", allowed: adminsOnly, request: func(f *matrix, w who) req {
		return req{method: http.MethodPost, path: "/api/v1/admin/users/" + f.user(fmt.Sprintf("r%d@example.com", f.seq()), false).UUID.String() + "/resend-confirmation"}
	}},
	{op: "AdminDisableUser", allowed: adminsOnly, request: func(f *matrix, w who) req {
		return req{method: http.MethodPost, path: "/api/v1/admin/users/" + f.user(fmt.Sprintf("d%d@example.com", f.seq()), true).UUID.String() + "/disable"}
	}},
	{op: "AdminEnableUser", allowed: adminsOnly, request: func(f *matrix, w who) req {
		return req{method: http.MethodPost, path: "/api/v1/admin/users/" + f.user(fmt.Sprintf("e%d@example.com", f.seq()), true).UUID.String() + "/enable"}
	}},
	{op: "AdminCreateInvitation", allowed: adminsOnly, request: func(f *matrix, w who) req {
		return req{method: http.MethodPost, path: "/api/v1/admin/invitations", body: map[string]string{"email": fmt.Sprintf("i%d@example.com", f.seq())}}
	}},
	{op: "AdminListMail", allowed: adminsOnly, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: "/api/v1/admin/mail"}
	}},
	{op: "AdminGetInstance", allowed: adminsOnly, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: "/api/v1/admin/instance"}
	}},
	{op: "AdminListProjects", allowed: adminsOnly, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: "/api/v1/admin/projects?q=team"}
	}},
	{op: "AdminGetProjectRateLimits", allowed: adminsOnly, request: func(f *matrix, w who) req {
		return req{method: http.MethodGet, path: "/api/v1/admin/projects/" + f.project.UUID.String() + "/rate-limits"}
	}},
	{op: "AdminSetProjectRateLimits", allowed: adminsOnly, request: func(f *matrix, w who) req {
		return req{method: http.MethodPut, path: "/api/v1/admin/projects/" + f.project.UUID.String() + "/rate-limits",
			body: map[string]any{"requests": 100, "periodSeconds": nil, "authFailures": nil}}
	}},
}

// TestAuthorisationMatrix calls every operation that needs credentials as every kind of caller and
// requires exactly the allowed callers to succeed: the others get 401 (anonymous), 404 (a project
// they may not see, which answers like one that does not exist) or 403 (a role too low, or not an
// instance administrator). It runs once with sessions and once with personal access tokens.
func TestAuthorisationMatrix(t *testing.T) {
	t.Parallel()
	ops := map[string]operation{}
	for _, o := range operations(t) {
		if !slices.Contains(publicOperations, o.op.OperationID) {
			ops[o.op.OperationID] = o
		}
	}
	covered := map[string]bool{}
	for _, c := range matrixCases {
		_, ok := ops[c.op]
		require.True(t, ok, "the matrix names %s, which is not a protected operation of the spec", c.op)
		covered[c.op] = true
	}
	for id := range ops {
		require.True(t, covered[id], "%s has no entry in the authorisation matrix (matrixCases)", id)
	}
	checkMatrixAgainstSpec(t, ops)

	for _, tokens := range []bool{false, true} {
		t.Run(map[bool]string{false: "sessions", true: "tokens"}[tokens], func(t *testing.T) {
			t.Parallel()
			f := newMatrix(t, tokens)
			for _, c := range matrixCases {
				o := ops[c.op]
				for _, w := range callers {
					r := c.request(f, w)
					if r.as == nil && w != anonymous {
						r.as = f.as[w]
					}
					want := expectedStatus(c, o, w)
					rec := f.b.do(r)
					if want == 0 {
						require.True(t, rec.Code >= 200 && rec.Code < 300, "%s %s as %s: want 2xx, got %d %s",
							c.op, c.name, w, rec.Code, rec.Body.String())
						continue
					}
					require.Equal(t, want, rec.Code, "%s %s as %s: %s", c.op, c.name, w, rec.Body.String())
				}
			}
		})
	}
}

// expectedStatus is the status the caller gets: 0 for success (2xx), else the refusal.
func expectedStatus(c matrixCase, o operation, w who) int {
	switch {
	case slices.Contains(c.allowed, w):
		return 0
	case c.other[w] != 0:
		return c.other[w]
	case w == anonymous:
		return http.StatusUnauthorized
	case o.op.Extensions["x-logister-admin-only"] == true:
		return http.StatusForbidden
	case strings.Contains(o.path, "{projectId}") && (w == nonMember):
		return http.StatusNotFound
	}
	return http.StatusForbidden
}

// checkMatrixAgainstSpec requires the matrix to agree with the roles openapi.yaml declares: for an
// operation with x-logister-project-role, the weakest role any of its cases allows is the declared
// one, and instance administrators are allowed wherever anyone with a role is; for admin-only
// operations, only instance administrators.
func checkMatrixAgainstSpec(t *testing.T, ops map[string]operation) {
	t.Helper()
	rank := map[who]int{viewer: 1, admin: 2, owner: 3}
	weakest := map[string]who{}
	for _, c := range matrixCases {
		o := ops[c.op]
		if o.op.Extensions["x-logister-admin-only"] == true {
			require.Equal(t, adminsOnly, c.allowed, c.op)
			continue
		}
		if _, ok := o.op.Extensions["x-logister-project-role"]; !ok {
			require.Equal(t, signedIn, c.allowed, "%s is not about a project: every signed-in user may call it", c.op)
			continue
		}
		require.NotContains(t, c.allowed, nonMember, c.op)
		for _, w := range c.allowed {
			if rank[w] > 0 && (weakest[c.op] == 0 || rank[w] < rank[weakest[c.op]]) {
				weakest[c.op] = w
			}
		}
	}
	for id, o := range ops {
		if role, ok := o.op.Extensions["x-logister-project-role"]; ok {
			require.Equal(t, role, weakest[id].roleName(), "%s declares %v", id, role)
		}
	}
}

func (w who) roleName() string {
	return map[who]string{viewer: "viewer", admin: "admin", owner: "owner"}[w]
}
