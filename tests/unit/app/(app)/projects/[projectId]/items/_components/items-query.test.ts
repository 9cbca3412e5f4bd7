import { describe, expect, it } from "vitest";
import { paramsFromView, viewFromParams } from "@/app/(app)/projects/[projectId]/items/_components/items-query";

describe("items view in the URL", () => {
  it("sorts by uncertainty most uncertain first unless the URL says otherwise", () => {
    expect(viewFromParams(new URLSearchParams("sort=uncertainty")).dir).toBe("desc");
    expect(viewFromParams(new URLSearchParams("sort=uncertainty&dir=asc")).dir).toBe("asc");
    expect(viewFromParams(new URLSearchParams("sort=labeledAt")).dir).toBe("asc");
    expect(viewFromParams(new URLSearchParams("")).dir).toBe("asc");
  });

  it("keeps a view's direction across a round trip, writing it only when it differs from the sort's default", () => {
    for (const query of ["sort=uncertainty", "sort=uncertainty&dir=asc", "sort=labeledAt&dir=desc", "status=labeled"]) {
      const view = viewFromParams(new URLSearchParams(query));
      expect(viewFromParams(paramsFromView(view))).toEqual(view);
      expect(paramsFromView(view).toString()).toBe(new URLSearchParams(query).toString());
    }
  });
});
