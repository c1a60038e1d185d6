// Global setup of the worker tests: the outbound target of webhook deliveries, a real HTTP server
// in Node (the network, not Trustdesk), shared by the test files. Tests read its URL with
// inject("webhookReceiver") and what it received from GET <url>/received/<path>.
import { startReceiver } from "../../scripts/webhook-receiver.mjs";

/** @param {{ provide: (key: string, value: unknown) => void }} project */
export default async function setup(project) {
	const receiver = await startReceiver({ quiet: true });
	project.provide("webhookReceiver", receiver.url);
	return () => receiver.close();
}
