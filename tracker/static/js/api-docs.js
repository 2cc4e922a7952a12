// The API docs page: Swagger UI reading the app's own OpenAPI document (no inline script,
// no remote validator, so the page keeps the site's strict CSP).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.spec,
    domNode: root,
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false,
    supportedSubmitMethods: ["get"],
  });
})();
