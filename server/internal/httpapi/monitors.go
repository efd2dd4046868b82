package httpapi

import (
	"context"
	"errors"

	"github.com/logister/logister/api"
)

// ListMonitors is not built yet.
func (s *Server) ListMonitors(context.Context, api.ListMonitorsRequestObject) (api.ListMonitorsResponseObject, error) {
	return nil, errors.New("httpapi: ListMonitors is not built yet")
}

// PauseMonitor is not built yet.
func (s *Server) PauseMonitor(context.Context, api.PauseMonitorRequestObject) (api.PauseMonitorResponseObject, error) {
	return nil, errors.New("httpapi: PauseMonitor is not built yet")
}

// ResumeMonitor is not built yet.
func (s *Server) ResumeMonitor(context.Context, api.ResumeMonitorRequestObject) (api.ResumeMonitorResponseObject, error) {
	return nil, errors.New("httpapi: ResumeMonitor is not built yet")
}
