package httpapi

import (
	"bytes"
	"context"
	"html/template"
	"net/http"

	"github.com/logister/logister/api"
	"github.com/logister/logister/server/internal/health"
	"github.com/logister/logister/server/internal/metrics"
)

// GetUp answers the liveness probe. It checks nothing but that the process serves HTTP.
func (s *Server) GetUp(context.Context, api.GetUpRequestObject) (api.GetUpResponseObject, error) {
	return api.GetUp200JSONResponse{Status: api.LivenessStatusOk}, nil
}

// GetReady answers the readiness probe: 200 when every check passes, 503 naming the failing ones.
func (s *Server) GetReady(ctx context.Context, _ api.GetReadyRequestObject) (api.GetReadyResponseObject, error) {
	report := s.deps.Health.Check(ctx)
	body := api.Readiness{Status: api.Ready, Checks: apiChecks(report)}
	if !report.Ready {
		body.Status = api.Unavailable
		return api.GetReady503JSONResponse(body), nil
	}
	return api.GetReady200JSONResponse(body), nil
}

func apiChecks(r health.Report) []api.Check {
	out := make([]api.Check, len(r.Checks))
	for i, c := range r.Checks {
		out[i] = api.Check{Name: c.Name, Ok: c.OK}
		if c.Message != "" {
			out[i].Message = ptr(c.Message)
		}
	}
	return out
}

// GetMetrics serves the Prometheus metrics.
func (s *Server) GetMetrics(context.Context, api.GetMetricsRequestObject) (api.GetMetricsResponseObject, error) {
	var buf bytes.Buffer
	if err := s.deps.Metrics.WriteText(&buf); err != nil {
		return nil, err
	}
	return metricsResponse{buf.Bytes()}, nil
}

// metricsResponse carries the exact Prometheus content type, which the generated text response lacks.
type metricsResponse struct{ body []byte }

func (m metricsResponse) VisitGetMetricsResponse(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", metrics.ContentType)
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(m.body)
	return err
}

// GetOpenAPISpec serves the OpenAPI document this server was generated from.
func (s *Server) GetOpenAPISpec(context.Context, api.GetOpenAPISpecRequestObject) (api.GetOpenAPISpecResponseObject, error) {
	return api.GetOpenAPISpec200ApplicationyamlResponse{
		Body: bytes.NewReader(s.specYAML), ContentLength: int64(len(s.specYAML)),
	}, nil
}

var docsPage = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API reference · {{.}}</title>
<link rel="stylesheet" href="/apidocs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<noscript>The API reference needs JavaScript. The raw description is at <a href="/openapi.yaml">/openapi.yaml</a>.</noscript>
<script src="/apidocs/swagger-ui-bundle.js"></script>
<script src="/apidocs/init.js"></script>
</body>
</html>
`))

// GetAPIDocs serves the API reference page; its scripts and styles are part of the embedded web app.
func (s *Server) GetAPIDocs(context.Context, api.GetAPIDocsRequestObject) (api.GetAPIDocsResponseObject, error) {
	var buf bytes.Buffer
	if err := docsPage.Execute(&buf, s.deps.InstanceName); err != nil {
		return nil, err
	}
	return api.GetAPIDocs200TexthtmlResponse{Body: &buf, ContentLength: int64(buf.Len())}, nil
}
