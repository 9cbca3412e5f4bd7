import { projectProcedure, router } from "@/server/api/trpc";
import { countItems, countItemsInput } from "@/server/domain/items/count-items";
import { findSimilarItems, findSimilarItemsInput } from "@/server/domain/items/find-similar-items";
import { getItem, getItemInput } from "@/server/domain/items/get-item";
import { listAnnotators, listAnnotatorsInput } from "@/server/domain/items/list-annotators";
import { listItems, listItemsInput } from "@/server/domain/items/list-items";

export const itemsRouter = router({
  list: projectProcedure()
    .input(listItemsInput)
    .query(({ ctx, input }) => listItems(ctx.db, input)),
  count: projectProcedure()
    .input(countItemsInput)
    .query(({ ctx, input }) => countItems(ctx.db, input)),
  get: projectProcedure()
    .input(getItemInput)
    .query(({ ctx, input }) => getItem(ctx.db, input)),
  similar: projectProcedure()
    .input(findSimilarItemsInput)
    .query(({ ctx, input }) => findSimilarItems(ctx.db, input)),
  annotators: projectProcedure()
    .input(listAnnotatorsInput)
    .query(({ ctx, input }) => listAnnotators(ctx.db, input)),
});
