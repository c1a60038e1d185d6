// People for the global search. People live in the directory (D1), not in an account's object:
// an account knows them only by their membership. Accounts have tens to hundreds of people, so
// their names are matched here, with the same rules as the account's full-text index (words folded
// to lower case without diacritics, the last word of the query a prefix), rather than kept in a
// second index that every change of name in every account would have to follow.
import type { SearchHit, SearchText } from "../shared/search-api";
import type { Directory } from "./client";
import { listAccountPeople } from "./people";

interface Folded {
	text: string;
	/** For each code unit of `text`, the offset in the original string it came from. */
	from: number[];
}

function fold(original: string): Folded {
	let text = "";
	const from: number[] = [];
	let offset = 0;
	for (const ch of original) {
		const f = ch.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
		for (let i = 0; i < f.length; i++) from.push(offset);
		text += f;
		offset += ch.length;
	}
	return { text, from };
}

const wordsOf = (q: string) => (q.normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8).map((w) => fold(w).text);

/** Where each query word matches a word of `name` (whole words; the last query word as a prefix), or null if one does not. */
export function matchName(name: string, q: string): SearchText["marks"] | null {
	const words = wordsOf(q);
	if (words.length === 0) return null;
	const folded = fold(name);
	const nameWords = [...folded.text.matchAll(/[\p{L}\p{N}]+/gu)];
	const marks: SearchText["marks"] = [];
	for (const [i, w] of words.entries()) {
		const last = i === words.length - 1;
		const hit = nameWords.find((m) => (last ? m[0].startsWith(w) : m[0] === w));
		if (!hit || hit.index === undefined) return null;
		const start = folded.from[hit.index] ?? 0;
		const endIndex = hit.index + w.length;
		const end = endIndex < folded.from.length ? (folded.from[endIndex] ?? name.length) : name.length;
		marks.push({ start, end });
	}
	return marks.sort((a, b) => a.start - b.start);
}

export async function searchAccountPeople(db: Directory, accountId: string, q: string, limit: number): Promise<SearchHit[]> {
	const people = await listAccountPeople(db, accountId);
	const hits: SearchHit[] = [];
	for (const p of people) {
		const marks = matchName(p.name, q);
		if (!marks) continue;
		hits.push({ kind: "people", id: p.id, title: { text: p.name, marks }, snippet: { text: p.email, marks: [] }, link: `/${accountId}/people` });
		if (hits.length >= limit) break;
	}
	return hits;
}
