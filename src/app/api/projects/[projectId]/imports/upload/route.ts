import { handleUpload } from "@/server/api/http/upload-route";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ projectId: string }> }) {
  return handleUpload(request, (await params).projectId);
}
