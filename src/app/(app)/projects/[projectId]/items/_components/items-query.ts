// The items table's view lives in the URL (?q=…&status=labeled&sort=uncertainty&after=…) so that a view can be shared.

export const sorts = ["id", "uncertainty", "labeledAt"] as const;
const statuses = ["unlabeled", "labeled", "skipped"] as const;
const splits = ["unassigned", "train", "test"] as const;
const sources = ["imported", "generated", "manual"] as const;

export interface ItemsView {
  search?: string;
  classId?: number;
  predictedClassId?: number;
  uncertaintyMin?: number;
  uncertaintyMax?: number;
  source?: (typeof sources)[number];
  split?: (typeof splits)[number];
  labelStatus?: (typeof statuses)[number];
  annotatorId?: string;
  /** Only items with an open flag. */
  flagged?: boolean;
  sort: (typeof sorts)[number];
  dir: "asc" | "desc";
  after?: string;
  before?: string;
}

// URL key for each view field; short keys keep shared links readable.
const keys = {
  search: "q",
  classId: "label",
  predictedClassId: "predicted",
  uncertaintyMin: "umin",
  uncertaintyMax: "umax",
  source: "source",
  split: "split",
  labelStatus: "status",
  annotatorId: "annotator",
  flagged: "flagged",
  sort: "sort",
  dir: "dir",
  after: "after",
  before: "before",
} as const satisfies Record<keyof ItemsView, string>;

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return values.find((v) => v === value);
}

function positiveInt(value: string | null) {
  const n = Number(value);
  return value && Number.isInteger(n) && n > 0 ? n : undefined;
}

function unit(value: string | null) {
  const n = Number(value);
  return value !== null && value !== "" && Number.isFinite(n) ? Math.max(0, Math.min(1, n)) : undefined;
}

/** Uncertainty reads most uncertain first (what a person sorting by it wants to see); the others oldest first. */
export function defaultDir(sort: ItemsView["sort"]): ItemsView["dir"] {
  return sort === "uncertainty" ? "desc" : "asc";
}

/** The view a URL describes; unknown or malformed values are ignored rather than failing the page. */
export function viewFromParams(params: URLSearchParams): ItemsView {
  const get = (key: keyof ItemsView) => params.get(keys[key]);
  const sort = oneOf(sorts, get("sort")) ?? "id";
  return {
    search: get("search")?.trim() || undefined,
    classId: positiveInt(get("classId")),
    predictedClassId: positiveInt(get("predictedClassId")),
    uncertaintyMin: unit(get("uncertaintyMin")),
    uncertaintyMax: unit(get("uncertaintyMax")),
    source: oneOf(sources, get("source")),
    split: oneOf(splits, get("split")),
    labelStatus: oneOf(statuses, get("labelStatus")),
    annotatorId: get("annotatorId") || undefined,
    flagged: get("flagged") === "true" ? true : undefined,
    sort,
    dir: get("dir") === "desc" || get("dir") === "asc" ? (get("dir") as ItemsView["dir"]) : defaultDir(sort),
    after: get("after") || undefined,
    before: get("before") || undefined,
  };
}

export function paramsFromView(view: ItemsView): URLSearchParams {
  const params = new URLSearchParams();
  for (const [field, key] of Object.entries(keys) as [keyof ItemsView, string][]) {
    const value = view[field];
    if (
      value === undefined ||
      value === "" ||
      (field === "sort" && value === "id") ||
      (field === "dir" && value === defaultDir(view.sort))
    )
      continue;
    params.set(key, String(value));
  }
  return params;
}

/** Whether any filter (not sort or page) is set. */
export function hasFilters(view: ItemsView): boolean {
  const { sort: _sort, dir: _dir, after: _after, before: _before, ...filters } = view;
  return Object.values(filters).some((v) => v !== undefined);
}
