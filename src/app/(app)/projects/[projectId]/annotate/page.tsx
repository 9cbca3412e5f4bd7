import type { Metadata } from "next";
import { AnnotationWorkbench } from "./_components/annotation-workbench";

export const metadata: Metadata = { title: "Annotate" };

export default async function AnnotatePage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  return <AnnotationWorkbench projectId={Number(projectId)} />;
}
