// The service model of a provider account: services, service instances, service offerings.
import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { accountScope } from "../http/auth";
import { accountStub } from "../http/account-object";
import { unwrap } from "../http/errors";
import { IDEMPOTENCY_PARAMETER, idempotencyKey, idempotencyOf, unwrapCreate } from "../http/idempotency";
import { AccountParams, errors, json, jsonBody, router } from "../http/openapi";
import {
	CreateServiceInput,
	CreateServiceInstanceInput,
	CreateServiceOfferingInput,
	OfferingId,
	Service,
	ServiceId,
	ServiceInstance,
	ServiceInstanceId,
	ServiceOffering,
	UpdateServiceInput,
	UpdateServiceInstanceInput,
	UpdateServiceOfferingInput,
} from "../shared/service-api";

const ServiceModel = z
	.object({ services: z.array(Service), instances: z.array(ServiceInstance), offerings: z.array(ServiceOffering) })
	.meta({ id: "ServiceModel" });

const read = accountScope("services:read");
const write = accountScope("services:write");

const getModel = createRoute({
	method: "get",
	path: "/accounts/{accountId}/service-model",
	tags: ["Services"],
	summary: "Services, service instances and service offerings of the account",
	middleware: read,
	request: { params: AccountParams },
	responses: { 200: json(ServiceModel, "The account's service model."), ...errors(401, 403, 404) },
});

const createService = createRoute({
	method: "post",
	path: "/accounts/{accountId}/services",
	tags: ["Services"],
	summary: "Define a service",
	middleware: [write, idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: AccountParams, body: jsonBody(CreateServiceInput) },
	responses: { 201: json(Service, "The service."), ...errors(400, 401, 403, 404, 409, 415, 422) },
});
const updateService = createRoute({
	method: "patch",
	path: "/accounts/{accountId}/services/{id}",
	tags: ["Services"],
	summary: "Change a service",
	middleware: write,
	request: { params: AccountParams.extend({ id: ServiceId }), body: jsonBody(UpdateServiceInput) },
	responses: { 200: json(Service, "The service."), ...errors(400, 401, 403, 404, 409, 415) },
});
const deleteService = createRoute({
	method: "delete",
	path: "/accounts/{accountId}/services/{id}",
	tags: ["Services"],
	summary: "Delete a service without instances or offerings",
	middleware: write,
	request: { params: AccountParams.extend({ id: ServiceId }) },
	responses: { 204: { description: "Deleted." }, ...errors(400, 401, 403, 404, 409) },
});

const createInstance = createRoute({
	method: "post",
	path: "/accounts/{accountId}/service-instances",
	tags: ["Services"],
	summary: "Add a service instance",
	description: "The first-line team gets requests for the instance unless an SLA names another team.",
	middleware: [write, idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: AccountParams, body: jsonBody(CreateServiceInstanceInput) },
	responses: { 201: json(ServiceInstance, "The service instance."), ...errors(400, 401, 403, 404, 415, 422) },
});
const updateInstance = createRoute({
	method: "patch",
	path: "/accounts/{accountId}/service-instances/{id}",
	tags: ["Services"],
	summary: "Change a service instance",
	middleware: write,
	request: { params: AccountParams.extend({ id: ServiceInstanceId }), body: jsonBody(UpdateServiceInstanceInput) },
	responses: { 200: json(ServiceInstance, "The service instance."), ...errors(400, 401, 403, 404, 415) },
});
const deleteInstance = createRoute({
	method: "delete",
	path: "/accounts/{accountId}/service-instances/{id}",
	tags: ["Services"],
	summary: "Delete a service instance no SLA refers to",
	middleware: write,
	request: { params: AccountParams.extend({ id: ServiceInstanceId }) },
	responses: { 204: { description: "Deleted." }, ...errors(400, 401, 403, 404, 409) },
});

const createOffering = createRoute({
	method: "post",
	path: "/accounts/{accountId}/service-offerings",
	tags: ["Services"],
	summary: "Define a service offering: targets per impact and support hours",
	middleware: [write, idempotencyKey],
	parameters: [IDEMPOTENCY_PARAMETER],
	request: { params: AccountParams, body: jsonBody(CreateServiceOfferingInput) },
	responses: { 201: json(ServiceOffering, "The service offering."), ...errors(400, 401, 403, 404, 415, 422) },
});
const updateOffering = createRoute({
	method: "patch",
	path: "/accounts/{accountId}/service-offerings/{id}",
	tags: ["Services"],
	summary: "Change a service offering",
	middleware: write,
	request: { params: AccountParams.extend({ id: OfferingId }), body: jsonBody(UpdateServiceOfferingInput) },
	responses: { 200: json(ServiceOffering, "The service offering."), ...errors(400, 401, 403, 404, 415) },
});
const deleteOffering = createRoute({
	method: "delete",
	path: "/accounts/{accountId}/service-offerings/{id}",
	tags: ["Services"],
	summary: "Delete a service offering no SLA is based on",
	middleware: write,
	request: { params: AccountParams.extend({ id: OfferingId }) },
	responses: { 204: { description: "Deleted." }, ...errors(400, 401, 403, 404, 409) },
});

const stub = (c: { env: Env; get(key: "account"): { id: string } }) => accountStub(c.env, c.get("account").id);

export const serviceRoutes = router()
	.openapi(getModel, async (c) => c.json(await stub(c).listServiceModel(), 200))
	.openapi(createService, async (c) => c.json(unwrapCreate(c, await stub(c).createService(c.req.valid("json"), idempotencyOf(c))), 201))
	.openapi(updateService, async (c) => c.json(unwrap(await stub(c).updateService(c.req.valid("param").id, c.req.valid("json"))), 200))
	.openapi(deleteService, async (c) => {
		unwrap(await stub(c).deleteService(c.req.valid("param").id));
		return c.body(null, 204);
	})
	.openapi(createInstance, async (c) => c.json(unwrapCreate(c, await stub(c).createServiceInstance(c.req.valid("json"), idempotencyOf(c))), 201))
	.openapi(updateInstance, async (c) => c.json(unwrap(await stub(c).updateServiceInstance(c.req.valid("param").id, c.req.valid("json"))), 200))
	.openapi(deleteInstance, async (c) => {
		unwrap(await stub(c).deleteServiceInstance(c.req.valid("param").id));
		return c.body(null, 204);
	})
	.openapi(createOffering, async (c) => c.json(unwrapCreate(c, await stub(c).createServiceOffering(c.req.valid("json"), idempotencyOf(c))), 201))
	.openapi(updateOffering, async (c) => c.json(unwrap(await stub(c).updateServiceOffering(c.req.valid("param").id, c.req.valid("json"))), 200))
	.openapi(deleteOffering, async (c) => {
		unwrap(await stub(c).deleteServiceOffering(c.req.valid("param").id));
		return c.body(null, 204);
	});
