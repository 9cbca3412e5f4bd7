import { z } from "zod";
import { adminProcedure, router } from "@/server/api/trpc";
import { createClassInput, updateClassInput } from "@/server/domain/classes/class-input";
import { createClass } from "@/server/domain/classes/create-class";
import { deleteClass } from "@/server/domain/classes/delete-class";
import { updateClass } from "@/server/domain/classes/update-class";

export const classesRouter = router({
  create: adminProcedure.input(createClassInput).mutation(({ ctx, input }) => createClass(ctx.db, input, ctx.user.id)),
  update: adminProcedure.input(updateClassInput).mutation(({ ctx, input }) => updateClass(ctx.db, input, ctx.user.id)),
  delete: adminProcedure
    .input(z.object({ id: z.number().int().positive() }))
    .mutation(({ ctx, input }) => deleteClass(ctx.db, input.id, ctx.user.id)),
});
