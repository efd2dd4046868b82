// Starts Swagger UI on the API reference page (GET /api/docs, served by the Go server), which
// loads /apidocs/swagger-ui-bundle.js before this file and has <div id="swagger-ui"></div>.
// Everything is same-origin: no CDN, and no call to the public spec validator.
(function () {
  function start() {
    window.ui = SwaggerUIBundle({
      url: '/openapi.yaml',
      dom_id: '#swagger-ui',
      deepLinking: true,
      validatorUrl: null,
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
