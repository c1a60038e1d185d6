CREATE TABLE `inbox_cursors` (
	`from_account` text PRIMARY KEY NOT NULL,
	`last_seq` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`to_account` text NOT NULL,
	`dest_seq` integer NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`parked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dest_seq_idx` ON `outbox` (`to_account`,`dest_seq`);--> statement-breakpoint
CREATE INDEX `outbox_next_attempt_idx` ON `outbox` (`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `outbox_sequences` (
	`to_account` text PRIMARY KEY NOT NULL,
	`last_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `received_slas` (
	`provider_account_id` text NOT NULL,
	`sla_id` text NOT NULL,
	`name` text NOT NULL,
	`service_name` text NOT NULL,
	`offering_name` text NOT NULL,
	`status` text NOT NULL,
	`start_date` text NOT NULL,
	`notice_date` text,
	`expiry_date` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`provider_account_id`, `sla_id`)
);
--> statement-breakpoint
CREATE TABLE `service_instances` (
	`id` text PRIMARY KEY NOT NULL,
	`service_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`first_line_team_id` text,
	`support_team_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `service_instances_service_idx` ON `service_instances` (`service_id`);--> statement-breakpoint
CREATE TABLE `service_offerings` (
	`id` text PRIMARY KEY NOT NULL,
	`service_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`summary` text NOT NULL,
	`targets` text NOT NULL,
	`support_hours` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `service_offerings_service_idx` ON `service_offerings` (`service_id`);--> statement-breakpoint
CREATE TABLE `services` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sla_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sla_id` text NOT NULL,
	`at` integer NOT NULL,
	`action` text NOT NULL,
	`actor` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `sla_events_sla_idx` ON `sla_events` (`sla_id`,`id`);--> statement-breakpoint
CREATE TABLE `slas` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`offering_id` text NOT NULL,
	`service_instance_id` text NOT NULL,
	`customer_account_id` text NOT NULL,
	`coverage` text NOT NULL,
	`start_date` text NOT NULL,
	`notice_date` text,
	`expiry_date` text,
	`team_id` text,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`offering_id`) REFERENCES `service_offerings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`service_instance_id`) REFERENCES `service_instances`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `slas_customer_status_idx` ON `slas` (`customer_account_id`,`status`);--> statement-breakpoint
CREATE INDEX `slas_status_idx` ON `slas` (`status`);--> statement-breakpoint
CREATE TABLE `trust_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`other_account_id` text NOT NULL,
	`at` integer NOT NULL,
	`action` text NOT NULL,
	`actor_name` text NOT NULL,
	`actor_account_id` text NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `trust_events_other_idx` ON `trust_events` (`other_account_id`,`id`);--> statement-breakpoint
CREATE TABLE `trusts` (
	`other_account_id` text PRIMARY KEY NOT NULL,
	`round` text NOT NULL,
	`our_role` text NOT NULL,
	`status` text NOT NULL,
	`initiated_by` text NOT NULL,
	`capabilities` text NOT NULL,
	`proposed_capabilities` text,
	`proposed_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
