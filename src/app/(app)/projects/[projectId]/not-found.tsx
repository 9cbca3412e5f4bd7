import Link from "next/link";

export const metadata = { title: "Not found" };

/** Shown with a 404 status, under the project's tabs, for an item (or page) the project does not have. */
export default function ProjectPageNotFound() {
  return (
    <div className="rounded-lg bg-white p-8 text-center shadow-xs ring-1 ring-zinc-200">
      <p className="text-sm font-medium text-zinc-600">404</p>
      <h2 className="mt-1 text-lg font-semibold tracking-tight">Not found in this project</h2>
      <p className="mt-2 text-sm text-zinc-600">
        This item does not exist in this project. It may have been deleted, or the link is mistyped; the tabs above lead
        to the project's pages.
      </p>
      <Link href="/projects" className="mt-4 inline-block text-sm font-medium text-indigo-700 underline">
        All projects
      </Link>
    </div>
  );
}
