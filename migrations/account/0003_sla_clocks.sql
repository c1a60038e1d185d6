CREATE TABLE `affected_slas` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`customer_account_id` text NOT NULL,
	`customer_name` text NOT NULL,
	`provider_name` text NOT NULL,
	`request_number` integer NOT NULL,
	`subject` text NOT NULL,
	`sla_id` text NOT NULL,
	`sla_name` text NOT NULL,
	`service_id` text NOT NULL,
	`service_name` text NOT NULL,
	`instance_id` text NOT NULL,
	`instance_name` text NOT NULL,
	`offering_id` text NOT NULL,
	`offering_name` text NOT NULL,
	`team_id` text,
	`team_name` text,
	`accountability` text NOT NULL,
	`status` text NOT NULL,
	`started_month` text NOT NULL,
	`started_at` integer NOT NULL,
	`response_target_at` integer,
	`resolution_target_at` integer,
	`actual_response_at` integer,
	`actual_resolution_at` integer,
	`resolution_minutes` integer,
	`next_target_at` integer,
	`next_check_at` integer,
	`response_breached` integer NOT NULL,
	`resolution_breached` integer NOT NULL,
	`clock` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `affected_slas_request_sla_idx` ON `affected_slas` (`request_id`,`sla_id`);--> statement-breakpoint
CREATE INDEX `affected_slas_started_idx` ON `affected_slas` (`started_at`);--> statement-breakpoint
CREATE INDEX `affected_slas_check_idx` ON `affected_slas` (`next_check_at`);--> statement-breakpoint
CREATE INDEX `affected_slas_customer_idx` ON `affected_slas` (`customer_account_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `request_slas` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`provider_account_id` text NOT NULL,
	`view` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `request_slas_request_idx` ON `request_slas` (`request_id`);--> statement-breakpoint
ALTER TABLE `requests` ADD `desired_completion_at` integer;--> statement-breakpoint
ALTER TABLE `requests` ADD `next_target_at` integer;--> statement-breakpoint
ALTER TABLE `service_offerings` ADD `warning_percent` integer DEFAULT 80 NOT NULL;