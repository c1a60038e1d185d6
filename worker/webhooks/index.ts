// Webhooks: what other modules use (an app installation owns an endpoint and hands over its
// token by a signed delivery; facts emit events). See README, "Webhooks".
export { createEndpoint, deleteEndpoint, prepareSecret, rotateSecret, endpointsManagedBy, type NewEndpoint, type PreparedSecret } from "./endpoints";
export { emitEvent, emitEvents, queueDelivery } from "./delivery";
export { signPayload, webhookHeaders } from "./signature";
export { secretKey } from "./secrets";
export { policyOf } from "./ssrf";
export { requestEvents, slaEvent, trustEvent, type WebhookEvent } from "./events";
