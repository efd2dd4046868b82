package httpapi

import (
	"context"
	"errors"

	"github.com/logister/logister/api"
)

// ListIssueEvents is not built yet.
func (s *Server) ListIssueEvents(context.Context, api.ListIssueEventsRequestObject) (api.ListIssueEventsResponseObject, error) {
	return nil, errors.New("httpapi: ListIssueEvents is not built yet")
}

// ListIssueRelatedLogs is not built yet.
func (s *Server) ListIssueRelatedLogs(context.Context, api.ListIssueRelatedLogsRequestObject) (api.ListIssueRelatedLogsResponseObject, error) {
	return nil, errors.New("httpapi: ListIssueRelatedLogs is not built yet")
}

// ExportIssue is not built yet.
func (s *Server) ExportIssue(context.Context, api.ExportIssueRequestObject) (api.ExportIssueResponseObject, error) {
	return nil, errors.New("httpapi: ExportIssue is not built yet")
}

// GetEvent is not built yet.
func (s *Server) GetEvent(context.Context, api.GetEventRequestObject) (api.GetEventResponseObject, error) {
	return nil, errors.New("httpapi: GetEvent is not built yet")
}
