import { z } from "zod";
import { rankingVersion } from "@/server/domain/scoring/ranking-version";
import { Prisma } from "@/generated/prisma/client";
import type { Db, Tx } from "@/server/db";
import {
  emptyUncertaintyRange,
  itemConditions,
  itemFilterShape,
  needsPrediction,
  uncertaintyRangeIsValid,
  type ItemFilters,
} from "@/server/domain/items/item-filters";
import { withSearchTimeout } from "@/server/domain/items/search-timeout";
import { AppError } from "@/server/errors";

export const itemSorts = ["id", "uncertainty", "labeledAt"] as const;

export const listItemsInput = itemFilterShape
  .extend({
    sort: z.enum(itemSorts).default("id"),
    dir: z.enum(["asc", "desc"]).default("asc"),
    limit: z.number().int().min(1).max(200).default(50),
    /** Opaque cursors from a previous page: the page after `after`, or the page before `before`. */
    after: z.string().max(200).optional(),
    before: z.string().max(200).optional(),
  })
  .refine(uncertaintyRangeIsValid, emptyUncertaintyRange)
  .refine((v) => !(v.after && v.before), { message: "Send either after or before, not both", path: ["before"] });
export type ListItemsInput = z.input<typeof listItemsInput>;

/** Characters of text per row: the table shows a line or two, the detail page has the rest. */
const TEXT_PREVIEW = 400;

export interface ItemRow {
  id: number;
  text: string;
  textLength: number;
  externalId: string | null;
  source: "imported" | "generated" | "manual";
  split: "unassigned" | "train" | "test";
  labelStatus: "unlabeled" | "labeled" | "skipped";
  labelClassIds: number[];
  labelOrigin: string | null;
  labeledAt: Date | null;
  createdAt: Date;
  predictedClassIds: number[] | null;
  confidence: number | null;
  uncertainty: number | null;
}

/**
 * One page of a project's items table. Keyset pagination (never OFFSET): each page starts where the cursor left off
 * in an index order — (project_id, id), (project_id, labeled_at, id) or the active version's (uncertainty, item_id)
 * — so page 20,000 of a 1M-item project costs the same as page 1, and rows inserted meanwhile never shift a page.
 *
 * Rows without a sort value (unlabeled items when sorting by labeled-at, unscored items when sorting by uncertainty)
 * come last in both directions. They are read as a second segment ordered by id rather than with NULLS LAST in one
 * ORDER BY, because an `OR key IS NULL` cursor condition would stop PostgreSQL from reading the index as a range.
 */
export async function listItems(db: Db, rawInput: ListItemsInput) {
  const input = listItemsInput.parse(rawInput);
  const project = await db.project.findUnique({
    where: { id: input.projectId },
    select: { activeModelVersionId: true },
  });
  if (!project) throw new AppError("NOT_FOUND", `Project ${input.projectId} does not exist`);
  // The version whose predictions the rows show: the active one, or the last ranked one while it is being scored.
  const active = await rankingVersion(db, input.projectId, project.activeModelVersionId);
  const segments = segmentsFor(input, active?.id ?? null);
  const cursor = input.after ?? input.before;
  const from = cursor ? decodeCursor(cursor, segments) : null;
  const backwards = input.before !== undefined;

  const fetched = await withSearchTimeout(db, Boolean(input.search), async (tx) => {
    const rows: { row: ItemRow; segment: number; key: unknown }[] = [];
    const order = backwards ? segments.map((_, s) => s).reverse() : segments.map((_, s) => s);
    const start = from ? order.indexOf(from.segment) : 0;
    for (const s of order.slice(start)) {
      const want = input.limit + 1 - rows.length;
      if (want <= 0) break;
      const asc = (input.dir === "asc") !== backwards;
      const found = await readSegment(tx, segments[s]!, asc, from?.segment === s ? from : null, want);
      rows.push(
        ...found.map(({ sort_key, ...row }) => ({ row: row as unknown as ItemRow, segment: s, key: sort_key })),
      );
    }
    return rows;
  });

  const more = fetched.length > input.limit;
  const page = fetched.slice(0, input.limit);
  if (backwards) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  const cursorOf = (entry: (typeof page)[number] | undefined) =>
    entry ? encodeCursor(entry.segment, entry.key, entry.row.id) : null;
  return {
    items: page.map((entry) => entry.row),
    // A page reached from a cursor has rows on the side it came from.
    nextCursor: backwards ? (cursor ? cursorOf(last) : null) : more ? cursorOf(last) : null,
    prevCursor: backwards ? (more ? cursorOf(first) : null) : cursor ? cursorOf(first) : null,
    activeVersion: active,
  };
}

interface Segment {
  /** FROM … with `i` (item) and `p` (prediction) in scope. */
  from: Prisma.Sql;
  where: Prisma.Sql[];
  /** The sort value, or null for a segment ordered by id alone. */
  key: Prisma.Sql | null;
  /** How the cursor's value is cast back to the key's type (real must compare as real: a float4 read as text). */
  keyCast: Prisma.Sql;
  id: Prisma.Sql;
}

function segmentsFor(input: ItemFilters & { sort: (typeof itemSorts)[number] }, versionId: number | null): Segment[] {
  const conditions = itemConditions(input);
  const withPrediction = needsPrediction(input);
  const prediction = Prisma.sql`p.model_version_id = ${versionId ?? 0} AND p.item_id = i.id`;
  const joined = withPrediction
    ? Prisma.sql`item i JOIN prediction p ON ${prediction}`
    : Prisma.sql`item i LEFT JOIN prediction p ON ${prediction}`;
  const none = Prisma.empty;
  switch (input.sort) {
    case "id":
      return [{ from: joined, where: conditions, key: null, keyCast: none, id: Prisma.sql`i.id` }];
    case "labeledAt":
      return [
        {
          from: joined,
          where: [...conditions, Prisma.sql`i.labeled_at IS NOT NULL`],
          key: Prisma.sql`i.labeled_at`,
          keyCast: Prisma.sql`::timestamp`,
          id: Prisma.sql`i.id`,
        },
        {
          from: joined,
          where: [...conditions, Prisma.sql`i.labeled_at IS NULL`],
          key: null,
          keyCast: none,
          id: Prisma.sql`i.id`,
        },
      ];
    case "uncertainty": {
      // Driven by the prediction index (model_version_id, uncertainty, item_id), joining items by primary key.
      const scored: Segment = {
        from: Prisma.sql`prediction p JOIN item i ON i.id = p.item_id`,
        where: [Prisma.sql`p.model_version_id = ${versionId ?? 0}`, ...conditions],
        key: Prisma.sql`p.uncertainty`,
        keyCast: Prisma.sql`::real`,
        id: Prisma.sql`p.item_id`,
      };
      if (withPrediction) return [scored];
      const unscored: Segment = {
        from: Prisma.sql`item i LEFT JOIN prediction p ON ${prediction}`,
        where: [...conditions, Prisma.sql`p.item_id IS NULL`],
        key: null,
        keyCast: none,
        id: Prisma.sql`i.id`,
      };
      return [scored, unscored];
    }
  }
}

interface Position {
  segment: number;
  key: unknown;
  id: number;
}

async function readSegment(tx: Tx, segment: Segment, asc: boolean, after: Position | null, limit: number) {
  const dir = asc ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const op = asc ? Prisma.sql`>` : Prisma.sql`<`;
  const where = [...segment.where];
  if (after) {
    where.push(
      segment.key
        ? Prisma.sql`(${segment.key}, ${segment.id}) ${op} (${after.key}${segment.keyCast}, ${after.id})`
        : Prisma.sql`${segment.id} ${op} ${after.id}`,
    );
  }
  const orderBy = segment.key
    ? Prisma.sql`${segment.key} ${dir}, ${segment.id} ${dir}`
    : Prisma.sql`${segment.id} ${dir}`;
  return tx.$queryRaw<Record<string, unknown>[]>`
    SELECT i.id, left(i.text, ${TEXT_PREVIEW}) AS text, length(i.text) AS "textLength", i.external_id AS "externalId",
           i.source::text AS source, i.split::text AS split, i.label_status::text AS "labelStatus",
           i.label_class_ids AS "labelClassIds", i.label_origin::text AS "labelOrigin", i.labeled_at AS "labeledAt",
           i.created_at AS "createdAt", p.predicted_class_ids AS "predictedClassIds", p.confidence, p.uncertainty,
           ${segment.key ? Prisma.sql`${segment.key}::text` : Prisma.sql`NULL`} AS sort_key
    FROM ${segment.from}
    WHERE ${Prisma.join(where, " AND ")}
    ORDER BY ${orderBy}
    LIMIT ${limit}`;
}

// The cursor carries the sort value as PostgreSQL printed it (exact for real and timestamp), the row's id and its
// segment; it is opaque to clients but only ever compared, so a tampered one can at worst show another page.
function encodeCursor(segment: number, key: unknown, id: number): string {
  return Buffer.from(JSON.stringify([segment, key ?? null, id])).toString("base64url");
}

function decodeCursor(cursor: string, segments: Segment[]): Position {
  try {
    const [segment, key, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [
      unknown,
      unknown,
      unknown,
    ];
    const seg = segments[Number(segment)];
    if (
      !Number.isInteger(segment) ||
      !seg ||
      !Number.isInteger(id) ||
      (seg.key ? typeof key !== "string" : key !== null)
    )
      throw new Error("shape");
    return { segment: segment as number, key, id: id as number };
  } catch {
    throw new AppError(
      "INVALID_INPUT",
      "The page cursor is invalid or belongs to another sort order: start again from the first page",
    );
  }
}
