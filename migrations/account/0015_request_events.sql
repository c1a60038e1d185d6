ALTER TABLE `request_notes` ADD `event_source` text;--> statement-breakpoint
ALTER TABLE `request_notes` ADD `event_source_id` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `event_source` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `event_source_id` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `event_ci` text;--> statement-breakpoint
CREATE INDEX `requests_event_idx` ON `requests` (`event_source`,`event_source_id`);