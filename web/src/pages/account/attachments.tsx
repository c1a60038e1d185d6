// Files on notes: the list on a timeline note (image thumbnails from the inline preview URL,
// download links), and the composer's picker (file input, drag and drop, pasted images). Only
// the request page imports this, so none of it is in the portal's first load.
import { createSignal, For, Show } from "solid-js";
import type { AttachmentRef, UploadedAttachment } from "../../../../worker/shared/attachment-api";
import { isPreviewType as isPreview } from "../../../../worker/shared/attachment-types";
import { api, messageOf, request } from "../../api/client";

/** Where a file of a note is read from, through the viewer's own account. */
export const fileUrl = (accountId: string, ref: AttachmentRef, inline = false) => `/api/v1/accounts/${accountId}/${ref.url}${inline ? "?inline=1" : ""}`;

export function formatSize(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A note's files: thumbnails for images (served inline, sandboxed), a download link for each. */
export function AttachmentList(props: { accountId: string; files: AttachmentRef[] }) {
	return (
		<ul class="att-list" aria-label="Attached files">
			<For each={props.files}>
				{(f) => (
					<li class="att-item" data-attachment-id={f.id}>
						<Show when={isPreview(f.type)}>
							<a href={fileUrl(props.accountId, f)} download={f.name} class="att-thumb-link">
								<img class="att-thumb" src={fileUrl(props.accountId, f, true)} alt={`Preview of ${f.name}`} loading="lazy" />
							</a>
						</Show>
						<a href={fileUrl(props.accountId, f)} download={f.name} class="att-name">
							{f.name}
						</a>
						<span class="muted att-meta">
							{formatSize(f.size)} · {f.type}
						</span>
					</li>
				)}
			</For>
		</ul>
	);
}

interface Pending {
	key: string;
	name: string;
	size: number;
	state: "uploading" | "done" | "failed";
	file?: UploadedAttachment;
	error?: string;
}

/** The composer's uploads: each file goes up at once; the note carries the finished ones. */
export function createUploads(accountId: () => string, requestId: () => string) {
	const [items, setItems] = createSignal<Pending[]>([]);
	let seq = 0;
	const update = (key: string, change: Partial<Pending>) => setItems((list) => list.map((p) => (p.key === key ? { ...p, ...change } : p)));
	const add = (files: File[]) => {
		for (const file of files) {
			seq += 1;
			const key = `u${seq}`;
			setItems((list) => [...list, { key, name: file.name || "file", size: file.size, state: "uploading" }]);
			const param = { accountId: accountId(), requestId: requestId() };
			const route = api.accounts[":accountId"].requests[":requestId"].attachments;
			// The body is the file itself (not JSON): the browser sends its Content-Length.
			request(route.$post({ param, query: { name: file.name || "file" } }, { init: { body: file, headers: { "Content-Type": "application/octet-stream" } } }))
				.then((uploaded) => update(key, { state: "done", file: uploaded as UploadedAttachment, name: (uploaded as UploadedAttachment).name }))
				.catch((err: unknown) => update(key, { state: "failed", error: messageOf(err) }));
		}
	};
	return {
		items,
		add,
		remove: (key: string) => setItems((list) => list.filter((p) => p.key !== key)),
		clear: () => setItems([]),
		busy: () => items().some((p) => p.state === "uploading"),
		ids: () => items().flatMap((p) => (p.state === "done" && p.file ? [p.file.id] : [])),
	};
}
export type Uploads = ReturnType<typeof createUploads>;

/** Images pasted into the note box become files (a screenshot from the clipboard). */
export function pastedFiles(e: ClipboardEvent): File[] {
	const out: File[] = [];
	for (const item of Array.from(e.clipboardData?.items ?? [])) {
		if (item.kind !== "file" || !item.type.startsWith("image/")) continue;
		const file = item.getAsFile();
		if (!file) continue;
		const ext = item.type.split("/")[1]?.replace(/[^a-z0-9]/g, "") || "png";
		out.push(new File([file], file.name && file.name !== "image.png" ? file.name : `pasted-${new Date().toISOString().replace(/[:.]/g, "-")}.${ext}`, { type: item.type }));
	}
	return out;
}

/** File input and drop zone, with the uploads under way or done. */
export function AttachmentPicker(props: { uploads: Uploads }) {
	const [over, setOver] = createSignal(false);
	let input: HTMLInputElement | undefined;
	return (
		<div
			class="att-drop"
			classList={{ "att-drop-over": over() }}
			onDragOver={(e) => {
				e.preventDefault();
				setOver(true);
			}}
			onDragLeave={() => setOver(false)}
			onDrop={(e) => {
				e.preventDefault();
				setOver(false);
				props.uploads.add(Array.from(e.dataTransfer?.files ?? []));
			}}
		>
			<label class="btn btn-sm">
				Attach files
				<input
					ref={input}
					type="file"
					multiple
					class="visually-hidden"
					name="attachments"
					onChange={(e) => {
						props.uploads.add(Array.from(e.currentTarget.files ?? []));
						if (input) input.value = "";
					}}
				/>
			</label>
			<span class="muted"> or drop them here, or paste an image into the note.</span>
			<Show when={props.uploads.items().length > 0}>
				<ul class="att-list" aria-label="Files for this note" aria-live="polite">
					<For each={props.uploads.items()}>
						{(p) => (
							<li class="att-item" data-upload-state={p.state}>
								<span class="att-name">{p.name}</span>
								<span class="muted att-meta">
									{formatSize(p.size)} · {p.state === "uploading" ? "uploading…" : p.state === "done" ? (p.file?.type ?? "") : `failed: ${p.error ?? ""}`}
								</span>
								<button type="button" class="btn btn-ghost btn-sm" onClick={() => props.uploads.remove(p.key)} aria-label={`Remove ${p.name}`}>
									Remove
								</button>
							</li>
						)}
					</For>
				</ul>
			</Show>
		</div>
	);
}
