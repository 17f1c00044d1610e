// The API's documentation page: Swagger UI, from this site's own copy, on the
// OpenAPI schema. It replaces the page's note on where the schema is.
(function () {
  "use strict";
  var root = document.getElementById("api-docs");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    domNode: root,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // The badge would ask swagger.io to validate the schema.
    validatorUrl: null,
    // The API is read-only: "Try it out" only where reading.
    supportedSubmitMethods: ["get", "head"],
  });
})();
