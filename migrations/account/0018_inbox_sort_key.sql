DROP INDEX `inbox_team_idx`;--> statement-breakpoint
DROP INDEX `inbox_member_idx`;--> statement-breakpoint
ALTER TABLE `inbox` ADD `sort_at` integer GENERATED ALWAYS AS (coalesce(next_target_at, 8640000000000000)) VIRTUAL;--> statement-breakpoint
CREATE INDEX `inbox_team_idx` ON `inbox` (`open`,`team_id`,`sort_at`,`created_at`,`request_id`);--> statement-breakpoint
CREATE INDEX `inbox_member_idx` ON `inbox` (`open`,`member_id`,`sort_at`,`created_at`,`request_id`);