// Package dashboard builds the signed-in user's summary across their projects (reference 6.9):
// issue and event counts of the last day, monitors by status, the issues assigned to them and
// those that need attention, and a line per project.
//
// The projects are those the user owns or is a member of and that are not archived
// (project.Service.List with store.StateActive). Instance administrators are no exception: like
// GET /api/v1/projects, the dashboard covers their own projects only, not every project of the
// instance.
package dashboard

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/logister/logister/server/internal/project"
	"github.com/logister/logister/server/internal/store"
)

// Service builds dashboards. Its methods are safe for concurrent use.
type Service struct {
	st       *store.Store
	projects *project.Service
	now      func() time.Time
}

// New returns a Service on st, listing projects with projects; now is the clock (nil: time.Now).
func New(st *store.Store, projects *project.Service, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{st: st, projects: projects, now: now}
}

// Window is the span of the dashboard's "last day" counts.
const Window = 24 * time.Hour

// Project is one project's line.
type Project struct {
	Project *store.Project
	store.DashboardProjectStats
	// FailingMonitors counts its monitors in error or missed.
	FailingMonitors int64
	// Events24h counts its events of every type in the window.
	Events24h int64
}

// Issue is an issue with its project.
type Issue struct {
	store.InboxGroup
	Project *store.Project
}

// Summary is the dashboard.
type Summary struct {
	GeneratedAt  time.Time
	ProjectCount int
	OpenIssues   int64
	NewIssues24h int64
	AssignedToMe int64
	Unassigned   int64
	// Events24h counts the events of each type (error, log, metric, transaction, check_in) of
	// the window, every type present.
	Events24h map[string]int64
	// Monitors counts the monitors of each status (store.MonitorOK, ...), every status present.
	Monitors map[string]int64
	// AssignedIssues are the most recently seen open issues assigned to the user, NeedsAttention
	// the most recently seen open issues.
	AssignedIssues []Issue
	NeedsAttention []Issue
	// Projects are the lines, most open issues first, then by name.
	Projects []Project
	// Assignees are the summaries of the issues' assignees, by user id.
	Assignees map[int64]*store.UserSummary
}

// Summary builds the actor's dashboard.
func (s *Service) Summary(ctx context.Context, actor project.Actor) (*Summary, error) {
	views, err := s.projects.List(ctx, actor, store.StateActive)
	if err != nil {
		return nil, err
	}
	now := s.now()
	byID := make(map[int64]*store.Project, len(views))
	ids := make([]int64, 0, len(views))
	for _, v := range views {
		byID[v.ID] = v.Project
		ids = append(ids, v.ID)
	}
	data, err := s.st.Dashboard(ctx, ids, actor.User.ID, now.Add(-Window))
	if err != nil {
		return nil, err
	}
	out := &Summary{
		GeneratedAt: now, ProjectCount: len(ids),
		Events24h: map[string]int64{"error": 0},
		Monitors:  map[string]int64{store.MonitorOK: 0, store.MonitorMissed: 0, store.MonitorError: 0, store.MonitorPaused: 0},
		Projects:  make([]Project, 0, len(ids)),
	}
	for _, t := range store.TelemetryTypes {
		out.Events24h[t] = 0
	}
	for _, st := range data.Projects {
		line := Project{Project: byID[st.ProjectID], DashboardProjectStats: st}
		out.OpenIssues += st.OpenIssues
		out.NewIssues24h += st.NewIssues24h
		out.AssignedToMe += st.AssignedToUser
		out.Unassigned += st.Unassigned
		for typ, n := range st.Events24h {
			out.Events24h[typ] += n
			line.Events24h += n
		}
		for status, n := range st.Monitors {
			out.Monitors[status] += n
		}
		line.FailingMonitors = st.Monitors[store.MonitorError] + st.Monitors[store.MonitorMissed]
		out.Projects = append(out.Projects, line)
	}
	slices.SortStableFunc(out.Projects, func(a, b Project) int {
		return cmp.Compare(b.OpenIssues, a.OpenIssues) // stable: ties keep List's order, by name
	})
	var users []int64
	issues := func(in []store.DashboardIssue) []Issue {
		list := make([]Issue, 0, len(in))
		for _, is := range in {
			list = append(list, Issue{InboxGroup: is.InboxGroup, Project: byID[is.ProjectID]})
			if is.AssignedUserID != nil {
				users = append(users, *is.AssignedUserID)
			}
		}
		return list
	}
	out.AssignedIssues, out.NeedsAttention = issues(data.Assigned), issues(data.NeedsAttention)
	if out.Assignees, err = store.UserSummaries(ctx, s.st.DB, users); err != nil {
		return nil, err
	}
	return out, nil
}
