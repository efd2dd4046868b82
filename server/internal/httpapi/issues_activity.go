package httpapi

import (
	"context"

	"github.com/logister/logister/api"
	"github.com/logister/logister/server/internal/project"
	"github.com/logister/logister/server/internal/store"
)

// Handlers of an issue's activity log, comments and bulk triage (the "issues" tag).

// ListIssueActivity lists a page of an issue's activity, newest first.
func (s *Server) ListIssueActivity(ctx context.Context, req api.ListIssueActivityRequestObject) (api.ListIssueActivityResponseObject, error) {
	acc, svc, id, err := s.oneIssue(ctx, req.IssueId)
	if err != nil {
		return nil, err
	}
	page, err := svc.Activity(ctx, acc.Project.ID, id, deref(req.Params.Cursor), deref(req.Params.Limit))
	if err != nil {
		return nil, err
	}
	out := api.IssueActivityPage{Activities: make([]api.IssueActivity, 0, len(page.Activities))}
	if page.NextCursor != "" {
		out.NextCursor = ptr(page.NextCursor)
	}
	for i := range page.Activities {
		a := &page.Activities[i]
		var actor *store.UserSummary
		if a.ActorUserID != nil {
			actor = page.Actors[*a.ActorUserID]
		}
		out.Activities = append(out.Activities, apiActivity(a, actor))
	}
	return api.ListIssueActivity200JSONResponse(out), nil
}

func apiActivity(a *store.Activity, actor *store.UserSummary) api.IssueActivity {
	out := api.IssueActivity{Id: a.UUID, Kind: api.IssueActivityKind(a.Kind), CreatedAt: a.CreatedAt}
	if actor != nil {
		out.Actor = &api.ActivityActor{Id: actor.UUID, Email: actor.Email, Name: actor.Name}
	}
	d := &a.Data
	if d.From != "" {
		out.FromStatus = ptr(api.IssueStatus(d.From))
	}
	if d.To != "" {
		out.ToStatus = ptr(api.IssueStatus(d.To))
	}
	out.IgnoreUntil, out.IgnoreOccurrences, out.EventId, out.Release = d.IgnoreUntil, d.IgnoreOccurrences, d.EventID, nonEmpty(d.Release)
	if u := d.Assignee; u != nil {
		out.Assignee = &api.ActivityUser{Id: u.ID, Name: u.Name}
	}
	if u := d.Previous; u != nil {
		out.PreviousAssignee = &api.ActivityUser{Id: u.ID, Name: u.Name}
	}
	out.Body = nonEmpty(d.Body)
	return out
}

// CreateIssueComment comments on an issue.
func (s *Server) CreateIssueComment(ctx context.Context, req api.CreateIssueCommentRequestObject) (api.CreateIssueCommentResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	acc, svc, id, err := s.oneIssue(ctx, req.IssueId)
	if err != nil {
		return nil, err
	}
	a, err := svc.Comment(ctx, acc.Project.ID, id, req.Body.Body, p.User.ID)
	if err != nil {
		return nil, err
	}
	author := &store.UserSummary{ID: p.User.ID, UUID: p.User.UUID, Email: p.User.Email, Name: p.User.Name}
	return api.CreateIssueComment201JSONResponse(apiActivity(a, author)), nil
}

// DeleteIssueComment deletes a comment: its author's own, or any for the project's admins.
func (s *Server) DeleteIssueComment(ctx context.Context, req api.DeleteIssueCommentRequestObject) (api.DeleteIssueCommentResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	acc, svc, id, err := s.oneIssue(ctx, req.IssueId)
	if err != nil {
		return nil, err
	}
	commentID, err := parseID(req.ActivityId, "comment")
	if err != nil {
		return nil, err
	}
	moderate := acc.Level.Includes(project.RoleAdmin)
	if err := svc.DeleteComment(ctx, acc.Project.ID, id, commentID, p.User.ID, moderate); err != nil {
		return nil, err
	}
	return api.DeleteIssueComment204Response{}, nil
}

// BulkUpdateIssues applies one triage action to several issues.
func (s *Server) BulkUpdateIssues(ctx context.Context, req api.BulkUpdateIssuesRequestObject) (api.BulkUpdateIssuesResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	acc, svc, err := s.projectIssues(ctx)
	if err != nil {
		return nil, err
	}
	snooze := store.Snooze{Until: req.Body.IgnoreUntil, Occurrences: req.Body.IgnoreOccurrences}
	results, err := svc.Bulk(ctx, acc.Project.ID, req.Body.Ids, string(req.Body.Action), req.Body.UserId, snooze, p.User.ID)
	if err != nil {
		return nil, err
	}
	out := api.BulkIssuesResponse{Results: make([]api.BulkIssueResult, 0, len(results))}
	for _, r := range results {
		out.Results = append(out.Results, api.BulkIssueResult{Id: r.ID, Result: api.BulkIssueResultResult(r.Result)})
	}
	return api.BulkUpdateIssues200JSONResponse(out), nil
}
