package httpapi

import (
	"context"
	"math"

	"github.com/logister/logister/api"
	"github.com/logister/logister/server/internal/monitor"
	"github.com/logister/logister/server/internal/project"
)

// Handlers of the "monitors" tag: a project's check-in monitors. Monitors are addressed by their
// uuid; one of another project answers 404 like one that does not exist.

// projectMonitors is where every handler of the monitors tag starts: the caller's access to the
// project the path names, and the monitor service.
func (s *Server) projectMonitors(ctx context.Context) (*project.Access, *monitor.Service, error) {
	return projectService(ctx, s.deps.Monitors, "monitor")
}

// ListMonitors lists the project's monitors with their computed status, most urgent first.
func (s *Server) ListMonitors(ctx context.Context, _ api.ListMonitorsRequestObject) (api.ListMonitorsResponseObject, error) {
	acc, svc, err := s.projectMonitors(ctx)
	if err != nil {
		return nil, err
	}
	list, err := svc.List(ctx, acc.Project.ID)
	if err != nil {
		return nil, err
	}
	out := api.MonitorList{
		Monitors: make([]api.Monitor, 0, len(list.Monitors)),
		Counts: api.MonitorCounts{Ok: list.Counts.OK, Missed: list.Counts.Missed,
			Error: list.Counts.Error, Paused: list.Counts.Paused},
	}
	for i := range list.Monitors {
		out.Monitors = append(out.Monitors, apiMonitor(&list.Monitors[i]))
	}
	return api.ListMonitors200JSONResponse(out), nil
}

// PauseMonitor pauses a monitor (project admins); pausing a paused one changes nothing.
func (s *Server) PauseMonitor(ctx context.Context, req api.PauseMonitorRequestObject) (api.PauseMonitorResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	acc, svc, err := s.projectMonitors(ctx)
	if err != nil {
		return nil, err
	}
	id, err := parseID(req.MonitorId, "monitor")
	if err != nil {
		return nil, err
	}
	m, err := svc.Pause(ctx, acc.Project.ID, id, p.User.ID)
	if err != nil {
		return nil, err
	}
	return api.PauseMonitor200JSONResponse(apiMonitor(m)), nil
}

// ResumeMonitor resumes a paused monitor (project admins); resuming an active one changes nothing.
func (s *Server) ResumeMonitor(ctx context.Context, req api.ResumeMonitorRequestObject) (api.ResumeMonitorResponseObject, error) {
	acc, svc, err := s.projectMonitors(ctx)
	if err != nil {
		return nil, err
	}
	id, err := parseID(req.MonitorId, "monitor")
	if err != nil {
		return nil, err
	}
	m, err := svc.Resume(ctx, acc.Project.ID, id)
	if err != nil {
		return nil, err
	}
	return api.ResumeMonitor200JSONResponse(apiMonitor(m)), nil
}

// apiMonitor is a monitor as the API shows it. Its grace is in whole seconds, rounded up (half an
// odd interval is a fraction); nextExpectedAt is exact.
func apiMonitor(m *monitor.Monitor) api.Monitor {
	return api.Monitor{
		Id: m.UUID, Slug: m.Slug, Environment: m.Environment, Status: api.MonitorStatus(m.Status),
		LastStatus: m.LastStatus, LastCheckInAt: m.LastCheckInAt, LastErrorAt: m.LastErrorAt,
		ExpectedIntervalSeconds: m.ExpectedIntervalSeconds,
		GraceSeconds:            int(math.Ceil(m.Grace().Seconds())),
		NextExpectedAt:          m.NextExpectedAt(), CheckInCount: m.CheckInCount, PausedAt: m.PausedAt,
	}
}
