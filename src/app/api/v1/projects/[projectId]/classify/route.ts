import { handleClassify } from "@/server/api/http/v1/v1-route";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ projectId: string }> }) {
  return handleClassify(request, (await params).projectId);
}
