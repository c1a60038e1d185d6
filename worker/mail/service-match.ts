// Which service a mail to an account's address is a request for. The sender's own catalog is the
// choice (what their account's providers offer them, checked by each provider): the account's
// intake service when it is there, else the entry whose words the subject shares most. No entry,
// or a tie, is no guess: the request goes to the account's own people to triage.
import type { CustomerCatalog } from "../account/catalog";

export interface ServiceChoice {
	providerAccountId: string;
	slaId: string;
}

/** Too common to say anything about a service. */
const STOP = new Set(
	"the and for with from this that have has not are was were you your our can cannot could would should please help need needs issue problem question request about into when what where how why any all out get got does did is its it's i'm hi hello dear re fw fwd aw wg sv".split(
		" ",
	),
);

/** Lowercase words of 3+ letters or digits, plural "s"/"es" taken off so "mailboxes" meets "mailbox". */
export function wordsOf(text: string): Set<string> {
	const words = new Set<string>();
	for (const raw of text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "").split(/[^\p{L}\p{N}]+/u)) {
		if (raw.length < 3 || STOP.has(raw)) continue;
		words.add(raw.replace(/(ses|xes|ches|shes)$/, (m) => m.slice(0, -2)).replace(/(?<!s)s$/, ""));
	}
	return words;
}

type Entry = CustomerCatalog["entries"][number];

/** How well an entry fits: a word of the service's or instance's name counts 2, of the rest 1. */
function score(subject: Set<string>, e: Entry): number {
	const named = wordsOf(`${e.service.name} ${e.instance.name}`);
	const described = wordsOf(`${e.service.description} ${e.offering.name} ${e.offering.summary}`);
	let total = 0;
	for (const w of subject) total += named.has(w) ? 2 : described.has(w) ? 1 : 0;
	return total;
}

export function chooseService(catalog: CustomerCatalog, intake: ServiceChoice | null, subject: string): ServiceChoice | null {
	const entries = catalog.entries;
	if (intake && entries.some((e) => e.providerAccountId === intake.providerAccountId && e.sla.id === intake.slaId)) return intake;
	const words = wordsOf(subject);
	let best: Entry | null = null;
	let bestScore = 0;
	let tie = false;
	for (const e of entries) {
		const s = score(words, e);
		if (s > bestScore) {
			best = e;
			bestScore = s;
			tie = false;
		} else if (s === bestScore && s > 0 && best && (best.providerAccountId !== e.providerAccountId || best.sla.id !== e.sla.id)) {
			tie = true;
		}
	}
	return best && !tie ? { providerAccountId: best.providerAccountId, slaId: best.sla.id } : null;
}
