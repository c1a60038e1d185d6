-- Full-text search (worker/account/search.ts). Written by hand: drizzle-kit cannot generate FTS5
-- virtual tables, so neither table is in schema.ts; search.ts alone reads and writes them.
-- search_docs gives each indexed record (kind + id) the rowid of its search_fts row, so that a
-- change replaces exactly one row without scanning the index. It also keeps what decides who may
-- find the record (the Inbox row's team; the request's requesters), so that the ranking query
-- filters on the row it already joined instead of fetching inbox or requests rows for every match.
CREATE TABLE `search_docs` (
	`id` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`ref` text NOT NULL,
	`team_id` text,
	`requested_by_id` text,
	`requested_for_id` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_docs_ref_idx` ON `search_docs` (`kind`,`ref`);
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_fts` USING fts5(title, body, internal, people, ident, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
--> statement-breakpoint
INSERT INTO `search_docs` (`kind`, `ref`, `requested_by_id`, `requested_for_id`) SELECT 'request', `id`, `requested_by_id`, `requested_for_id` FROM `requests`;
--> statement-breakpoint
INSERT INTO `search_docs` (`kind`, `ref`, `team_id`) SELECT 'inbox', `request_id`, `team_id` FROM `inbox` WHERE `request_id` NOT IN (SELECT `id` FROM `requests`);
--> statement-breakpoint
INSERT INTO `search_docs` (`kind`, `ref`) SELECT 'team', `id` FROM `teams`;
--> statement-breakpoint
INSERT INTO `search_docs` (`kind`, `ref`) SELECT 'service', `id` FROM `services`;
--> statement-breakpoint
INSERT INTO `search_fts` (`rowid`, `title`, `body`, `internal`, `people`, `ident`)
SELECT d.`id`, r.`subject`,
	coalesce((SELECT group_concat(n.`body`, char(10)) FROM `request_notes` n WHERE n.`request_id` = r.`id` AND n.`internal` = 0), ''),
	coalesce((SELECT group_concat(n.`body`, char(10)) FROM `request_notes` n WHERE n.`request_id` = r.`id` AND n.`internal` = 1), ''),
	r.`requested_by_name` || ' ' || r.`requested_for_name`,
	r.`number` || ' ' || r.`id`
FROM `search_docs` d JOIN `requests` r ON r.`id` = d.`ref` WHERE d.`kind` = 'request';
--> statement-breakpoint
INSERT INTO `search_fts` (`rowid`, `title`, `body`, `internal`, `people`, `ident`)
SELECT d.`id`, json_extract(i.`summary`, '$.subject'), '',
	coalesce((SELECT group_concat(n.`body`, char(10)) FROM `internal_notes` n WHERE n.`request_id` = i.`request_id`), ''),
	json_extract(i.`summary`, '$.requestedBy.name') || ' ' || json_extract(i.`summary`, '$.requestedFor.name'),
	json_extract(i.`summary`, '$.number') || ' ' || i.`request_id`
FROM `search_docs` d JOIN `inbox` i ON i.`request_id` = d.`ref` WHERE d.`kind` = 'inbox';
--> statement-breakpoint
INSERT INTO `search_fts` (`rowid`, `title`, `body`, `internal`, `people`, `ident`)
SELECT d.`id`, t.`name`, t.`description`, '', '', '' FROM `search_docs` d JOIN `teams` t ON t.`id` = d.`ref` WHERE d.`kind` = 'team';
--> statement-breakpoint
INSERT INTO `search_fts` (`rowid`, `title`, `body`, `internal`, `people`, `ident`)
SELECT d.`id`, s.`name`, s.`description`, '', '', '' FROM `search_docs` d JOIN `services` s ON s.`id` = d.`ref` WHERE d.`kind` = 'service';
