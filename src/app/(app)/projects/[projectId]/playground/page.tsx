import { Playground } from "./_components/playground";

export default async function PlaygroundPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  return <Playground projectId={Number(projectId)} />;
}
