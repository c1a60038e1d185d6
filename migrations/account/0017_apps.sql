CREATE TABLE `app_installations` (
	`id` text PRIMARY KEY NOT NULL,
	`provider_account_id` text NOT NULL,
	`offering_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`version` integer NOT NULL,
	`scopes` text NOT NULL,
	`events` text NOT NULL,
	`pending_version` integer,
	`pending_scopes` text,
	`pending_events` text,
	`config` text NOT NULL,
	`token_id` text NOT NULL,
	`token_synced` integer NOT NULL,
	`status` text NOT NULL,
	`installed_by_id` text NOT NULL,
	`installed_by_name` text NOT NULL,
	`installed_at` integer NOT NULL,
	`uninstalled_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `app_installations_live` ON `app_installations` (`provider_account_id`,`offering_id`) WHERE status = 'active';--> statement-breakpoint
CREATE INDEX `app_installations_unsynced` ON `app_installations` (`token_synced`);--> statement-breakpoint
CREATE TABLE `app_offerings` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`version` integer NOT NULL,
	`scopes` text NOT NULL,
	`config_fields` text NOT NULL,
	`events` text NOT NULL,
	`endpoint_url` text NOT NULL,
	`webhook_endpoint_id` text NOT NULL,
	`published_to` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `app_subscribers` (
	`installation_id` text PRIMARY KEY NOT NULL,
	`offering_id` text NOT NULL,
	`customer_account_id` text NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`installed_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `app_subscribers_offering` ON `app_subscribers` (`offering_id`);--> statement-breakpoint
CREATE INDEX `app_subscribers_customer` ON `app_subscribers` (`customer_account_id`);