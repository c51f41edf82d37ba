// Starts Swagger UI on this node's three documents. A file of its own, not an inline script, so that the page's
// Content-Security-Policy can allow scripts from this node only.
window.ui = SwaggerUIBundle({
  urls: [
    { url: "/api/docs", name: "Verigate REST and admin API" },
    { url: "/api/docs/sms-activate.json", name: "sms-activate-compatible API" },
    { url: "/api/docs/5sim.json", name: "5sim-compatible API" }
  ],
  dom_id: "#swagger-ui",
  // No badge from validator.swagger.io: the page calls nothing but this node.
  validatorUrl: null,
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout"
});
