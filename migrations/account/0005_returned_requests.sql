ALTER TABLE `requests` ADD `returned_from_id` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `returned_from_name` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `returned_reason` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `returned_at` integer;--> statement-breakpoint
CREATE INDEX `requests_returned_idx` ON `requests` (`returned_at`);