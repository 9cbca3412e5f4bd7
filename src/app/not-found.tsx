import Link from "next/link";

export const metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg px-4 py-16 text-center">
      <p className="text-sm font-medium text-zinc-600">404</p>
      <h1 className="mt-1 text-xl font-semibold tracking-tight">Page not found</h1>
      <p className="mt-2 text-sm text-zinc-600">Nothing lives at this address.</p>
      <Link href="/projects" className="mt-4 inline-block text-sm font-medium text-indigo-700 underline">
        Go to the projects
      </Link>
    </main>
  );
}
