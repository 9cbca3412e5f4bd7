import Link from "next/link";

export const metadata = { title: "Project not found" };

/** Shown with a 404 status for a project id that does not exist (or was deleted), or that the annotator is not a member of. */
export default function ProjectNotFound() {
  return (
    <div className="mx-auto max-w-lg rounded-lg bg-white p-8 text-center shadow-xs ring-1 ring-zinc-200">
      <p className="text-sm font-medium text-zinc-600">404</p>
      <h1 className="mt-1 text-xl font-semibold tracking-tight">Project not found</h1>
      <p className="mt-2 text-sm text-zinc-600">
        There is no project at this address that you can open. It may have been deleted, the link may be mistyped, or an
        admin has not added you to it.
      </p>
      <Link href="/projects" className="mt-4 inline-block text-sm font-medium text-indigo-700 underline">
        All projects
      </Link>
    </div>
  );
}
