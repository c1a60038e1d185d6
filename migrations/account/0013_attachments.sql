CREATE TABLE `attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`note_id` text,
	`name` text NOT NULL,
	`size` integer NOT NULL,
	`type` text,
	`uploaded_by` text NOT NULL,
	`uploader_account_id` text NOT NULL,
	`internal_account` text,
	`status` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `attachments_request_idx` ON `attachments` (`request_id`,`note_id`);--> statement-breakpoint
CREATE INDEX `attachments_pending_idx` ON `attachments` (`status`,`created_at`);