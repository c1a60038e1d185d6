CREATE TABLE `events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`request_id` text NOT NULL,
	`audience` text NOT NULL,
	`request` text,
	`note` text
);
--> statement-breakpoint
CREATE TABLE `inbox` (
	`request_id` text PRIMARY KEY NOT NULL,
	`owner_account_id` text NOT NULL,
	`summary` text NOT NULL,
	`status` text NOT NULL,
	`open` integer NOT NULL,
	`team_id` text,
	`member_id` text,
	`next_target_at` integer,
	`created_at` integer NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `inbox_team_idx` ON `inbox` (`open`,`team_id`,`next_target_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `inbox_member_idx` ON `inbox` (`open`,`member_id`,`next_target_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `inbox_owner_idx` ON `inbox` (`owner_account_id`);--> statement-breakpoint
CREATE TABLE `internal_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`owner_account_id` text NOT NULL,
	`author_id` text NOT NULL,
	`author_name` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `internal_notes_request_idx` ON `internal_notes` (`request_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `request_audit` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` text NOT NULL,
	`at` integer NOT NULL,
	`actor_name` text NOT NULL,
	`actor_account_id` text NOT NULL,
	`field` text NOT NULL,
	`from_value` text,
	`to_value` text
);
--> statement-breakpoint
CREATE INDEX `request_audit_request_idx` ON `request_audit` (`request_id`,`id`);--> statement-breakpoint
CREATE TABLE `request_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`author_id` text NOT NULL,
	`author_name` text NOT NULL,
	`author_account_id` text NOT NULL,
	`body` text NOT NULL,
	`internal` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `request_notes_request_idx` ON `request_notes` (`request_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `requests` (
	`id` text PRIMARY KEY NOT NULL,
	`number` integer NOT NULL,
	`subject` text NOT NULL,
	`category` text NOT NULL,
	`impact` text NOT NULL,
	`status` text NOT NULL,
	`completion_reason` text,
	`requested_by_id` text NOT NULL,
	`requested_by_name` text NOT NULL,
	`requested_for_id` text NOT NULL,
	`requested_for_name` text NOT NULL,
	`owner_name` text NOT NULL,
	`provider_account_id` text,
	`provider_name` text,
	`sla_id` text,
	`service_name` text NOT NULL,
	`instance_id` text NOT NULL,
	`instance_name` text NOT NULL,
	`team_account_id` text,
	`team_id` text,
	`team_name` text,
	`member_id` text,
	`member_name` text,
	`reopen_count` integer DEFAULT 0 NOT NULL,
	`assignment_count` integer DEFAULT 0 NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`completed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `requests_number_unique` ON `requests` (`number`);--> statement-breakpoint
CREATE INDEX `requests_requested_for_idx` ON `requests` (`requested_for_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `requests_requested_by_idx` ON `requests` (`requested_by_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `requests_provider_idx` ON `requests` (`provider_account_id`,`status`);--> statement-breakpoint
CREATE INDEX `requests_updated_idx` ON `requests` (`updated_at`);--> statement-breakpoint
CREATE TABLE `socket_tickets` (
	`ticket_hash` text PRIMARY KEY NOT NULL,
	`viewer` text NOT NULL,
	`expires_at` integer NOT NULL
);
