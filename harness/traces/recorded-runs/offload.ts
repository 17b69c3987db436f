import { splitAsides, splitTopLevel } from './text-parts.js';

/** What one model keeps in CPU memory between its uses. Undefined = the table does not say. */
export interface OffloadParts {
  readonly param?: boolean;
  readonly grad?: boolean;
  readonly optimizer?: boolean;
}

/**
 * The `offload` column, parsed. Per model: `actor` and `critic` (trained: parameters, gradients,
 * optimizer state) and `ref` (inference only: parameters). A model the text does not mention is
 * undefined (unknown). `text` is the cell as written (without `~`).
 */
export interface OffloadSpec {
  readonly text: string;
  readonly actor?: OffloadParts;
  readonly critic?: OffloadParts;
  readonly ref?: { readonly param: boolean };
  /** Asides that are not offload clauses (e.g. `optimizer_offload_fraction=1, CPU optimizer`). */
  readonly comments: readonly string[];
  /** Clauses the rules below do not understand; kept, and reported as a finding on the row. */
  readonly unparsed: readonly string[];
}

type Role = 'actor' | 'critic' | 'ref';
const ROLES = new Set<Role>(['actor', 'critic', 'ref']);
const PART_NAMES: Readonly<Record<string, keyof OffloadParts>> = { param: 'param', params: 'param', grad: 'grad', grads: 'grad', optim: 'optimizer', optimizer: 'optimizer' };

interface Clause {
  readonly role?: Role;
  readonly parts: OffloadParts;
}

/**
 * Parse rules (traces/README.md, "runs.csv"):
 * 1. The text is split at `;` into clauses; a parenthesised aside is itself a clause when it reads
 *    as one (`(ref param offload)`), otherwise it is kept as a comment.
 * 2. A clause is `[actor|critic|ref] none` or `[role] part+part…` with parts `param`, `grad`,
 *    `optim`/`optimizer`; a trailing word `offload` is allowed. Listed parts are offloaded, the
 *    others are not; `none` offloads nothing.
 * 3. A clause without a role applies to every model; clauses with a role then override their model.
 *    The reference model only has parameters: its `param` is taken, `grad`/`optim` do not apply.
 */
export function parseOffload(text: string): OffloadSpec {
  const comments: string[] = [];
  const unparsed: string[] = [];
  const clauses: Clause[] = [];
  for (const piece of splitTopLevel(text, ';')) {
    const { head, asides } = splitAsides(piece);
    const clause = parseClause(head);
    if (clause) clauses.push(clause);
    else unparsed.push(head);
    for (const aside of asides) {
      const asClause = parseClause(aside);
      if (asClause?.role) clauses.push(asClause);
      else comments.push(aside);
    }
  }
  const byRole: Partial<Record<Role, OffloadParts>> = {};
  for (const clause of [...clauses.filter((c) => !c.role), ...clauses.filter((c) => c.role)]) {
    for (const role of clause.role ? [clause.role] : (['actor', 'critic', 'ref'] as const)) byRole[role] = clause.parts;
  }
  return {
    text,
    ...(byRole.actor ? { actor: byRole.actor } : {}),
    ...(byRole.critic ? { critic: byRole.critic } : {}),
    ...(byRole.ref ? { ref: { param: byRole.ref.param ?? false } } : {}),
    comments,
    unparsed,
  };
}

function parseClause(text: string): Clause | undefined {
  const words = text.toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (words.at(-1) === 'offload') words.pop();
  let role: Role | undefined;
  if (words.length > 0 && ROLES.has(words[0] as Role)) role = words.shift() as Role;
  if (words.length !== 1) return undefined;
  const spec = words[0]!;
  if (spec === 'none') return { ...(role ? { role } : {}), parts: { param: false, grad: false, optimizer: false } };
  const parts: { param: boolean; grad: boolean; optimizer: boolean } = { param: false, grad: false, optimizer: false };
  for (const name of spec.split('+')) {
    const part = PART_NAMES[name];
    if (!part) return undefined;
    parts[part] = true;
  }
  return { ...(role ? { role } : {}), parts };
}
