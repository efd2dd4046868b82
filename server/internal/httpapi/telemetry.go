package httpapi

import (
	"context"
	"errors"

	"github.com/logister/logister/api"
)

// ListEvents is not built yet.
func (s *Server) ListEvents(context.Context, api.ListEventsRequestObject) (api.ListEventsResponseObject, error) {
	return nil, errors.New("httpapi: ListEvents is not built yet")
}

// ListTraces is not built yet.
func (s *Server) ListTraces(context.Context, api.ListTracesRequestObject) (api.ListTracesResponseObject, error) {
	return nil, errors.New("httpapi: ListTraces is not built yet")
}

// GetTrace is not built yet.
func (s *Server) GetTrace(context.Context, api.GetTraceRequestObject) (api.GetTraceResponseObject, error) {
	return nil, errors.New("httpapi: GetTrace is not built yet")
}

// GetDashboard is not built yet.
func (s *Server) GetDashboard(context.Context, api.GetDashboardRequestObject) (api.GetDashboardResponseObject, error) {
	return nil, errors.New("httpapi: GetDashboard is not built yet")
}
