import { z } from "zod";
import { adminProcedure, authedProcedure, projectProcedure, router } from "@/server/api/trpc";
import { availableFeaturizers } from "@/server/domain/projects/available-featurizers";
import { createProject } from "@/server/domain/projects/create-project";
import { deleteProject } from "@/server/domain/projects/delete-project";
import { getProject } from "@/server/domain/projects/get-project";
import { listProjects } from "@/server/domain/projects/list-projects";
import { createProjectInput, updateProjectInput } from "@/server/domain/projects/project-input";
import { updateProject } from "@/server/domain/projects/update-project";
import { listMembers } from "@/server/domain/members/list-members";
import { listMembersInput, updateMembersInput } from "@/server/domain/members/member-input";
import { updateMembers } from "@/server/domain/members/update-members";
import { freezeTestSplit } from "@/server/domain/splits/freeze-test-split";

const projectId = z.object({ projectId: z.number().int().positive() });

export const projectsRouter = router({
  list: authedProcedure.query(({ ctx }) => listProjects(ctx.db, ctx.user)),
  get: projectProcedure()
    .input(projectId)
    .query(({ ctx, input }) => getProject(ctx.db, input.projectId)),
  create: adminProcedure
    .input(createProjectInput)
    .mutation(({ ctx, input }) => createProject(ctx.db, input, ctx.user.id)),
  update: adminProcedure
    .input(projectId.extend({ data: updateProjectInput }))
    .mutation(({ ctx, input }) => updateProject(ctx.db, input.projectId, input.data, ctx.user.id)),
  /** Annotator accounts and whether each may work on the project (admins see every project). */
  members: adminProcedure.input(listMembersInput).query(({ ctx, input }) => listMembers(ctx.db, input)),
  updateMembers: adminProcedure
    .input(updateMembersInput)
    .mutation(({ ctx, input }) => updateMembers(ctx.db, input, ctx.user.id)),
  featurizers: authedProcedure.query(() => availableFeaturizers()),
  freezeTestSplit: adminProcedure
    .input(projectId)
    .mutation(({ ctx, input }) => freezeTestSplit(ctx.db, input.projectId, ctx.user.id)),
  delete: adminProcedure
    .input(projectId.extend({ confirmName: z.string() }))
    .mutation(({ ctx, input }) => deleteProject(ctx.db, input.projectId, input.confirmName, ctx.user.id)),
});
