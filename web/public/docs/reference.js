// Starts Swagger UI on the API reference page (/api/v1/docs). A file, not an inline script, so the
// page's Content-Security-Policy can be script-src 'self' (worker/http/security-headers.ts).
const root = document.getElementById("reference");
window.ui = SwaggerUIBundle({ url: root.dataset.openapi, dom_id: "#reference", deepLinking: true, tryItOutEnabled: false });
