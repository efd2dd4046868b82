package httpapi

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/logister/logister/server/internal/apperr"
)

// apiPrefixes are paths that never fall back to the web app: an unknown API path is a JSON 404.
var apiPrefixes = []string{"/api/", "/health/"}

// registerApp serves the embedded web app for every GET that no API route matched: a file when the
// path names one, otherwise index.html, so that client-side routes such as /issues/42 load the app.
func registerApp(e *echo.Echo, app fs.FS) {
	handler := func(c echo.Context) error {
		p := c.Request().URL.Path
		for _, prefix := range apiPrefixes {
			if strings.HasPrefix(p, prefix) {
				return apperr.NotFound("No API endpoint matches %s %s.", c.Request().Method, p)
			}
		}
		if app == nil {
			return c.HTML(http.StatusOK, notBuiltPage)
		}
		name := strings.TrimPrefix(path.Clean("/"+p), "/")
		if name != "" && name != "index.html" {
			if info, err := fs.Stat(app, name); err == nil && !info.IsDir() {
				if strings.HasPrefix(name, "assets/") {
					// Vite puts a content hash in every file name under assets/.
					c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				} else {
					c.Response().Header().Set("Cache-Control", "no-cache")
				}
				return serveFile(c, app, name)
			} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			if path.Ext(name) != "" {
				// A missing file (an old asset, a typo) is a 404, not the app's HTML.
				return apperr.NotFound("No file %s.", p)
			}
		}
		c.Response().Header().Set("Cache-Control", "no-cache")
		return serveFile(c, app, "index.html")
	}
	e.GET("/*", handler)
	e.HEAD("/*", handler)
}

// serveFile answers with one file of app (ranges and conditional requests included).
func serveFile(c echo.Context, app fs.FS, name string) error {
	f, err := app.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		return fmt.Errorf("httpapi: %s is not seekable", name)
	}
	http.ServeContent(c.Response(), c.Request(), name, info.ModTime(), rs)
	return nil
}

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Logister</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>Logister is running</h1>
<p>This binary was compiled without the web app. Build it with <code>make build</code> (or
<code>npm ci &amp;&amp; npm run build</code> before <code>go build</code>).</p>
<p>The API works: see <a href="/api/docs">/api/docs</a>, <a href="/up">/up</a> and
<a href="/health/ready">/health/ready</a>.</p>
</body></html>
`
